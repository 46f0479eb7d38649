"""Geometry under the PDF and OCR readers: borders to cells, OCR boxes to rows, page skew."""

from __future__ import annotations

from PIL import Image, ImageDraw

from pipelines.parsing.layout import lines
from pipelines.parsing.ocr import TextBox
from pipelines.parsing.ruling import Line, find_tables
from pipelines.parsing.scan import skew_angle


def _grid(ys, xs) -> tuple[list[Line], list[Line]]:
    return ([Line(y, xs[0], xs[-1]) for y in ys], [Line(x, ys[0], ys[-1]) for x in xs])


def test_a_label_spanning_rows_is_one_cell_in_its_first_row():
    horizontal, vertical = _grid([0, 20, 40, 60], [0, 100, 200, 300])
    horizontal[1] = Line(20, 100, 300)  # no border under the first column's first cell
    (table,) = find_tables(horizontal, vertical)
    assert [len(row) for row in table.rows] == [3, 2, 3]
    assert (table.rows[0][0].y0, table.rows[0][0].y1) == (0, 40)


def test_borders_drawn_in_pieces_are_joined():
    pieces = [Line(10, 0, 50), Line(10.6, 50, 120), Line(30, 0, 120), Line(50, 0, 120)]
    (table,) = find_tables(pieces, [Line(0, 10, 50), Line(60, 10, 50), Line(120, 10, 50)])
    assert [len(row) for row in table.rows] == [2, 2]


def test_a_box_around_a_paragraph_is_not_a_table():
    assert find_tables(*_grid([0, 100], [0, 400])) == []


def _box(text, x0, y0, x1, y1, confidence=0.99):
    return TextBox(text, x0, y0, x1, y1, confidence)


def test_ocr_boxes_become_rows_with_cells():
    boxes = [_box("本年新收", 10, 100, 120, 130), _box("35", 300, 102, 330, 128, 0.7),
             _box("3", 400, 101, 415, 129), _box("上年结转", 10, 150, 120, 180),
             _box("2", 300, 152, 315, 178), _box("全年", 10, 200, 50, 230), _box("共计", 52, 201, 95, 230)]
    assert [(text, round(conf, 2)) for _, text, conf in lines(boxes)] == [
        ("本年新收 | 35 | 3", 0.7), ("上年结转 | 2", 0.99), ("全年共计", 0.99)]


def test_a_label_written_downwards_does_not_glue_rows_together():
    boxes = [_box("办理结果", 10, 100, 40, 260),  # vertical text beside four rows
             *(_box(f"{n}", 300, 100 + 40 * n, 320, 130 + 40 * n) for n in range(4))]
    texts = [text for _, text, _ in lines(boxes)]
    assert sorted(texts) == ["0", "1", "2", "3", "办理结果"], "one line each, nothing joined"


def test_skew_is_found_from_the_ink():
    page = Image.new("L", (1200, 1600), 255)
    draw = ImageDraw.Draw(page)
    for row in range(40):
        draw.rectangle((100, 100 + row * 35, 1100, 112 + row * 35), fill=0)
    turned = page.rotate(-1.2, fillcolor=255)
    assert abs(skew_angle(turned) - 1.2) <= 0.2
    assert abs(skew_angle(page)) <= 0.1
