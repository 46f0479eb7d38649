"""Each input format reaches the same extractor: TXT encodings, HTML, DOCX, PDF."""

from __future__ import annotations

import io

import docx
import pytest

from pipelines.parsing import parse_document, parse_path

from .helpers import FIXTURES, parse_fixture, values


def test_utf8_and_gbk_text_give_the_same_report():
    utf8 = parse_fixture("narrative_2008.txt")
    gbk = parse_fixture("narrative_2008_gbk.txt")
    assert values(gbk) == values(utf8)
    assert (gbk.region, gbk.province, gbk.report_year) == ("定州市", "河北省", 2016)


def test_big5_traditional_text_is_converted_to_simplified():
    report = parse_fixture("traditional_big5.txt")
    assert report.province == "北京市"
    assert report.report_year == 2010
    assert report.level == "department"
    # 資訊 is the Taiwan word for 信息: the phrase conversion makes the proactive rule match.
    assert values(report)["proactive_total"] == 128
    assert values(report)["applications_new"] == 12
    assert values(report)["reconsideration_total"] == 0


def test_html_table_with_rowspan_colspan_and_page_furniture():
    report = parse_fixture("table_2021.html")
    got = values(report)
    assert (report.region, report.province, report.level) == ("淮安市清江浦区", "江苏省", "district")
    assert report.report_year == 2022, "the nav link to a 2019 report must not set the year"
    assert report.publication_date == "2023-01-30", "the footer widget date is ignored"
    assert got["granted"] == 11 and got["granted__natural_person"] == 10
    assert got["refused_third_party"] == 2
    assert got["licensing_decisions"] == 1520


def _docx_bytes() -> bytes:
    document = docx.Document()
    document.add_paragraph("贺州市2012年政府信息公开工作年度报告")
    document.add_paragraph("本报告中所列数据的统计期限自2012年1月1日起至2012年12月31日止。")
    document.add_paragraph("一、主动公开政府信息情况")
    document.add_paragraph("2012年,全市主动公开政府信息8800条。")
    document.add_paragraph("二、依申请公开情况")
    table = document.add_table(rows=3, cols=2)
    for row, (label, number) in zip(table.rows, [("项目", "数量"), ("当面申请", "3"),
                                                   ("网上申请", "9")], strict=True):
        row.cells[0].text, row.cells[1].text = label, number
    document.add_paragraph("全市共收到政府信息公开申请12件,其中当面申请3件,网上申请9件。")
    document.add_paragraph("三、行政复议和行政诉讼情况")
    document.add_paragraph("全市未发生因政府信息公开引起的行政复议和行政诉讼。")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_paragraphs_and_tables():
    report = parse_document(_docx_bytes(), "report.docx")
    got = values(report)
    assert (report.province, report.report_year) == ("广西壮族自治区", 2012)
    assert got["proactive_total"] == 8800
    assert got["applications_new"] == 12
    assert got["channel_online"] == 9
    assert got["litigation_total"] == 0


def test_pdf_tables_are_read_as_tables(dev_corpus):
    report = parse_document((dev_corpus / "pdf" / "003.pdf").read_bytes(), "003.pdf")
    got = values(report)
    assert (report.region, report.report_year, report.template) == ("淮安市", 2024, "table-2021")
    assert got["unable_to_provide"] == 781
    assert got["other_processed"] == 187
    assert got["litigation_total"] == 46
    assert got["fees_yuan"] == 3940


@pytest.mark.parametrize("name", ["narrative_2008.txt", "table_2021.html"])
def test_parse_path_record_is_json_ready(name):
    record = parse_path(FIXTURES / name)
    assert set(record) >= {"file", "region", "region_code", "province", "level", "report_year",
                           "publication_date", "template", "issuer", "metrics"}
    assert all(isinstance(m["value"], int) for m in record["metrics"]
               if float(m["value"]).is_integer())
