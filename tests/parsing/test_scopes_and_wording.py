"""Both scopes (全市 / 市本级), wording variants, traditional variants, big numerals, short county names."""

from __future__ import annotations

import pytest

from pipelines.parsing import parse_document
from pipelines.parsing.narrative import extract_narrative, reflow
from pipelines.parsing.numbers import to_number
from pipelines.parsing.textnorm import normalise

from .helpers import FIXTURES, parse_fixture, values


def _prose(text: str) -> dict[tuple[str, str], float | int]:
    return {key: metric.value for key, metric in extract_narrative(text).items()}


def _report(body: str, title: str = "某某市2020年政府信息公开工作年度报告") -> dict:
    text = f"{title}\n一、总体情况\n{body}\n二、主动公开政府信息情况\n三、行政复议和行政诉讼情况\n"
    return parse_document(text.encode(), "report.txt")


def test_tables_under_both_scope_headings_are_read_per_scope():
    report = parse_fixture("both_scopes_2019.txt")
    whole, own = values(report), values(report, "own")
    assert (whole["applications_new"], own["applications_new"]) == (40, 12)
    assert (whole["processed_total"], own["processed_total"]) == (40, 11)
    assert (whole["refused"], own["refused"]) == (4, 1), "sub-rows summed within each scope"
    assert own["applicant_natural_person"] == 12 and own["carried_forward"] == 1
    assert (whole["reconsideration_total"], whole["litigation_total"]) == (5, 2)
    assert (own["reconsideration_total"], own["reconsideration_upheld"]) == (1, 1)
    assert own["litigation_total"] == 0


def test_own_scope_sentence_keeps_its_scope_past_semicolons():
    found = _prose("全市新收政府信息公开申请三百九十二件。\n"
                   "全年市本级共受理政府信息公开申请一百件;已答复一百件,其中同意公开五十七件,"
                   "不予公开的七件。\n2016年,市本级主动公开政府信息12375条。")
    assert found[("whole", "applications_new")] == 392
    assert found[("own", "applications_new")] == 100
    assert found[("own", "processed_total")] == 100
    assert (found[("own", "granted")], found[("own", "refused")]) == (57, 7)
    assert found[("own", "proactive_total")] == 12375
    assert ("whole", "granted") not in found


def test_statements_of_zero_take_the_scope_of_their_sentence():
    found = _prose("全年全区共收取政府信息公开检索、复制、邮寄等费用二十二元。\n"
                   "2017年,自治区本级未收取政府信息公开相关费用。\n"
                   "市本级未发生因政府信息公开申请行政复议的案件。")
    assert found[("whole", "fees_yuan")] == 22, "二十二元 and a fee list joined by 、"
    assert found[("own", "fees_yuan")] == 0, "自治区本级未收取… is the own scope's zero"
    assert found[("own", "reconsideration_total")] == 0
    assert ("whole", "reconsideration_total") not in found


@pytest.mark.parametrize("wording", ["现场申请", "当面申请", "窗口提交"])
def test_in_person_channel_wordings(wording):
    found = _prose(f"本年度新收政府信息公开申请20件,其中{wording}4件,网上申请16件。")
    assert found[("whole", "channel_in_person")] == 4
    assert found[("whole", "channel_online")] == 16


def test_fees_totals_and_complaints_stated_as_none():
    found = _prose("全年共收取政府信息公开检索、复制、邮寄等费用0元。"
                   "全年全县未收到有关政府信息公开工作的投诉举报。")
    assert found[("whole", "fees_yuan")] == 0
    assert found[("whole", "complaints")] == 0


def test_petition_row_wording_is_no_statement_of_zero_complaints():
    found = _prose("不予处理的申请中,没有收到信访举报投诉类申请。")
    assert ("whole", "complaints") not in found


def test_variant_and_taiwan_characters_of_table_three():
    import opencc

    assert "秘密" in normalise("1.屬於國家祕密"), "祕 folds to 秘 even in lightly traditional text"
    text = (FIXTURES / "both_scopes_2019.txt").read_text(encoding="utf-8")
    traditional = opencc.OpenCC("s2t").convert(text)
    assert "國家祕密" in traditional and "查詢事項" in traditional
    report = parse_document(traditional.encode(), "report.txt")
    got = values(report)
    assert got["refused_state_secret"] == 1 and got["refused_inquiry"] == 1
    assert got["refused"] == 4, "查詢 becomes 查找 under OpenCC tw2sp; both name the row"


@pytest.mark.parametrize(("written", "value"), [
    ("二万九千八百五十九", 29859), ("一万零三", 10003), ("三千零五十二", 3052)])
def test_chinese_numerals_past_ten_thousand(written, value):
    assert to_number(written) == value
    assert _prose(f"本年度新收政府信息公开申请{written}件。")[("whole", "applications_new")] == value


def test_trailing_wan_stays_a_multiplier():
    assert _prose("全年主动公开政府信息二十万条。")[("whole", "proactive_total")] == 200_000
    assert _prose("全年主动公开政府信息五千五百余条。")[("whole", "proactive_total")] == 5500


@pytest.mark.parametrize(("title", "province", "region"), [
    ("渠县东风镇2012年度政府信息公开工作年度报告", "四川省", "渠县"),
    ("2017年邱县政府信息公开工作年度报告", "河北省", "邱县"),
    ("应县2020年政府信息公开工作年度报告", "山西省", "应县"),
])
def test_two_character_county_names_open_a_title(title, province, region):
    report = _report("本年度新收政府信息公开申请3件。", title)
    assert (report.province, report.region) == (province, region)


def test_two_character_county_name_inside_a_sentence_is_a_word():
    report = _report("严格按照《条例》和县政府总体要求,新收政府信息公开申请3件。",
                     "高楼乡2023年政府信息公开工作年度报告")
    assert report.region != "和县"


def test_a_bare_section_heading_is_not_joined_to_the_next_line():
    paragraphs = reflow("四、政府信息公开的收费及减免情况\n市本级依申请公开收取费用0元。")
    assert paragraphs == ["四、政府信息公开的收费及减免情况", "市本级依申请公开收取费用0元。"]
