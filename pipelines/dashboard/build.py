"""Build the analysts' dashboard over the published gold: a page and the data files it loads.

`index.html` holds the style, the scripts and the small settings; the data come as script files
that register themselves with the page (`<script src>`: browsers refuse fetch() on file:// pages),
so the folder opens from a file, the bucket or a copy with no network: no CDN, no web font, no
chart library. The overview is split by year, and an unchanged year keeps its file; evidence is
loaded per report when a region-year is opened, written once when the report is first published
(see `evidence.py`). So a rebuild after one new report writes a few files, not the whole lake.
"""

from __future__ import annotations

import html
import json
from contextlib import ExitStack
from datetime import datetime
from pathlib import Path

import duckdb

from infra.disk import write_atomic
from pipelines.dashboard import evidence
from pipelines.dashboard.data import Reader, quality
from pipelines.dashboard.labels import labels
from pipelines.dashboard.overview import year_files
from pipelines.dashboard.site import (
    INDEX,
    MANIFEST,
    Manifest,
    digest,
    prune,
    put_named,
    read_manifest,
)

ASSETS = Path(__file__).resolve().parent / "assets"
SCRIPTS = ("charts.js", "tables.js", "dashboard.js")


def _embedded_json(payload: dict) -> str:
    """JSON safe inside a <script> element: no `<` can close the element or open a comment."""
    text = json.dumps(payload, ensure_ascii=False, default=str, separators=(",", ":"))
    return text.replace("<", "\\u003c")


def render_html(settings: dict, data_files: list[str]) -> str:
    """The page: template with style, settings, scripts and the data files' script tags put in place."""
    template = (ASSETS / "template.html").read_text(encoding="utf-8")
    parts = {
        "/*STYLE*/": (ASSETS / "dashboard.css").read_text(encoding="utf-8"),
        "/*SETTINGS*/": _embedded_json(settings),
        "/*LOADER*/": (ASSETS / "loader.js").read_text(encoding="utf-8"),
        "<!--DATA-->": "\n".join(f'<script src="{html.escape(path)}"></script>' for path in data_files),
        "/*SCRIPT*/": "\n".join((ASSETS / name).read_text(encoding="utf-8") for name in SCRIPTS),
    }
    for marker, content in parts.items():
        template = template.replace(marker, content, 1)
    return template


def _open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    if not Path(path).is_file():
        raise FileNotFoundError(f"no DuckDB file of gold at {path}")
    # One thread: the queries are small but for a first build, and the machine is shared with the
    # rest of the publish; a second thread costs more CPU time than it saves in waiting.
    return duckdb.connect(str(path), read_only=True, config={"enable_external_access": False, "threads": 1})


def _read(con: duckdb.DuckDBPyConnection, folder: Path, previous: Manifest) -> tuple[dict, Manifest]:
    """(page settings, every data file written or kept) from published gold and its findings."""
    reader = Reader(con)
    metrics, written = year_files(reader, folder, previous)
    dq = quality(reader)
    chunks = evidence.update_chunks(reader, folder, previous)
    scripts = {"data/quality": f"nianbao.quality({_embedded_json(dq)});\n",
               "data/evidence-index": evidence.index_text(chunks.chunks)}
    for stem, text in scripts.items():
        path, sha = put_named(folder, stem, text.encode("utf-8"))
        written.files[path] = sha
    written.files.update(chunks.files)
    written.chunks = chunks.chunks
    settings = {"generated_at": datetime.now().astimezone().isoformat(timespec="seconds"), **metrics,
                "missing": list(dict.fromkeys(reader.missing)), "labels": labels()}
    return settings, written


def build_dashboard(con_or_path: duckdb.DuckDBPyConnection | Path | str, out_dir: Path) -> Path:
    """Write the page and its data files into `out_dir` from a connection (the lake, read-only) or
    a DuckDB file of gold (opened read-only); returns `out_dir/index.html`. Files of earlier builds
    no longer used are deleted. Callers that may build the same folder at once hold
    `site.build_lock(out_dir)`.
    """
    folder = Path(out_dir)
    previous = read_manifest(folder)
    with ExitStack() as stack:
        if isinstance(con_or_path, duckdb.DuckDBPyConnection):
            con = con_or_path
        else:
            con = stack.enter_context(_open_read_only(Path(con_or_path)))
        settings, written = _read(con, folder, previous)
    page = render_html(settings, [path for path in written.files if path.startswith("data/")])
    write_atomic(folder / INDEX, page.encode("utf-8"))
    written.files[INDEX] = digest(page.encode("utf-8"))
    write_atomic(folder / MANIFEST, written.to_bytes())
    prune(folder, set(written.files))
    return folder / INDEX
