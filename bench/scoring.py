"""Score parse records against hand labels with the shared scorer (../shared/tools/score_extraction.py)."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

SCORER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "score_extraction.py"
_SUMMARY = re.compile(r"precision ([\d.]+) \((\d+)/(\d+)\) · recall ([\d.]+) \((\d+)/(\d+)\) · "
                      r"identification ([\d.]+)")


def score_records(records: list[dict], labels: Path) -> dict:
    """Precision, recall and identification of `records` (parse_path output) against `labels`."""
    with tempfile.NamedTemporaryFile("w", suffix=".jsonl", encoding="utf-8", delete=False) as out:
        out.write("\n".join(json.dumps(record, ensure_ascii=False) for record in records) + "\n")
    done = subprocess.run([sys.executable, str(SCORER), "--labels", str(labels), "--output", out.name,
                           "--verbose"], capture_output=True, text=True, check=False)
    Path(out.name).unlink()
    found = _SUMMARY.search(done.stdout)
    if not found:
        return {"score_error": done.stdout[-500:] + done.stderr[-500:]}
    misses = [line.strip() for line in done.stdout.splitlines() if line.strip().startswith("miss ")]
    return {"precision": float(found[1]), "recall": float(found[4]), "identification": float(found[7]),
            "found": int(found[2]), "judged": int(found[3]), "labels": int(found[6]), "misses": misses}
