"""Fuzzing parse_document: whatever the bytes, a Report or a ParseError, never anything else.

A small budget so it runs in `make test` (a few hundred examples, well under 30 seconds);
NIANBAO_FUZZ_EXAMPLES=5000 runs a deeper search by hand.
A ParseError whose reason says "the parser failed" is the wrapper around an unexpected
exception, i.e. a defect, so it fails the test too.
"""

from __future__ import annotations

import math
import os
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pipelines.parsing import ParseError, Report, parse_document
from tests.parsing.bad_inputs import REPORT_LINES, REPORT_TEXT, text_pdf

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "parsing"
_EXAMPLES = int(os.environ.get("NIANBAO_FUZZ_EXAMPLES", "150"))
BUDGET = settings(max_examples=_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
# Mutated PDFs cost ~50 ms each; fewer of them keep the file fast.
SMALL_BUDGET = settings(max_examples=max(_EXAMPLES // 4, 10), deadline=None,
                        suppress_health_check=list(HealthCheck))

NAMES = st.sampled_from(["r.txt", "r.pdf", "r.html", "r.docx", "", "../../a b 年报", "x" * 1000])
FRAGMENTS = REPORT_LINES + [
    "本年新收政府信息公开申请数量 | 21 | 0 | 0 | 0 | 0 | 0 | 21", "(一)予以公开 11 2 0 0 0 0 13",
    "行政复议 | 维持 | 纠正 | 其他 | 尚未审结 | 总计", "1 0 0 0 1 2 0 0 0 0 0 0 0 0 0",
    "第二十条第(五)项 | 行政许可 | 5 | 增3 | 1520", "收取费用0元", "市本级", "(二)市本级情况",
    "未发生因政府信息公开引起的行政复议", "一万二千", "5500余件", "-54", "减5874", "2019年1月1日",
    "1999年", "2150年度", "《条例》", "全市主动公开政府信息", "9" * 40, "1." * 20, "\t\x0b\u3000",
]
REPORTISH = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=40),
                               st.integers(-10**20, 10**20).map(str)), max_size=40)
TAGS = st.sampled_from(["<div>", "</div>", "<table>", "<tr>", "<td rowspan=3 colspan=200>", "</td>",
                        "<script>", "</script>", "<p>", "<br>", "<!--", "-->", "<html>", "<body>",
                        "<meta charset=gbk>", "<th colspan=x>", "</table>", "<style>"])


def _check(data: bytes, name: str) -> None:
    """The contract: a sane Report, or a ParseError with a reason that is not a defect."""
    try:
        report = parse_document(data, name)
    except ParseError as error:
        assert isinstance(error.reason, str) and error.reason
        assert not error.reason.startswith("the parser failed"), error.reason
        return
    assert isinstance(report, Report)
    assert report.report_year is None or 2000 <= report.report_year <= 2100
    for metric in report.metrics:
        assert isinstance(metric.value, int | float) and math.isfinite(metric.value), metric
        assert metric.value >= 0 or metric.metric.endswith("_change"), metric


@BUDGET
@given(st.binary(max_size=3000), NAMES)
def test_random_bytes(data, name):
    _check(data, name)


@BUDGET
@given(REPORTISH, st.sampled_from(["\n", "", " ", "。"]), st.sampled_from(["utf-8", "gbk", "utf-16"]),
       NAMES)
def test_report_like_text(parts, separator, encoding, name):
    _check((REPORT_TEXT + separator.join(parts)).encode(encoding, errors="ignore"), name)


@BUDGET
@given(st.lists(st.one_of(TAGS, st.sampled_from(FRAGMENTS)), max_size=80), NAMES)
def test_html_like_markup(pieces, name):
    _check("".join(pieces).encode(), name)


def _seeds() -> list[bytes]:
    html = (FIXTURES / "table_2021.html").read_bytes()[:20000]
    gbk = (FIXTURES / "narrative_2008_gbk.txt").read_bytes()[:8000]
    return [REPORT_TEXT.encode(), html, gbk, text_pdf()]


@SMALL_BUDGET
@given(st.sampled_from(_seeds()), st.lists(st.tuples(st.floats(0, 1), st.binary(max_size=8),
                                                     st.integers(0, 16)), min_size=1, max_size=6))
def test_mutated_real_inputs(seed, edits):
    data = bytearray(seed)
    for where, insert, delete in edits:
        at = int(where * len(data))
        data[at:at + delete] = insert
    _check(bytes(data), "mutated.bin")
