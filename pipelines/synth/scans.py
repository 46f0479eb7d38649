"""Scanned reports with known truth: real PDFs rendered to images and wrapped as image-only PDFs.

`render_scans(sources, labels, out, seed)` renders every page of each source PDF at 150–300 dpi,
degrades some pages as scanners and offices do (a slight rotation, blur, a red stamp over a
corner, JPEG compression), and writes `out/<stem>.pdf` plus `out/labels.csv`: the originals'
label rows, pointed at the new files. Each document draws from its own `random.Random` seeded by
(seed, file name), and the PDF dates are fixed, so a seed always gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter

DPI_CHOICES = (150, 200, 300)
_FIXED_DATE = "D:20240101000000Z"
_RED = (214, 40, 40)


@dataclass(frozen=True)
class PageLook:
    """How one page was degraded (kept in the manifest beside the scan)."""

    dpi: int
    angle: float
    blur: float
    stamp: bool


def _look(rng: random.Random, dpi: int, last_page: bool) -> PageLook:
    angle = rng.choice((-1, 1)) * rng.uniform(0.3, 1.5) if rng.random() < 0.4 else 0.0
    blur = rng.uniform(0.4, 0.9) if rng.random() < 0.3 else 0.0
    # The seal sits on the signature page; other pages get one now and then.
    stamp = last_page or rng.random() < 0.2
    return PageLook(dpi, round(angle, 2), round(blur, 2), stamp)


def _stamp(image: Image.Image, rng: random.Random) -> Image.Image:
    """A red seal (ring, inner ring, star) multiplied over one corner, as ink over the print."""
    width, height = image.size
    size = int(min(width, height) * rng.uniform(0.2, 0.28))
    layer = Image.new("RGB", image.size, "white")
    draw = ImageDraw.Draw(layer)
    x = rng.choice((int(width * 0.06), width - size - int(width * 0.06)))
    y = rng.choice((int(height * 0.05), height - size - int(height * 0.08)))
    ring = max(3, size // 28)
    draw.ellipse((x, y, x + size, y + size), outline=_RED, width=ring)
    inset = size // 9
    draw.ellipse((x + inset, y + inset, x + size - inset, y + size - inset), outline=_RED, width=1)
    centre, radius = (x + size / 2, y + size / 2), size / 6
    draw.regular_polygon((centre, radius), 5, rotation=rng.uniform(0, 72), fill=_RED)
    return ImageChops.multiply(image, layer)


def degrade(image: Image.Image, look: PageLook, rng: random.Random) -> Image.Image:
    """The page image as a scanner would give it under `look`."""
    if look.stamp:
        image = _stamp(image, rng)
    if look.angle:
        image = image.rotate(look.angle, resample=Image.Resampling.BICUBIC, fillcolor="white")
    if look.blur:
        image = image.filter(ImageFilter.GaussianBlur(look.blur))
    return image


def render_page(pdf, index: int, dpi: int) -> Image.Image:
    """Page `index` of an open pypdfium2 document as an RGB image at `dpi`."""
    return pdf[index].render(scale=dpi / 72).to_pil().convert("RGB")


def render_pages(data: bytes, dpi: int) -> list[Image.Image]:
    """Every page of a PDF as an RGB image at `dpi`."""
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(data)
    try:
        return [render_page(pdf, index, dpi) for index in range(len(pdf))]
    finally:
        pdf.close()


def image_pdf(pages: list[Image.Image], dpi: int) -> bytes:
    """An image-only PDF of the pages (JPEG inside, fixed dates so the bytes are reproducible)."""
    buffer = io.BytesIO()
    pages[0].save(buffer, "PDF", save_all=True, append_images=pages[1:], resolution=dpi,
                  quality=80, creationDate=_FIXED_DATE, modDate=_FIXED_DATE)
    return buffer.getvalue()


def scan_pdf(data: bytes, rng: random.Random) -> tuple[bytes, list[PageLook]]:
    """One PDF as a degraded scan, and how each page looks."""
    dpi = rng.choice(DPI_CHOICES)
    pages = render_pages(data, dpi)
    looks = [_look(rng, dpi, index == len(pages) - 1) for index in range(len(pages))]
    scanned = [degrade(page, look, rng) for page, look in zip(pages, looks, strict=True)]
    return image_pdf(scanned, dpi), looks


def partly_scanned(data: bytes, scanned: set[int], dpi: int = 200) -> bytes:
    """The PDF with the pages numbered in `scanned` (from 1) replaced by images of themselves:
    a report whose signed or annexed pages were scanned and put back among the text pages."""
    import pypdfium2 as pdfium

    source, out = pdfium.PdfDocument(data), pdfium.PdfDocument.new()
    for index in range(len(source)):
        if index + 1 not in scanned:
            out.import_pages(source, [index])
            continue
        width, height = source[index].get_size()
        jpeg = io.BytesIO()
        render_page(source, index, dpi).save(jpeg, "JPEG", quality=85)
        jpeg.seek(0)
        image = pdfium.PdfImage.new(out)
        image.load_jpeg(jpeg, inline=True)
        image.set_matrix(pdfium.PdfMatrix().scale(width, height))
        page = out.new_page(width, height)
        page.insert_obj(image)
        page.gen_content()
    buffer = io.BytesIO()
    out.save(buffer)
    return buffer.getvalue()


def render_scans(sources: dict[str, Path], labels: Path, out: Path, seed: int = 0) -> list[Path]:
    """Scan each source (label file name -> PDF) into `out`; write `out/labels.csv` for the scans.

    `sources` maps the file name the labels use (reports/001.txt) to the PDF it was read from.
    """
    out.mkdir(parents=True, exist_ok=True)
    written, manifest = [], []
    renamed = {}
    for label_name, pdf in sorted(sources.items()):
        rng = random.Random(f"nianbao-scan:{seed}:{pdf.name}")
        data, looks = scan_pdf(pdf.read_bytes(), rng)
        target = out / f"{pdf.stem}.pdf"
        target.write_bytes(data)
        written.append(target)
        renamed[label_name] = target.name
        manifest += [{"file": target.name, "page": page, **vars(look)} for page, look in enumerate(looks, 1)]
    _write_labels(labels, renamed, out / "labels.csv")
    _write_rows(out / "manifest.csv", manifest)
    return written


def _write_labels(labels: Path, renamed: dict[str, str], target: Path) -> None:
    """The label rows of the scanned files, their `file` column naming the scan."""
    with labels.open(encoding="utf-8", newline="") as handle:
        rows = [row for row in csv.DictReader(handle) if row["file"] in renamed]
    for row in rows:
        row["file"] = renamed[row["file"]]
    _write_rows(target, rows)


def _write_rows(target: Path, rows: list[dict]) -> None:
    if not rows:
        target.write_text("", encoding="utf-8")
        return
    with target.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
