"""Parsing speed on text and HTML reports: reports per second on one core, and where time goes.

Usage: python bench/bench_parse.py [--runs N] [FILES...]
Without files it uses the shared dev corpus (../shared/corpus/dev) and the HTML test fixture.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import time
from pathlib import Path

from pipelines.parsing import ParseError, parse_document

ROOT = Path(__file__).resolve().parents[1]
DEV_CORPUS = ROOT / ".." / "shared" / "corpus" / "dev"
HTML_FIXTURE = ROOT / "tests" / "fixtures" / "parsing" / "table_2021.html"
TARGET_PER_SECOND = 200


def default_inputs() -> list[Path]:
    """Dev-corpus text reports plus the HTML fixture (text and HTML only: PDFs are not timed)."""
    files = sorted(DEV_CORPUS.glob("seeds/*.txt")) + sorted(DEV_CORPUS.glob("reports/*.txt"))
    return files + [HTML_FIXTURE]


def parse_all(documents: list[tuple[bytes, str]]) -> None:
    """Parse every document once, as the pipeline would."""
    for data, name in documents:
        try:
            parse_document(data, name)
        except ParseError:
            pass


def main() -> None:
    """Time repeated runs, print the median rate and the top cProfile costs."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    documents = [(path.read_bytes(), path.name) for path in (args.files or default_inputs())]
    parse_all(documents)  # warm-up: lazy indexes and converters are built once per process
    rates = []
    for _ in range(args.runs):
        started = time.perf_counter()
        parse_all(documents)
        rates.append(len(documents) / (time.perf_counter() - started))
    median = statistics.median(rates)
    verdict = "meets" if median >= TARGET_PER_SECOND else "misses"
    print(f"{len(documents)} documents, {args.runs} runs: median {median:.0f} reports/s/core "
          f"({verdict} the target of {TARGET_PER_SECOND})")
    profile = cProfile.Profile()
    profile.runcall(parse_all, documents)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(15)
    print(out.getvalue())


if __name__ == "__main__":
    main()
