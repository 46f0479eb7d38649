"""Score the parser on corpus batches with the scorer's rules (../shared/tools/score_extraction.py).

Usage: .venv/bin/python corpus/score.py corpus/b01 [corpus/b02 ...] [--verbose]
Prints precision, recall and identification over the batches given, together and one by one.
A labelled value counts as found when the output has the same (file, scope, metric) with an
equal value; precision is over output values that have a label.
"""

from __future__ import annotations

import csv
import sys
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.parsing import parse_path

CORPUS = Path(__file__).resolve().parent


@dataclass
class Score:
    """Counts behind precision, recall and identification accuracy."""

    found: int = 0
    judged: int = 0
    labelled: int = 0
    id_ok: int = 0
    id_n: int = 0
    misses: list[str] = field(default_factory=list)

    def add(self, other: Score) -> None:
        """Add another score's counts to this one."""
        self.found += other.found
        self.judged += other.judged
        self.labelled += other.labelled
        self.id_ok += other.id_ok
        self.id_n += other.id_n
        self.misses += other.misses

    def ratios(self) -> tuple[float, float, float]:
        """(precision, recall, identification)."""
        def ratio(a: int, b: int) -> float:
            return a / b if b else 0.0
        return ratio(self.found, self.judged), ratio(self.found, self.labelled), ratio(self.id_ok, self.id_n)

    def line(self) -> str:
        """The summary as the shared scorer prints it."""
        p, r, i = self.ratios()
        return (f"precision {p:.3f} ({self.found}/{self.judged}) · recall {r:.3f} "
                f"({self.found}/{self.labelled}) · identification {i:.3f} ({self.id_ok}/{self.id_n})")


def _equal(a: float, b: float) -> bool:
    return abs(a - b) <= 1e-6 * max(1.0, abs(a), abs(b))


def score_file(name: str, rows: list[dict], record: dict) -> Score:
    """One file's labels against its parse record."""
    score = Score()
    got = {(m.get("scope") or "whole", m["metric"]): float(m["value"])
           for m in record.get("metrics") or []}
    ident = rows[0]
    for wanted, key in ((ident["province"], "province"), (ident["report_year"], "report_year")):
        if wanted and wanted != "未知":
            score.id_n += 1
            score.id_ok += str(record.get(key)) == wanted
            if str(record.get(key)) != wanted:
                score.misses.append(f"{name}: {key} {record.get(key)!r}, label {wanted!r}")
    for row in rows:
        if not row["metric"]:
            continue
        key = (row["scope"] or "whole", row["metric"])
        value = float(row["value"])
        score.labelled += 1
        if key in got:
            score.judged += 1
        if key in got and _equal(got[key], value):
            score.found += 1
        else:
            score.misses.append(f"{name}: {key[0]}/{key[1]} label {value:g}, got {got.get(key)}")
    return score


def score_batch(batch: Path) -> Score:
    """Parse every labelled file of one batch and score it."""
    by_file: dict[str, list[dict]] = {}
    for row in csv.DictReader(open(batch / "labels.csv", encoding="utf-8")):
        by_file.setdefault(row["file"], []).append(row)
    total = Score()
    for name, rows in sorted(by_file.items()):
        total.add(score_file(name, rows, parse_path(batch.parent / name)))
    return total


def main(argv: list[str]) -> int:
    verbose = "--verbose" in argv
    total = Score()
    for arg in (a for a in argv if not a.startswith("--")):
        score = score_batch(Path(arg))
        print(f"{Path(arg).name}: {score.line()}")
        if verbose:
            print("\n".join("   " + miss for miss in score.misses))
        total.add(score)
    print(f"all: {total.line()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
