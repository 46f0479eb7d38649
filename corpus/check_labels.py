"""Check a corpus batch's labels before they are committed: names, values, evidence in the file.

Usage: .venv/bin/python corpus/check_labels.py corpus/b01 [corpus/b02 ...]
Exit status 1 when any problem is found; each problem is printed with its file and row.
"""

from __future__ import annotations

import csv
import io
import re
import sys
import zipfile
from pathlib import Path

LABEL_COLUMNS = ["file", "region", "province", "level", "report_year", "scope", "metric", "value", "evidence"]
INDEX_COLUMNS = ["file", "source", "retrieved_via", "format", "region", "province", "level",
                 "report_year", "complete", "shape", "notes"]
LEVELS = {"national", "province", "city", "county", "district", "township", "department"}
METRICS = set("""proactive_total applications_new applications_carried_in applications_total
channel_in_person channel_online channel_letter channel_fax channel_email applicant_natural_person
processed_total granted partly_granted refused unable_to_provide not_processed other_processed
carried_forward already_public not_this_agency not_exist amend_requested other_route
reconsideration_total reconsideration_upheld reconsideration_corrected reconsideration_other
reconsideration_pending litigation_total litigation_upheld litigation_corrected litigation_other
litigation_pending complaints fees_yuan licensing_decisions penalty_decisions coercion_decisions
procurement_count procurement_amount_wan_yuan""".split())
_SPACE = re.compile(r"\s+")


def document_text(path: Path) -> str:
    """The file's text as a reader sees it (PDF and DOCX text layers, HTML source as is)."""
    data = path.read_bytes()
    if data[:5] == b"%PDF-":
        import pypdfium2

        pdf = pypdfium2.PdfDocument(data)
        return "\n".join(page.get_textpage().get_text_range() for page in pdf)
    if data[:4] == b"PK\x03\x04":
        xml = zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml").decode("utf-8")
        return re.sub(r"<[^>]+>", "", xml)
    for encoding in ("utf-8", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", "replace")


def squeeze(text: str) -> str:
    """Text without any whitespace or table pipes, so evidence matches across line breaks."""
    return _SPACE.sub("", text).replace("|", "")


def check_batch(batch: Path) -> list[str]:
    """Every problem found in one batch directory's labels.csv and index.csv."""
    problems: list[str] = []
    index = list(csv.DictReader(open(batch / "index.csv", encoding="utf-8")))
    labels = list(csv.DictReader(open(batch / "labels.csv", encoding="utf-8")))
    if index and list(index[0]) != INDEX_COLUMNS:
        problems.append(f"index.csv columns {list(index[0])} != {INDEX_COLUMNS}")
    if labels and list(labels[0]) != LABEL_COLUMNS:
        problems.append(f"labels.csv columns {list(labels[0])} != {LABEL_COLUMNS}")
    root = batch.parent
    texts = {}
    for row in index:
        path = root / row["file"]
        if not path.is_file():
            problems.append(f"index: {row['file']} does not exist")
            continue
        texts[row["file"]] = squeeze(document_text(path))
        if not row["source"].strip():
            problems.append(f"index: {row['file']} has no source")
    seen, identified = set(), set()
    for number, row in enumerate(labels, start=2):
        where = f"labels.csv line {number} ({row['file']})"
        if row["file"] not in texts:
            problems.append(f"{where}: file not in index.csv")
            continue
        if row["level"] not in LEVELS:
            problems.append(f"{where}: level {row['level']!r}")
        if not row["metric"]:
            identified.add(row["file"])
            continue
        key = (row["file"], row["scope"], row["metric"])
        if key in seen:
            problems.append(f"{where}: {key} labelled twice")
        seen.add(key)
        if row["metric"] not in METRICS:
            problems.append(f"{where}: unknown metric {row['metric']!r}")
        if row["scope"] not in ("whole", "own"):
            problems.append(f"{where}: scope {row['scope']!r}")
        try:
            float(row["value"])
        except ValueError:
            problems.append(f"{where}: value {row['value']!r} is not a number")
        evidence = squeeze(row["evidence"])
        if not evidence:
            problems.append(f"{where}: no evidence")
        elif evidence not in texts[row["file"]]:
            problems.append(f"{where}: evidence not found in the file: {row['evidence']!r}")
    for name in texts:
        if name not in identified:
            problems.append(f"{name}: no identification row (a row with an empty metric)")
    return problems


def main() -> int:
    failed = False
    for arg in sys.argv[1:]:
        problems = check_batch(Path(arg))
        print(f"{arg}: {len(problems)} problem(s)")
        for problem in problems:
            print("  " + problem)
        failed |= bool(problems)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
