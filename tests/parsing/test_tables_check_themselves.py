"""Tables that check themselves: each flattening of table 三/四 read so its arithmetic holds,
and every value's confidence (confirmed / stated / unconfirmed) with the rule behind it."""

from __future__ import annotations

import json

from pipelines.parsing import parse_document
from pipelines.parsing.document import extract_metrics

HEAD = "某县2021年政府信息公开工作年度报告\n三、收到和处理政府信息公开申请情况\n"
ROWS_2021 = [
    ("一、本年新收政府信息公开申请数量", [5, 1, 0, 0, 0, 0, 6]),
    ("二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 0, 0, 1]),
    ("(一)予以公开", [3, 1, 0, 0, 0, 0, 4]),
    ("(二)部分公开", [1, 0, 0, 0, 0, 0, 1]),
    ("(七)总计", [4, 1, 0, 0, 0, 0, 5]),
    ("四、结转下年度继续办理", [2, 0, 0, 0, 0, 0, 2]),
]
TAIL = "四、政府信息公开行政复议、行政诉讼情况\n"


def _metrics(text: str) -> dict:
    values, _ = extract_metrics(text)
    return {name: metric for (scope, name), metric in values.items() if scope == "whole"}


def _piped(rows) -> str:
    return "".join(f"| {label} | {' | '.join(map(str, cells))} |\n" for label, cells in rows)


def test_rows_that_add_up_are_confirmed_by_their_own_sum_and_the_balance():
    got = _metrics(HEAD + _piped(ROWS_2021) + TAIL)
    assert got["applications_new"].value == 6 and got["applications_new__commercial"].value == 1
    assert got["granted"].confidence == "confirmed" and got["granted"].check == "row_sum"


def test_totals_alone_are_confirmed_by_the_balance_of_the_table():
    totals = "".join(f"| {label} | {cells[-1]} |\n" for label, cells in ROWS_2021)
    got = _metrics(HEAD + totals + TAIL)
    # 6 + 1 = 5 + 2: the 勾稽 rule of the 总计 column holds; each total alone is only stated.
    assert got["applications_new"].check == "balance" and got["carried_forward"].check == "balance"
    assert got["granted"].confidence == "stated"


def test_one_cell_per_line_and_a_whole_table_on_one_line_read_the_same():
    per_line = "".join(f"{label} |\n" + "".join(f"{c} |\n" for c in cells) for label, cells in ROWS_2021)
    one_line = " | ".join(f"{label} | {' | '.join(map(str, cells))}" for label, cells in ROWS_2021)
    for text in (per_line, one_line + "\n"):
        got = _metrics(HEAD + text + TAIL)
        assert {k: got[k].value for k in ("applications_new", "granted", "carried_forward")} == {
            "applications_new": 6, "granted": 4, "carried_forward": 2}


def test_generic_converted_headers_are_words_not_values():
    header = "| 数据1 | 数据2 | 数据3 | 数据4 | 数据5 | 数据6 | 总计 |\n|---|---|---|---|---|---|---|\n"
    got = _metrics(HEAD + header + _piped(ROWS_2021[:1]) + header + _piped(ROWS_2021[2:3]) + TAIL)
    assert got["applications_new"].value == 6 and got["granted"].value == 4
    assert got["applications_new__natural_person"].value == 5, "the header's 1 is no cell"


def test_glued_cells_are_split_by_the_row_sum():
    text = HEAD + ("一、本年新收政府信息公开申请数量21710000218"
                   "二、上年结转政府信息公开申请数量0000000\n") + TAIL
    got = _metrics(text)
    assert got["applications_new"].value == 218 and got["applicant_natural_person"].value == 217
    assert got["applications_new"].check == "row_sum_of_glued_cells"
    assert got["applications_carried_in"].value == 0


def test_a_short_row_is_read_only_when_its_cells_add_up_to_the_last():
    text = HEAD + ("| 一、本年新收政府信息公开申请数量 | 3 | 3 |\n"
                   "| 二、上年结转政府信息公开申请数量 | 2 | 5 |\n| (一)予以公开 | 1 |\n") + TAIL
    values, found = extract_metrics(text)
    assert values[("whole", "applications_new")].value == 3
    assert ("whole", "applications_carried_in") not in values, "2 is not 5: no 总计 can be trusted"
    assert values[("whole", "granted")].value == 1, "one figure for a row is a merged cell"
    assert {f.code for f in found} == {"short_table_row"}


def test_an_empty_total_cell_gives_no_total_and_the_prose_figure_stands():
    rows = _piped(ROWS_2021[:5]) + "| 四、结转下年度继续办理 | 1 | 0 | 0 | 0 | 0 | 0 |  |\n"
    got = _metrics("全年结转下年度继续办理1件。\n" + HEAD + rows + TAIL)
    assert got["carried_forward"].value == 1 and "办理1件" in got["carried_forward"].evidence
    assert got["carried_forward__natural_person"].value == 1


def test_a_row_that_does_not_add_up_is_kept_unconfirmed_with_a_finding():
    rows = [*ROWS_2021[:4], ("(七)总计", [4, 1, 0, 0, 0, 0, 9]), ROWS_2021[5]]
    values, found = extract_metrics(HEAD + _piped(rows) + TAIL)
    total = values[("whole", "processed_total")]
    assert (total.value, total.confidence, total.check) == (9, "unconfirmed", None)
    assert any(f.code == "table_arithmetic" and "processed_total" in f.message for f in found)


def test_a_table_that_does_not_balance_leaves_every_value_unconfirmed():
    rows = [*ROWS_2021[:5], ("四、结转下年度继续办理", [3, 0, 0, 0, 0, 0, 3])]
    values, found = extract_metrics(HEAD + _piped(rows) + TAIL)
    assert values[("whole", "granted")].confidence == "unconfirmed"
    assert any(f.code == "table_arithmetic" and "上年结转" in f.message for f in found)


def test_table_four_blocks_are_checked_and_glued_blocks_split():
    spaced = "行政复议 | 结果维持 | 结果纠正 | 其他结果 | 尚未审结 | 总计\n2 1 3 1 7 0 0 0 0 0 13 2 4 0 19\n"
    glued = "行政复议行政诉讼结果维持结果纠正其他结果尚未审结总计21317000001324019\n"
    for table in (spaced, glued):
        got = _metrics(HEAD + _piped(ROWS_2021) + "四、政府信息公开行政复议、行政诉讼情况\n" + table)
        assert got["reconsideration_total"].value == 7 and got["litigation_total"].value == 19
        assert got["reconsideration_total"].confidence == "confirmed"


def test_a_year_in_a_row_label_is_no_cell():
    rows = "| 二、上年(2020年)结转政府信息公开申请数量 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |\n"
    got = _metrics(HEAD + _piped(ROWS_2021[:1]) + rows + TAIL)
    assert got["applications_carried_in"].value == 1


def test_report_html_kept_in_a_script_string_is_read():
    table = "<table>" + "".join(
        f"<tr><td>{label}</td>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>"
        for label, cells in ROWS_2021) + "</table>"
    inner = "<p>某县2021年政府信息公开工作年度报告</p><p>三、收到和处理政府信息公开申请情况</p>" + table
    script = f"<script>var html = {json.dumps(inner)};</script>"
    page = f"<html><body><div id='report'></div>{script}</body></html>"
    report = parse_document(page.encode(), "report.html")
    got = {m.metric: m.value for m in report.metrics}
    assert got["applications_new"] == 6 and got["carried_forward"] == 2


def test_confidence_and_check_are_in_the_json_record():
    record = parse_document((HEAD + _piped(ROWS_2021) + TAIL).encode(), "r.txt").to_record("r.txt")
    metric = next(m for m in record["metrics"] if m["metric"] == "granted")
    assert (metric["confidence"], metric["check"]) == ("confirmed", "row_sum")
