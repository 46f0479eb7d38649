"""The overview's data files, one per year: the province-year and region-year rows and the number of
stated figures. A year whose rows are unchanged (same fingerprint as at the last build) keeps its
file, so after one new report only that report's year is read as JSON, written and uploaded.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from pipelines.dashboard.data import Reader, year_parts, year_prints
from pipelines.dashboard.site import Manifest, put_named


def _year_stem(year) -> str:
    return "data/year-" + (re.sub(r"[^0-9A-Za-z_-]", "_", str(year)) if year is not None else "none")


def _year_script(year, part: dict) -> str:
    body = ",".join([f'"year":{json.dumps(year, default=str)}', f'"provinces":{part.get("provinces", "[]")}',
                     f'"regions":{part.get("regions", "[]")}', f'"facts":{int(part.get("facts", 0))}'])
    return f"nianbao.year({{{body}}});\n"


def year_files(reader: Reader, folder: Path, previous: Manifest) -> tuple[dict, Manifest]:
    """(metric columns, the year parts' files): a year whose fingerprint is unchanged keeps its file;
    only the others are read as JSON and written."""
    metrics, prints = year_prints(reader)
    years = sorted(prints, key=lambda y: (y is None, str(y)))
    stems = {year: _year_stem(year) for year in years}
    kept = {year for year in years if _still_current(previous, stems[year], prints[year], folder)}
    fresh = year_parts(reader, [year for year in years if year not in kept])
    files = Manifest()
    for year in years:
        if year in kept:
            path = previous.parts[stems[year]][0]
            sha = previous.files[path]
        else:
            path, sha = put_named(folder, stems[year], _year_script(year, fresh[year]).encode("utf-8"))
        files.files[path] = sha
        files.parts[stems[year]] = [path, prints[year]]
    return metrics, files


def _still_current(previous: Manifest, stem: str, fingerprint: str, folder: Path) -> bool:
    path, known = previous.parts.get(stem, ["", ""])
    return known == fingerprint and path in previous.files and (folder / path).is_file()
