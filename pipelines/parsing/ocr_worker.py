"""OCR in a child process, so a time budget can stop it: onnxruntime and PDFium are C code that a
Python check cannot interrupt, but a process can be killed.

    python -m pipelines.parsing.ocr_worker ENGINE DPI PAGE[,PAGE...] < file.pdf

reads the PDF from stdin and prints one JSON line per page as it is read:
{"page": 3, "lines": [[text, confidence], ...], "skew": 0.7}, or {"error": reason} when the
engine is missing. `ocr_pages` is the parent's side: it starts the worker, passes on each page,
and kills the worker at the deadline.
"""

from __future__ import annotations

import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator

_DONE = object()


def _serve(engine: str, dpi: int, pages: list[int], data: bytes) -> None:
    import pypdfium2 as pdfium

    from .ocr import OcrUnavailable, reader
    from .scan import read_page

    try:
        read = reader(engine)
    except OcrUnavailable as exc:
        print(json.dumps({"error": exc.reason}), flush=True)
        return
    pdf = pdfium.PdfDocument(data)
    for number in pages:
        page = read_page(pdf[number - 1], read, number, dpi)
        print(json.dumps({"page": number, "lines": page.lines, "skew": page.skew},
                         ensure_ascii=False), flush=True)


class OcrStopped(Exception):
    """The worker did not finish in time, or died; `reason` says which."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class OcrTimedOut(OcrStopped):
    """The deadline passed while the worker was still reading."""


def _pump(process: subprocess.Popen, data: bytes, out: queue.Queue) -> None:
    """Feed the PDF to the worker, then hand each line it prints to the parent."""
    try:
        process.stdin.write(data)
        process.stdin.close()
    except OSError:
        pass  # the worker died early; its exit is reported below
    for line in process.stdout:
        out.put(line)
    out.put(_DONE)


def ocr_pages(data: bytes, engine: str, dpi: int, pages: list[int], deadline: float) -> Iterator[dict]:
    """Each page's result from a worker process; OcrTimedOut when `deadline` (monotonic) passes."""
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    errors = tempfile.TemporaryFile()  # a file, not a pipe: a chatty worker must never block on it
    process = subprocess.Popen(
        [sys.executable, "-m", "pipelines.parsing.ocr_worker", engine, str(dpi),
         ",".join(map(str, pages))],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, env=env)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_pump, args=(process, data, lines), daemon=True).start()
    try:
        while True:
            try:
                line = lines.get(timeout=max(0.0, deadline - time.monotonic()))
            except queue.Empty:
                raise OcrTimedOut("the time budget ran out during OCR") from None
            if line is _DONE:
                break
            yield json.loads(line)
        if process.wait() != 0:
            errors.seek(0)
            error = errors.read().decode("utf-8", "replace").strip().splitlines()[-1:]
            raise OcrStopped(f"the OCR worker failed ({(error or ['no message'])[0][:200]})")
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        errors.close()


def main() -> None:
    """Serve one PDF's pages (the child's side)."""
    engine, dpi, pages = sys.argv[1], int(sys.argv[2]), [int(p) for p in sys.argv[3].split(",")]
    _serve(engine, dpi, pages, sys.stdin.buffer.read())


if __name__ == "__main__":
    main()
