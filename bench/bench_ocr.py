"""Scanned reports: OCR engines side by side on rendered scans with known truth.

    .venv/bin/python bench/bench_ocr.py [--engines rapidocr tesseract] [--seed 0]

Renders the dev corpus PDFs (and corpus/b05's, when its first-sight score exists) as degraded
image-only scans (`pipelines.synth.scans`, seeded), parses each through the real reader (the OCR
worker process) once per engine, and reports per engine: pages per CPU second (this process, its
PDF worker, and Tesseract's processes under it) and precision / recall against the
originals' labels, scored by ../shared/tools/score_extraction.py.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from bench_pdf import cpu_seconds
from scoring import score_records

from pipelines.parsing import parse_path
from pipelines.synth.scans import render_scans

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "bench" / "out"
DEV = ROOT.parent / "shared" / "corpus" / "dev"


def dev_sources() -> dict[str, Path]:
    """Label file name -> PDF for the dev corpus's PDFs (labelled as their text in reports/)."""
    return {f"reports/{pdf.stem}.txt": pdf for pdf in sorted((DEV / "pdf").glob("*.pdf"))}


def make_scans(seed: int, sources: dict[str, Path], labels: Path, name: str) -> Path:
    """The rendered scans of `sources` under bench/out (made once per seed and name)."""
    out = OUT / f"scans-{name}-seed{seed}"
    if not (out / "labels.csv").is_file():
        render_scans(sources, labels, out, seed=seed)
    return out


def pages_in(folder: Path) -> int:
    """How many pages the scans in `folder` have."""
    import pypdfium2 as pdfium

    return sum(len(pdfium.PdfDocument(path)) for path in sorted(folder.glob("*.pdf")))


def run_engine(engine: str, folder: Path) -> dict:
    """Parse every scan in `folder` with `engine`; CPU time, pages/s/core and the score."""
    os.environ["NIANBAO_OCR_ENGINE"] = engine
    started, wall = cpu_seconds(), time.perf_counter()
    records = [parse_path(path) for path in sorted(folder.glob("*.pdf"))]
    cpu, wall = cpu_seconds() - started, time.perf_counter() - wall
    pages = pages_in(folder)
    errors = [record["error"] for record in records if "error" in record]
    return {"engine": engine, "files": len(records), "pages": pages, "cpu_s": round(cpu, 1),
            "wall_s": round(wall, 1), "pages_per_s_core": round(pages / cpu, 3),
            "errors": errors, **score_records(records, folder / "labels.csv")}


def main() -> None:
    """Render the scans, run each engine, print and save the figures (bench/out/ocr.json)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--engines", nargs="+", default=["rapidocr", "tesseract"])
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    folder = make_scans(args.seed, dev_sources(), DEV / "labels.csv", "dev")
    results = [run_engine(engine, folder) for engine in args.engines]
    (OUT / "ocr.json").write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(results, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
