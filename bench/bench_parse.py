"""Parsing speed on report files: reports per second on one core, and where time goes.

Usage: python bench/bench_parse.py [--runs N] [--synth N] [FILES...]
Without files it times two groups: full-length text reports (the dev seeds and the complete
PDF texts reports/001-003.txt) and the HTML test fixture. `--synth N` times the first N reports of
the backfill benchmark's synthetic corpus (bench/out/synth-seed0-consistent) per format and as
the mix. Rates are per second of CPU time of this process, so other load on the
machine does not count.
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
    """Full-length text reports and the HTML fixture (PDFs: bench_pdf.py)."""
    full_text = sorted(DEV_CORPUS.glob("seeds/*.txt")) + sorted(DEV_CORPUS.glob("reports/00[123].txt"))
    return {"full-length text": full_text, "html": [HTML_FIXTURE]}


def synth_groups(n: int) -> dict[str, list[Path]]:
    """The first n synthetic reports by format (UTF-8 and GBK text apart), then all as the mix."""
    # The backfill benchmark's corpus (made once, cached) and bench/results.json's format names.
    from bench_backfill import corpus
    from run_all import format_of

    files = corpus(n)
    groups: dict[str, list[Path]] = {}
    for path in files:
        groups.setdefault(format_of(path), []).append(path)
    return {**dict(sorted(groups.items())), "mix": files}


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
    parser.add_argument("--synth", type=int, metavar="N", help="time N synthetic reports by format")
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    if args.files:
        groups = {"files": args.files}
    else:
        groups = synth_groups(args.synth) if args.synth else default_groups()
    loaded = {name: [(p.read_bytes(), p.name) for p in paths] for name, paths in groups.items()}
    # The mix repeats the per-format files: warm up and profile each document once.
    everything = list({doc[1]: doc for documents in loaded.values() for doc in documents}.values())
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
