"""PDF reading: the PDFium reader against the pdfplumber one it replaced, in the same run.

    .venv/bin/python bench/bench_pdf.py [--runs 5] [PDF ...]

For each reader: PDFs per CPU second of one core (median of `--runs` passes, each at least a
second; the PDFium reader's CPU is this process plus its PDF worker process), and, for PDFs that
have labels (the dev corpus's, labelled as their text reports/NNN.txt; corpus/b05's once its
first-sight score exists), precision / recall by ../shared/tools/score_extraction.py, and how
many of the values the two readers give agree.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

from pdfplumber_reader import parse_with_pdfplumber
from scoring import score_records

from pipelines.parsing import ParseError, parse_document
from pipelines.parsing.pdf_worker import worker_pid

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus" / "dev"
_MIN_PASS_S = 1.0


def _worker_cpu() -> float:
    """CPU seconds the PDF worker process and the processes it waited for (Tesseract) have used
    so far (0 before it exists)."""
    pid = worker_pid()
    if pid is None:
        return 0.0
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(field) for field in fields[11:15]) / os.sysconf("SC_CLK_TCK")


def cpu_seconds() -> float:
    """CPU seconds of this process and of its PDF worker (which a child's rusage would not count
    until the worker exits)."""
    return time.process_time() + _worker_cpu()


def pdfium(data: bytes, name: str):
    """The PDFium reader, as the pipeline calls it."""
    return parse_document(data, name)


def pdfplumber(data: bytes, name: str):
    """The pdfplumber reader it replaced."""
    return parse_with_pdfplumber(data, Path(name).stem)


READERS = {"pdfium": pdfium, "pdfplumber": pdfplumber}


def _parse_all(read, documents: list[tuple[bytes, str]]) -> None:
    for data, name in documents:
        try:
            read(data, name)
        except ParseError:
            pass


def rate(read, documents: list[tuple[bytes, str]], runs: int) -> dict:
    """PDFs per CPU second: the median of `runs` passes, and every pass."""
    _parse_all(read, documents)  # warm-up: the worker starts, lazy indexes are built
    rates = []
    for _ in range(runs):
        started, count = cpu_seconds(), 0
        while count == 0 or cpu_seconds() - started < _MIN_PASS_S:
            _parse_all(read, documents)
            count += len(documents)
        rates.append(count / (cpu_seconds() - started))
    return {"pdfs_per_s_core": round(statistics.median(rates), 1), "passes": [round(r, 1) for r in rates]}


def records(read, labelled: dict[Path, str]) -> list[dict]:
    """The parse record of each PDF, under the file name its labels use."""
    found = []
    for path, label_name in labelled.items():
        try:
            found.append(read(path.read_bytes(), path.name).to_record(label_name))
        except ParseError as exc:
            found.append({"file": label_name, "error": exc.reason})
    return found


def _values(record: dict) -> dict:
    return {(m["scope"], m["metric"]): m["value"] for m in record.get("metrics", [])}


def agreement(first: list[dict], second: list[dict]) -> dict:
    """How many (file, scope, metric) values the two readers' reports share, of all either gives."""
    same = union = 0
    for a, b in zip(first, second, strict=True):
        va, vb = _values(a), _values(b)
        union += len(set(va) | set(vb))
        same += sum(1 for key in va if vb.get(key) == va[key])
    return {"values": union, "same": same}


def compare(pdfs: list[Path], labels: Path | None, labelled: dict[Path, str], runs: int) -> dict:
    """Speed of both readers on `pdfs`, and their scores on the labelled ones."""
    documents = [(path.read_bytes(), path.name) for path in pdfs]
    result = {"files": len(documents)}
    made = {}
    for name, read in READERS.items():
        result[name] = rate(read, documents, runs)
        if labels and labelled:
            made[name] = records(read, labelled)
            result[name].update(score_records(made[name], labels))
    result["ratio"] = round(result["pdfium"]["pdfs_per_s_core"] / result["pdfplumber"]["pdfs_per_s_core"], 1)
    if made:
        result["agreement"] = agreement(made["pdfium"], made["pdfplumber"])
    return result


def dev_pdfs() -> tuple[list[Path], dict[Path, str]]:
    """The dev corpus PDFs, and the label file name of each (its text in reports/)."""
    pdfs = sorted((DEV / "pdf").glob("*.pdf"))
    return pdfs, {path: f"reports/{path.stem}.txt" for path in pdfs}


def main() -> None:
    """Compare the readers on the dev PDFs (or the given files, unscored) and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("files", nargs="*", type=Path)
    args = parser.parse_args()
    if args.files:
        result = compare(args.files, None, {}, args.runs)
    else:
        pdfs, labelled = dev_pdfs()
        result = compare(pdfs, DEV / "labels.csv", labelled, args.runs)
    print(json.dumps(result, indent=1, ensure_ascii=False))


if __name__ == "__main__":
    main()
