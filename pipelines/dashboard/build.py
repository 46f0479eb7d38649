"""Build the analysts' dashboard: one self-contained HTML file over the published gold.

The page embeds its data as JSON and its own script and style (read from `assets/`), so it opens
from a file, an S3 bucket or a USB stick with no network: no CDN, no web font, no chart library.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

import duckdb

from pipelines.dashboard.data import load_payload

ASSETS = Path(__file__).resolve().parent / "assets"
SCRIPTS = ("charts.js", "tables.js", "dashboard.js")


def _embedded_json(payload: dict) -> str:
    """JSON safe inside a <script> element: no `<` can close the element or open a comment."""
    text = json.dumps(payload, ensure_ascii=False, default=str, separators=(",", ":"))
    return text.replace("<", "\\u003c")


def render_html(payload: dict) -> str:
    """The page for one payload: template with style, scripts and data put in place."""
    template = (ASSETS / "template.html").read_text(encoding="utf-8")
    scripts = "\n".join((ASSETS / name).read_text(encoding="utf-8") for name in SCRIPTS)
    parts = {
        "/*STYLE*/": (ASSETS / "dashboard.css").read_text(encoding="utf-8"),
        "/*SCRIPT*/": scripts,
        "/*DATA*/": _embedded_json(payload),
    }
    for marker, content in parts.items():
        template = template.replace(marker, content, 1)
    return template


def _open_read_only(path: Path) -> duckdb.DuckDBPyConnection:
    if not Path(path).is_file():
        raise FileNotFoundError(f"no published DuckDB file at {path}: publish gold first")
    return duckdb.connect(str(path), read_only=True, config={"enable_external_access": False})


@contextmanager
def _optional_read_only(path: Path | None) -> Iterator[duckdb.DuckDBPyConnection | None]:
    """A read-only connection to `path`, or None when it is absent or cannot be opened now."""
    con = None
    if path is not None and Path(path).is_file():
        try:
            con = _open_read_only(Path(path))
        except duckdb.Error:
            # The warehouse has one writer; while it holds the file the page goes without findings
            # (and says so) rather than failing the publish.
            con = None
    try:
        yield con
    finally:
        if con is not None:
            con.close()


def build_dashboard(con_or_path: duckdb.DuckDBPyConnection | Path | str, out_dir: Path,
                    audit_path: Path | None = None) -> Path:
    """Write `out_dir/index.html` from a connection or the published DuckDB file (opened read-only).

    `audit_path` (the warehouse) supplies audit.dq_results when the published data has none.
    """
    with ExitStack() as stack:
        if isinstance(con_or_path, duckdb.DuckDBPyConnection):
            con = con_or_path
        else:
            con = stack.enter_context(_open_read_only(Path(con_or_path)))
        audit = stack.enter_context(_optional_read_only(audit_path))
        payload = load_payload(con, audit)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "index.html"
    # Write beside, then rename: a browser or server reading the old page never sees half a file.
    partial = out_dir / f".index.html.{os.getpid()}.tmp"
    partial.write_text(render_html(payload), encoding="utf-8")
    partial.replace(target)
    return target
