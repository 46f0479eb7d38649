"""Parsing speed on text and HTML reports: reports per second on one core, and where time goes.

Usage: python bench/bench_parse.py [--runs N] [FILES...]
Without files it times two groups: full-length text reports (the dev seeds and the complete
PDF texts reports/001-003.txt) and the HTML test fixture. Rates are per second of CPU time of
this process, so other load on the machine does not count.
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


def default_groups() -> dict[str, list[Path]]:
    """Full-length text reports and the HTML fixture (PDFs are not timed: pdfplumber dominates)."""
    full_text = sorted(DEV_CORPUS.glob("seeds/*.txt")) + sorted(DEV_CORPUS.glob("reports/00[123].txt"))
    return {"full-length text": full_text, "html": [HTML_FIXTURE]}


def parse_all(documents: list[tuple[bytes, str]]) -> None:
    """Parse every document once, as the pipeline would."""
    for data, name in documents:
        try:
            parse_document(data, name)
        except ParseError:
            pass


def rate(documents: list[tuple[bytes, str]], runs: int) -> float:
    """Median reports per CPU second over `runs` timings of at least 0.2 s each."""
    repeat = max(1, round(0.2 * TARGET_PER_SECOND / len(documents)))
    rates = []
    for _ in range(runs):
        started = time.process_time()
        for _ in range(repeat):
            parse_all(documents)
        rates.append(len(documents) * repeat / (time.process_time() - started))
    return statistics.median(rates)


def main() -> None:
    """Time repeated runs per group, print the median rates and the top cProfile costs."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    groups = {"files": args.files} if args.files else default_groups()
    loaded = {name: [(p.read_bytes(), p.name) for p in paths] for name, paths in groups.items()}
    everything = [doc for documents in loaded.values() for doc in documents]
    parse_all(everything)  # warm-up: lazy indexes and converters are built once per process
    for name, documents in loaded.items():
        median = rate(documents, args.runs)
        verdict = "meets" if median >= TARGET_PER_SECOND else "misses"
        print(f"{name}: {len(documents)} documents, {args.runs} runs: median {median:.0f} "
              f"reports/s/core ({verdict} the target of {TARGET_PER_SECOND})")
    profile = cProfile.Profile()
    profile.runcall(parse_all, everything)
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("tottime").print_stats(15)
    print(out.getvalue())


if __name__ == "__main__":
    main()
