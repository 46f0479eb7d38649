"""Read a built dashboard folder back as data: its settings, the scripts' registered parts, its manifest."""

from __future__ import annotations

import json
import re
from pathlib import Path

SETTINGS_RE = re.compile(r'<script id="nianbao-settings" type="application/json">(.*?)</script>', re.S)
CALL_RE = re.compile(r"^nianbao\.(\w+)\((.*)\);\n$", re.S)


def settings(folder: Path) -> dict:
    return json.loads(SETTINGS_RE.search((folder / "index.html").read_text(encoding="utf-8")).group(1))


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text(encoding="utf-8"))


def script_calls(path: Path) -> tuple[str, object]:
    """(registry function, its argument) of one data file."""
    name, body = CALL_RE.match(path.read_text(encoding="utf-8")).groups()
    return name, json.loads(body)


def parts(folder: Path) -> dict[str, list]:
    """Every registered part of the files the manifest lists, by registry function."""
    found: dict[str, list] = {}
    for relative in sorted(manifest(folder)["files"]):
        if relative.endswith(".js"):
            name, value = script_calls(folder / relative)
            found.setdefault(name, []).append(value)
    return found


def _rows(columns: dict) -> list[dict]:
    """Columns {name: [values]} (as the evidence files hold them) to rows."""
    count = len(next(iter(columns.values()), []))
    return [{name: values[i] for name, values in columns.items()} for i in range(count)]


def overview(folder: Path) -> dict:
    """Provinces, regions, fact count, findings and evidence ({report_id: figures}) of the folder."""
    found = parts(folder)
    years = found.get("year", [])
    evidence = {report: _rows(columns)
                for chunk in found.get("evidence", []) for report, columns in chunk.items()}
    return {
        "provinces": [row for part in years for row in part["provinces"]],
        "regions": [row for part in years for row in part["regions"]],
        "facts": sum(part["facts"] for part in years),
        "dq": found["quality"][0],
        "evidence": evidence,
        "index": found["evidenceIndex"][0],
    }


def files(folder: Path) -> set[str]:
    """Every file under the folder, relative, without the build lock."""
    return {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()} - {".build.lock"}
