"""Score parse records against hand labels with the shared scorer (../shared/tools/score_extraction.py)."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

SCORER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "score_extraction.py"
_SUMMARY = re.compile(r"precision ([\d.]+) \((\d+)/(\d+)\) · recall ([\d.]+) \((\d+)/(\d+)\) · "
                      r"identification ([\d.]+)")


def _labels_of(records: list[dict], labels: Path, target: Path) -> None:
    """The label rows of the files in `records` only, so recall is over those files."""
    names = [str(record["file"]).replace("\\", "/") for record in records]
    with labels.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        rows = [row for row in reader if any(name == row["file"] or name.endswith("/" + row["file"])
                                             for name in names)]
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=reader.fieldnames)
        writer.writeheader()
        writer.writerows(rows)


def score_records(records: list[dict], labels: Path) -> dict:
    """Precision, recall and identification of `records` (parse_path output) against the rows of
    `labels` for those files."""
    with tempfile.TemporaryDirectory(prefix="nianbao-score-") as folder:
        output, wanted = Path(folder) / "out.jsonl", Path(folder) / "labels.csv"
        lines = [json.dumps(record, ensure_ascii=False) for record in records]
        output.write_text("\n".join(lines) + "\n", encoding="utf-8")
        _labels_of(records, labels, wanted)
        done = subprocess.run([sys.executable, str(SCORER), "--labels", str(wanted), "--output", str(output),
                               "--verbose"], capture_output=True, text=True, check=False)
    found = _SUMMARY.search(done.stdout)
    if not found:
        return {"score_error": done.stdout[-500:] + done.stderr[-500:]}
    misses = [line.strip() for line in done.stdout.splitlines() if line.strip().startswith("miss ")]
    return {"precision": float(found[1]), "recall": float(found[4]), "identification": float(found[7]),
            "found": int(found[2]), "judged": int(found[3]), "labels": int(found[6]), "misses": misses}
