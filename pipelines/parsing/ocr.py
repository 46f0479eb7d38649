"""OCR of a page image: text boxes with their confidence, from RapidOCR or Tesseract.

RapidOCR (`rapidocr-onnxruntime`: PP-OCRv4 Chinese models inside its wheel, run by onnxruntime
on the CPU) is the default engine; Tesseract (Debian's `tesseract-ocr` and `tesseract-ocr-chi-sim`)
is the other one measured beside it (docs/extraction.md). Both run offline. An engine that is
not installed raises `OcrUnavailable` with the line that installs it.
"""

from __future__ import annotations

import csv
import functools
import importlib.util
import io
import os
import shutil
import subprocess
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
_PAGE_LAYOUT, _ONE_LINE = 3, 7  # Tesseract page segmentation modes


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


class Engine:
    """An OCR engine: text boxes of a whole page, and the text of one cropped line or cell."""

    name = ""

    def boxes(self, image: Image.Image) -> list[TextBox]:
        """Every piece of text found on the image."""
        raise NotImplementedError

    def line(self, image: Image.Image) -> tuple[str, float]:
        """The text of an image holding one line (a table cell) and the confidence."""
        raise NotImplementedError


class RapidOcr(Engine):
    """RapidOCR: PP-OCRv4 detection and recognition, onnxruntime on one CPU thread."""

    name = "rapidocr"

    def __init__(self):
        try:
            from rapidocr_onnxruntime import RapidOCR
        except ImportError as exc:
            raise OcrUnavailable(self.name, f"{type(exc).__name__}: {exc}") from exc
        # One thread per session: parsing runs one document per core (Dask workers, the CLI).
        self.engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)

    @staticmethod
    def _bgr(image: Image.Image):
        import numpy as np

        return np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])

    def boxes(self, image: Image.Image) -> list[TextBox]:
        # No direction classifier: it turns a lone 9 upside down into a 6, and pages are upright.
        found, _ = self.engine(self._bgr(image), use_cls=False)
        boxes = []
        for quad, text, score in found or []:
            xs, ys = [point[0] for point in quad], [point[1] for point in quad]
            boxes.append(TextBox(text, min(xs), min(ys), max(xs), max(ys), float(score)))
        return boxes

    def line(self, image: Image.Image) -> tuple[str, float]:
        found, _ = self.engine(self._bgr(image), use_det=False, use_cls=False)
        text, score = (found or [["", 0.0]])[0]
        return text, float(score)


class Tesseract(Engine):
    """Tesseract 5 through its command, Simplified Chinese model, one thread."""

    name = "tesseract"

    def __init__(self):
        if shutil.which("tesseract") is None:
            raise OcrUnavailable(self.name, "no `tesseract` command on PATH")

    def _tsv(self, image: Image.Image, psm: int) -> list[dict]:
        png = io.BytesIO()
        image.convert("L").save(png, "PNG")
        done = subprocess.run(
            ["tesseract", "stdin", "stdout", "-l", "chi_sim", "--psm", str(psm),
             "-c", "preserve_interword_spaces=1", "tsv"],
            input=png.getvalue(), capture_output=True, timeout=_TESSERACT_TIMEOUT_S,
            env={**os.environ, **_TESSERACT_ENV}, check=False)
        if done.returncode != 0:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["failed"]
            raise OcrUnavailable(self.name, detail[0][:200])
        rows = csv.DictReader(io.StringIO(done.stdout.decode("utf-8", "replace")), delimiter="\t",
                              quoting=csv.QUOTE_NONE)
        return [row for row in rows if row.get("level") == "5" and (row.get("text") or "").strip()]

    def boxes(self, image: Image.Image) -> list[TextBox]:
        boxes = []
        for row in self._tsv(image, _PAGE_LAYOUT):
            left, top = float(row["left"]), float(row["top"])
            boxes.append(TextBox(row["text"].strip(), left, top, left + float(row["width"]),
                                 top + float(row["height"]), max(0.0, float(row["conf"])) / 100))
        return boxes

    def line(self, image: Image.Image) -> tuple[str, float]:
        words = self._tsv(image, _ONE_LINE)
        if not words:
            return "", 0.0
        return "".join(row["text"].strip() for row in words), min(float(row["conf"]) for row in words) / 100


@functools.cache
def _installed(*modules: str) -> bool:
    """Whether the modules can be imported (looked up once per process: a search of sys.path)."""
    return all(importlib.util.find_spec(module) for module in modules)


def missing_engine(name: str) -> str | None:
    """Why the engine `name` cannot run here (with the line that installs it), or None if it can.

    Cheap (no import, no model load), so it can be asked for every file.
    """
    if name == "off":
        return "OCR is turned off (NIANBAO_OCR_ENGINE=off)"
    if name == "rapidocr":
        problem = None if _installed("rapidocr_onnxruntime", "onnxruntime") else "it is not installed"
    elif name == "tesseract":
        problem = None if shutil.which("tesseract") else "no `tesseract` command on PATH"
    else:
        problem = f"unknown engine; choose one of {', '.join(ENGINES)} or off"
    return OcrUnavailable(name, problem).reason if problem else None


@functools.cache
def engine(name: str) -> Engine:
    """The OCR engine called `name` ('rapidocr' or 'tesseract'), made once per process."""
    engines = {"rapidocr": RapidOcr, "tesseract": Tesseract}
    if name not in engines:
        raise OcrUnavailable(name, f"unknown engine; choose one of {', '.join(ENGINES)}")
    return engines[name]()
