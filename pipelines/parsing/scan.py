"""A scanned page to text lines: render it, clean it, straighten it, OCR it, rebuild rows and cells.

Official documents carry a red seal, often over the figures: the page is read in its red channel,
where red ink turns as light as the paper and black print stays black. Scans come a degree or
two askew; a table row then drifts by more than a line height across the page and its cells
would land in different rows. The skew is found from the page's ink (the angle whose row profile
is sharpest) and undone before OCR. The ruling lines are found and painted out (OCR reads a
line beside a figure as a 1), ruled tables are rebuilt cell by cell (`scan_tables.py`), the rest
of the page line by line (`layout.py`). Every engine gets the same treatment.
"""

from __future__ import annotations

from dataclasses import dataclass

from PIL import Image

from .layout import lines
from .ocr import Engine
from .scan_tables import find_grid, read_tables, without_rulings

OCR_DPI = 200
_MAX_SKEW = 3.0
_PROFILE_WIDTH = 700


@dataclass(frozen=True)
class ScannedPage:
    """What OCR read on one page: lines in reading order with each line's lowest confidence."""

    number: int
    lines: list[tuple[str, float]]
    skew: float

    @property
    def text(self) -> str:
        return "\n".join(text for text, _ in self.lines)


def _sharpness(ink, angle: float) -> float:
    """How crisp the horizontal ink profile is with the page turned by `angle` degrees."""
    import numpy as np

    turned = np.asarray(ink.rotate(angle, resample=Image.Resampling.NEAREST), dtype=np.float32)
    profile = turned.sum(axis=1)
    return float(np.square(np.diff(profile)).sum())


def skew_angle(image: Image.Image) -> float:
    """The page's skew in degrees (counter-clockwise positive), within ±3°, to 0.1°."""
    scale = _PROFILE_WIDTH / image.width
    small = image.convert("L").resize((_PROFILE_WIDTH, max(1, int(image.height * scale))))
    ink = small.point(lambda v: 255 if v < 140 else 0)
    coarse = max((step / 2 for step in range(int(-2 * _MAX_SKEW), int(2 * _MAX_SKEW) + 1)),
                 key=lambda angle: _sharpness(ink, angle))
    fine = [coarse + step / 10 for step in range(-5, 6)]
    return round(max(fine, key=lambda angle: _sharpness(ink, angle)), 1)


def straighten(image: Image.Image) -> tuple[Image.Image, float]:
    """The image turned upright, and the angle it was turned by."""
    angle = skew_angle(image)
    if angle == 0:
        return image, 0.0
    return image.rotate(angle, resample=Image.Resampling.BICUBIC, fillcolor="white"), angle


def without_seal(image: Image.Image) -> Image.Image:
    """The page in grey from its red channel: a red seal fades out, black print stays."""
    return image.convert("RGB").getchannel("R").convert("RGB")


def read_image(image: Image.Image, engine: Engine, dpi: int, number: int = 1) -> ScannedPage:
    """OCR one page image (at `dpi`) and rebuild its lines: table rows, then the rest, top down."""
    upright, angle = straighten(without_seal(image))
    grid = find_grid(upright, dpi)
    clean = without_rulings(upright, grid)
    boxes = engine.boxes(clean)
    tables = read_tables(engine, clean, grid, boxes, dpi)
    taken = set().union(*(table.boxes for table in tables))
    placed = [row for table in tables for row in table.rows]
    placed += lines(box for i, box in enumerate(boxes) if i not in taken)
    placed.sort(key=lambda item: item[0])
    return ScannedPage(number, [(text, conf) for _, text, conf in placed], angle)


def read_page(page, engine: Engine, number: int, dpi: int = OCR_DPI) -> ScannedPage:
    """OCR one pypdfium2 page rendered at `dpi`."""
    return read_image(page.render(scale=dpi / 72).to_pil(), engine, dpi, number)
