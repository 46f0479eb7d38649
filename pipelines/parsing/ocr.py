"""OCR of a page image: text boxes with their confidence, from RapidOCR or Tesseract.

RapidOCR (`rapidocr-onnxruntime`: PP-OCRv4 Chinese models inside its wheel, run by onnxruntime
on the CPU) is the default engine; Tesseract (Debian's `tesseract-ocr` and `tesseract-ocr-chi-sim`)
is the other one measured beside it (docs/extraction.md). Both run offline. An engine that is
not installed raises `OcrUnavailable` with the line that installs it.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass

from PIL import Image

ENGINES = ("rapidocr", "tesseract")
INSTALL = {
    "rapidocr": "uv sync (or: pip install rapidocr-onnxruntime==1.4.4)",
    "tesseract": "apt-get install tesseract-ocr tesseract-ocr-chi-sim",
}
# Tesseract is given its own CPU budget: one thread, as the parser has one core per worker.
_TESSERACT_ENV = {"OMP_THREAD_LIMIT": "1"}
_TESSERACT_TIMEOUT_S = 300


class OcrUnavailable(Exception):
    """The OCR engine is not installed here; `reason` says which and how to install it."""

    def __init__(self, engine: str, detail: str):
        self.reason = (f"the OCR engine {engine} is not available ({detail}); "
                       f"install it with: {INSTALL.get(engine, 'see docs/extraction.md')}")
        super().__init__(self.reason)


@dataclass(frozen=True)
class TextBox:
    """One piece of text on a page: its box (left, top, right, bottom) and how sure the reader is."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    confidence: float = 1.0

    @property
    def height(self) -> float:
        return self.y1 - self.y0


Reader = Callable[[Image.Image], list[TextBox]]


@functools.cache
def _rapidocr():
    try:
        from rapidocr_onnxruntime import RapidOCR
    except ImportError as exc:
        raise OcrUnavailable("rapidocr", f"{type(exc).__name__}: {exc}") from exc
    # One thread per session: parsing runs one document per core (Dask workers, the CLI).
    return RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)


def read_rapidocr(image: Image.Image) -> list[TextBox]:
    """Text boxes from RapidOCR (detection, direction, recognition; PP-OCRv4 models)."""
    import numpy as np

    engine = _rapidocr()
    found, _ = engine(np.asarray(image.convert("RGB"))[:, :, ::-1])
    boxes = []
    for quad, text, score in found or []:
        xs, ys = [point[0] for point in quad], [point[1] for point in quad]
        boxes.append(TextBox(text, min(xs), min(ys), max(xs), max(ys), float(score)))
    return boxes


def read_tesseract(image: Image.Image) -> list[TextBox]:
    """Word boxes from the Tesseract command (Simplified Chinese model, automatic layout)."""
    if shutil.which("tesseract") is None:
        raise OcrUnavailable("tesseract", "no `tesseract` command on PATH")
    png = io.BytesIO()
    image.convert("L").save(png, "PNG")
    done = subprocess.run(
        ["tesseract", "stdin", "stdout", "-l", "chi_sim", "--psm", "3",
         "-c", "preserve_interword_spaces=1", "tsv"],
        input=png.getvalue(), capture_output=True, timeout=_TESSERACT_TIMEOUT_S,
        env={**os.environ, **_TESSERACT_ENV}, check=False)
    if done.returncode != 0:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["failed"]
        raise OcrUnavailable("tesseract", detail[0][:200])
    rows = csv.DictReader(io.StringIO(done.stdout.decode("utf-8", "replace")), delimiter="\t",
                          quoting=csv.QUOTE_NONE)
    boxes = []
    for row in rows:
        text = (row.get("text") or "").strip()
        if row.get("level") != "5" or not text:
            continue
        left, top = float(row["left"]), float(row["top"])
        boxes.append(TextBox(text, left, top, left + float(row["width"]), top + float(row["height"]),
                             max(0.0, float(row["conf"])) / 100))
    return boxes


def reader(engine: str) -> Reader:
    """The page reader of `engine` ('rapidocr' or 'tesseract'); raises OcrUnavailable if absent."""
    if engine == "rapidocr":
        _rapidocr()  # fail now, with the install line, rather than on the first page
        return read_rapidocr
    if engine == "tesseract":
        if shutil.which("tesseract") is None:
            raise OcrUnavailable("tesseract", "no `tesseract` command on PATH")
        return read_tesseract
    raise OcrUnavailable(engine, f"unknown engine; choose one of {', '.join(ENGINES)}")
