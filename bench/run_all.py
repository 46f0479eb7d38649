"""Every benchmark in one process (what `make bench` runs); figures go to bench/results.json.

    .venv/bin/python bench/run_all.py [--runs 3] [--runs-large 3] [--new-reports 5]

1. parse throughput per format (reports/s on one core, median of `--runs` passes); PDFs with the
   PDFium reader beside the pdfplumber one in the same run (`bench_pdf.py`, the dev corpus PDFs),
   and OCR pages/s with precision / recall on rendered scans of them (`bench_ocr.py`);
2. bulk backfill end to end at N = 1,000 (`--runs` runs) and 10,000 (`--runs-large` runs);
3. incremental cost: `--new-reports` new reports one at a time with 100 and with 10,000 loaded (the
   10,000 lake is the last backfill run's, so it is not built twice);
4. one writer against two on the PostgreSQL catalog, backfilling `--writers-n` reports, and the
   publish after each (bench_writers.py);
5. drop-to-gold latency through `nianbao up` (started by the bench on a fresh lake): 20 reports
   one by one, then a burst of 200 (`bench_latency.py`).

Landing, Prefect's server start and the synthetic corpus are timed apart from every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import bench_backfill as bb
import bench_incremental as bi
import bench_latency
import bench_ocr
import bench_pdf
import bench_writers as bw

RESULTS = bb.ROOT / "bench" / "results.json"
PARSE_SAMPLE = 600


def format_of(path: Path) -> str:
    """txt (UTF-8), txt-gbk, html, docx or pdf."""
    if path.suffix != ".txt":
        return path.suffix.lstrip(".")
    try:
        path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        return "txt-gbk"
    return "txt"


def parse_per_format(runs: int) -> dict[str, dict]:
    """Reports/s/core per format over the synthetic corpus (PDFs: `pdf_and_ocr`)."""
    groups = defaultdict(list)
    for path in bb.corpus(PARSE_SAMPLE):
        groups[format_of(path)].append(path)
    return {name: {"files": len(files), "reports_per_s": round(bb.parser_loop_rate(files, runs), 1)}
            for name, files in sorted(groups.items())}


def pdf_and_ocr(runs: int) -> dict:
    """PDFium against pdfplumber on the dev PDFs, and RapidOCR on their rendered scans."""
    pdfs, labelled = bench_pdf.dev_pdfs()
    if not pdfs:
        return {"measured": False, "note": "../shared/corpus/dev is not present"}
    scans = bench_ocr.make_scans(0, bench_ocr.dev_sources(), bench_ocr.DEV / "labels.csv", "dev")
    return {"pdf": bench_pdf.compare(pdfs, bench_pdf.DEV / "labels.csv", labelled, max(runs, 5)),
            "ocr": bench_ocr.run_engine("rapidocr", scans)}


def latency() -> dict:
    """Drop-to-gold latency and the 200-file burst through a `nianbao up` of the bench's own."""
    return bench_latency.run(bench_latency.parser().parse_args([]))


def machine() -> dict:
    """What the figures were measured on, including the load other processes put on it."""
    return {"cpus": os.cpu_count(), "python": platform.python_version(),
            "load_avg_1m_at_start": round(os.getloadavg()[0], 2)}


def run(args) -> dict:
    """Every benchmark, in order; returns the figures."""
    results = {"measured_at": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine()}
    started = time.perf_counter()
    bb.corpus(max(10_000, PARSE_SAMPLE))
    new = bi.new_reports(args.new_reports)
    results["corpus_s"] = round(time.perf_counter() - started, 1)
    results["parse"] = parse_per_format(args.runs)
    results["parse"]["mixed"] = {"files": PARSE_SAMPLE, "reports_per_s": round(
        bb.parser_loop_rate(bb.corpus(PARSE_SAMPLE), args.runs), 1)}
    mixed_rate = results["parse"]["mixed"]["reports_per_s"]
    results["pdf_ocr"] = pdf_and_ocr(args.runs)
    with tempfile.TemporaryDirectory(prefix="nianbao-bench-prefect-") as home:
        bb.isolate_prefect(Path(home))
        with bb.prefect_api(Path(home)) as prefect_start, bb.s3_server() as server:
            results["prefect_server_start_s"] = round(prefect_start, 1)
            results["backfill"] = [bb.bench(server, 1000, args.runs, args.workers, mixed_rate)]
            small = bb.backfill_once(server, bb.corpus(100), args.workers,
                                     then=lambda settings: bi.one_report_at_a_time(settings, new))
            large = bb.bench(server, 10_000, args.runs_large, args.workers, mixed_rate,
                             then=lambda settings: bi.one_report_at_a_time(settings, new))
            results["backfill"].append(large)
            if args.writers_n:
                from infra.local_postgres import local_postgres

                with local_postgres() as pg_url:
                    results["writers_postgres"] = {"n": args.writers_n,
                                                   "runs": bw.bench_writers(server, pg_url, args.writers_n)}
    by_loaded = {100: small["then"], 10_000: large.pop("then")}
    results["backfill"][0].pop("then")
    results["incremental"] = {"by_loaded": by_loaded, "ratio": bi.ratio(by_loaded)}
    results["event_latency"] = latency()
    results["machine"]["load_avg_1m_at_end"] = round(os.getloadavg()[0], 2)
    results["total_s"] = round(time.perf_counter() - started, 1)
    return results


def main() -> None:
    """Run everything and write bench/results.json."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--runs-large", type=int, default=3)
    parser.add_argument("--new-reports", type=int, default=5, help="incremental: reports dropped one by one")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--writers-n", type=int, default=10_000,
                        help="backfill size for one vs two writers on PostgreSQL (0 skips it)")
    results = run(parser.parse_args())
    RESULTS.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=1, ensure_ascii=False))
    print(f"written to {RESULTS}")


if __name__ == "__main__":
    main()
