"""The DOCX reader: merged cells, odd structures and broken files, read from WordprocessingML."""

from __future__ import annotations

import io
import zipfile

import docx
import pytest

from pipelines.parsing import UnreadableFile
from pipelines.parsing.docx_reader import docx_text

_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _package(document_xml: str | bytes, compress: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A minimal Word package around the given word/document.xml."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compress) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", document_xml)
    return buffer.getvalue()


def _docx(body: str) -> bytes:
    return _package(f'<?xml version="1.0" encoding="UTF-8"?><w:document {_NS}><w:body>{body}'
                    "<w:sectPr/></w:body></w:document>")


def _p(text: str) -> str:
    return f"<w:p><w:r><w:t>{text}</w:t></w:r></w:p>"


def _tc(text: str = "", span: int = 1, merge: str | None = None) -> str:
    props = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    if merge is not None:
        props += f'<w:vMerge w:val="{merge}"/>' if merge else "<w:vMerge/>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{_p(text) if text else '<w:p/>'}</w:tc>"


def _tbl(*rows: str) -> str:
    return "<w:tbl><w:tblPr/><w:tblGrid/>" + "".join(f"<w:tr>{row}</w:tr>" for row in rows) + "</w:tbl>"


def test_paragraphs_and_tables_come_out_in_document_order():
    body = _p("一、总体情况") + _tbl(_tc("项目") + _tc("数量"), _tc("当面申请") + _tc("3")) + _p("二、结语")
    assert docx_text(_docx(body)).split("\n") == ["一、总体情况", "项目 | 数量", "当面申请 | 3", "二、结语"]


def test_horizontally_merged_cell_is_read_once():
    body = _tbl(_tc("申请人情况", span=3), _tc("自然人") + _tc("法人", span=2))
    assert docx_text(_docx(body)).split("\n") == ["申请人情况", "自然人 | 法人"]


def test_vertically_merged_label_is_repeated_in_every_row_it_spans():
    body = _tbl(_tc("(三)不予公开", merge="restart") + _tc("1.属于国家秘密") + _tc("2"),
                _tc(merge="") + _tc("2.其他法律") + _tc("0"),
                _tc(merge="continue") + _tc("3.危及三安全") + _tc("1"))
    assert docx_text(_docx(body)).split("\n") == ["(三)不予公开 | 1.属于国家秘密 | 2",
                                                 "(三)不予公开 | 2.其他法律 | 0",
                                                 "(三)不予公开 | 3.危及三安全 | 1"]


def test_vertical_merge_follows_its_grid_column_past_spans_and_skipped_columns():
    # Row 2 starts one grid column late (gridBefore); its continuing cell is at column 2, under 乙.
    skipped = '<w:trPr><w:gridBefore w:val="1"/></w:trPr>'
    body = _tbl(_tc("甲", span=2) + _tc("乙", merge="restart") + _tc("丙"),
                skipped + _tc("丁") + _tc(merge="") + _tc("戊"))
    assert docx_text(_docx(body)).split("\n") == ["甲 | 乙 | 丙", "丁 | 乙 | 戊"]


def test_merged_cells_written_by_python_docx():
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "行政复议"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "结果"
    for row, (kind, count) in enumerate([("维持", "2"), ("纠正", "1")], start=1):
        table.cell(row, 1).text, table.cell(row, 2).text = kind, count
    buffer = io.BytesIO()
    document.save(buffer)
    assert docx_text(buffer.getvalue()).split("\n") == ["行政复议", "结果 | 维持 | 2", "结果 | 纠正 | 1"]


def test_continuing_cell_with_nothing_above_keeps_its_own_text():
    body = _tbl(_tc("孤立", merge="") + _tc("5"))
    assert docx_text(_docx(body)) == "孤立 | 5"


def test_run_content_tabs_breaks_hyphens_and_hyperlinks():
    body = ("<w:p><w:r><w:t>公开</w:t><w:tab/><w:t>12件</w:t><w:br/><w:t>续行</w:t>"
            '<w:br w:type="page"/><w:noBreakHyphen/></w:r>'
            "<w:hyperlink><w:r><w:t>链接文字</w:t></w:r></w:hyperlink></w:p>")
    assert docx_text(_docx(body)) == "公开\t12件\n续行-链接文字"


def test_nested_table_stays_out_of_the_outer_row_and_comments_are_skipped():
    nested = _tbl(_tc("内层"))
    body = ("<!-- a comment in the body -->"
            + _tbl(f"<w:tc><w:tcPr/>{_p('外层')}{nested}<w:p/></w:tc>" + _tc("7")) + _p("之后"))
    assert docx_text(_docx(body)).split("\n") == ["外层 | 7", "之后"]


def test_cell_paragraphs_and_whitespace_are_joined_with_single_spaces():
    spaced = '<w:p><w:r><w:t xml:space="preserve">\u3000第二段\t</w:t></w:r></w:p>'
    cell = f"<w:tc>{_p('  第一段 ')}{spaced}</w:tc>"
    assert docx_text(_docx(_tbl(cell + _tc()))) == "第一段 第二段"


def test_external_entities_are_not_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CONTENT")
    xml = (f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>'
           f"<w:document {_NS}><w:body><w:p><w:r><w:t>前&x;后</w:t></w:r></w:p></w:body></w:document>")
    assert "TOP-SECRET" not in docx_text(_package(xml))


def _corrupt_member(data: bytes) -> bytes:
    """The package with bytes inside word/document.xml's compressed stream overwritten."""
    start = data.index(b"word/document.xml") + len("word/document.xml")
    return data[:start + 10] + b"\xff" * 20 + data[start + 30:]


@pytest.mark.parametrize(("data", "words"), [
    (_package("<w:document"), "damaged"),
    (_package(f"<w:document {_NS}><w:p/></w:document>"), "no document body"),
    (_corrupt_member(_docx(_p("政府信息公开" * 50))), "damaged"),
    (_docx(_p("x"))[:-30], "damaged or truncated"),
], ids=["malformed-xml", "no-body", "corrupt-deflate-stream", "cut-central-directory"])
def test_broken_documents_raise_unreadable_with_a_reason(data, words):
    with pytest.raises(UnreadableFile) as caught:
        docx_text(data)
    assert words in caught.value.reason
