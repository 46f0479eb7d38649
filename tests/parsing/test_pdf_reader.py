"""The PDFium reader: ruled tables as rows of cells, page by page reading, and its limits.

The PDFs are generated here (tables drawn as Word draws them and as stroked lines, thousands of
pages, content streams that take PDFium minutes); the dev corpus checks skip without ../shared.
"""

from __future__ import annotations

import time

import pytest

from pipelines.parsing import UnreadableFile, parse_document
from pipelines.parsing.pdf_reader import pdf_text

from .bad_inputs import REPORT_LINES, pages_pdf, show, text_pdf

# A 4-column table: 项目 spans the first two rows, the last row's label wraps onto two lines
# (PDFium's own line order then puts its figures on a line of their own).
_CELLS = [(45, 677, "项目"), (205, 686, "本年新收"), (365, 686, "35"), (445, 686, "3"),
          (205, 666, "上年结转"), (365, 666, "2"), (445, 666, "1"),
          (45, 645, "合计"), (45, 617, "说明"), (365, 632, "37"), (445, 632, "4")]
_XS, _YS = (40, 200, 360, 440, 520), (700, 680, 660, 610)
EXPECTED_ROWS = ["项目 | 本年新收 | 35 | 3", "上年结转 | 2 | 1", "合计说明 | 37 | 4"]


def _borders(style: str) -> bytes:
    """The table's borders: thin filled rectangles (as Word prints them), stroked lines, or one
    stroked path drawing the whole grid (moved into place by a transformation matrix)."""
    lines = [(40, 700, 520, 700), (200, 680, 520, 680), (40, 660, 520, 660), (40, 610, 520, 610)]
    lines += [(x, 610, x, 700) for x in _XS]
    if style == "stroked-lines":
        return b"".join(f"0.5 w {x0} {y0} m {x1} {y1} l S\n".encode() for x0, y0, x1, y1 in lines)
    if style == "one-path":
        moves = " ".join(f"{x0 - 40} {y0 - 600} m {x1 - 40} {y1 - 600} l" for x0, y0, x1, y1 in lines)
        return f"q 1 0 0 1 40 600 cm 0.5 w {moves} S Q\n".encode()
    return b"".join(f"{x0} {y0} {max(x1 - x0, 0.5)} {max(y1 - y0, 0.5)} re f\n".encode()
                    for x0, y0, x1, y1 in lines)


def table_page(style: str = "filled-rectangles") -> bytes:
    """A page with a title line, the ruled table, and a line of prose under it."""
    text = show(40, 760, "临江市2020年政府信息公开工作年度报告") + show(40, 560, "以上为申请情况。")
    return text + _borders(style) + b"".join(show(x, y, t) for x, y, t in _CELLS)


@pytest.mark.parametrize("style", ["filled-rectangles", "stroked-lines", "one-path"])
def test_ruled_table_rows_and_cells(style):
    lines = pdf_text(pages_pdf([table_page(style)])).splitlines()
    assert lines[0] == "临江市2020年政府信息公开工作年度报告"
    assert lines[1:4] == EXPECTED_ROWS
    assert lines[-1] == "以上为申请情况。"


def test_dev_pdf_tables_come_out_as_template_rows(dev_corpus):
    text = pdf_text((dev_corpus / "pdf" / "003.pdf").read_bytes())
    assert "一、本年新收政府信息公开申请数量 | 3001 | 53 | 0 | 0 | 61 | 4 | 3119" in text
    assert ("（二）部分公开（区分处理的，只计这一情形，不计其他情形） | 447 | 7 | 0 | 0 | 0 | 0 | 454"
            in text), "a label wrapped in its cell stays one cell, on its figures' row"
    assert "（七）总计 | 2932 | 53 | 0 | 0 | 61 | 4 | 3050" in text


def test_pages_keep_their_order():
    pages = [show(40, 800, line) for line in REPORT_LINES]
    assert pdf_text(pages_pdf(pages)).splitlines() == REPORT_LINES


def test_many_pages_are_refused_by_the_page_cap():
    started = time.perf_counter()
    with pytest.raises(UnreadableFile) as caught:
        parse_document(pages_pdf([show(40, 800, "第一页")] * 3000, shared=True), "big.pdf")
    assert "3,000 pages, over the limit of 500 (NIANBAO_MAX_PAGES)" in caught.value.reason
    assert time.perf_counter() - started < 5


def test_page_cap_comes_from_the_settings(monkeypatch):
    monkeypatch.setenv("NIANBAO_MAX_PAGES", "2")
    with pytest.raises(UnreadableFile, match="3 pages, over the limit of 2"):
        parse_document(pages_pdf([show(40, 800, line) for line in REPORT_LINES[:3]]), "r.pdf")


def test_slow_pages_are_stopped_by_the_time_budget(monkeypatch):
    # Each page draws 40,000 paths: a few hundred milliseconds of PDFium per page.
    monkeypatch.setenv("NIANBAO_PARSE_SECONDS", "1")
    heavy = b"0 0 m 1 1 l " * 40_000 + b"S"
    started = time.perf_counter()
    with pytest.raises(UnreadableFile) as caught:
        parse_document(pages_pdf([heavy] * 50, shared=True, flate=True), "slow.pdf")
    assert "of 50 page(s)" in caught.value.reason
    assert "1-second budget per file (NIANBAO_PARSE_SECONDS)" in caught.value.reason
    assert time.perf_counter() - started < 5


def test_one_endless_page_is_stopped_by_killing_the_worker(monkeypatch):
    # 47 KB of PDF whose one content stream inflates to 24 MB of path operators: PDFium spends
    # some 16 s inside that page, where no check between pages can reach it.
    monkeypatch.setenv("NIANBAO_PARSE_SECONDS", "1")
    endless = pages_pdf([b"0 0 m 1 1 l " * 2_000_000 + b"S"], flate=True)
    started = time.perf_counter()
    with pytest.raises(UnreadableFile) as caught:
        parse_document(endless, "bomb.pdf")
    assert "1-second budget per file (NIANBAO_PARSE_SECONDS)" in caught.value.reason
    assert time.perf_counter() - started < 8
    monkeypatch.delenv("NIANBAO_PARSE_SECONDS")
    report = parse_document(text_pdf(), "next.pdf")  # a new worker reads the next file
    assert report.report_year == 2020
