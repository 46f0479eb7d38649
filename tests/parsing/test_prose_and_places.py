"""The failure classes of unseen reports, one small text each: stated zeros, verbs and totals,
counters and units, years near counts, proactive totals among many counts, and places."""

from __future__ import annotations

import pytest

from pipelines.parsing import parse_document
from pipelines.parsing.narrative import extract_narrative


def _prose(text: str, year: int | None = 2016) -> dict[str, float | int]:
    return {name: metric.value for (scope, name), metric in extract_narrative(text, year).items()
            if scope == "whole"}


def _report(body: str, title: str = "某某县2016年政府信息公开工作年度报告") -> dict:
    text = f"{title}\n一、总体情况\n{body}\n二、主动公开政府信息情况\n三、行政复议和行政诉讼情况\n"
    return parse_document(text.encode(), "report.txt")


@pytest.mark.parametrize(("sentence", "metric"), [
    ("2016年,我镇未收到政府信息公开申请。", "applications_new"),
    ("全年没有公民、法人和其它组织提出依申请公开信息的申请。", "applications_new"),
    ("2023年,我镇未收到依申请公开事项。", "applications_new"),
    ("2016年度未接到有关政府信息公开方面的复议、诉讼和申诉。", "reconsideration_total"),
    ("2016年度未接到有关政府信息公开方面的复议、诉讼和申诉。", "litigation_total"),
    ("本单位没有向依申请公开对象收取复印、传真、递送等任何费用。", "fees_yuan"),
    ("全年无投诉情况。", "complaints"),
    ("未引起行政复议,也未引起行政诉讼。", "litigation_total"),
    ("全镇信息公开的收费和减免为零。", "fees_yuan"),
    ("复议案0件。", "reconsideration_total"),
])
def test_a_stated_zero_is_a_value(sentence, metric):
    assert _prose(sentence).get(metric) == 0


def test_a_heading_followed_by_none_states_zero_and_unstated_metrics_stay_absent():
    found = _prose("四、政府信息公开的收费及减免情况\n无\n"
                   "五、因政府信息公开申请行政复议、提起行政诉讼的情况\n无\n")
    assert (found["fees_yuan"], found["reconsideration_total"], found["litigation_total"]) == (0, 0, 0)
    assert "applications_new" not in found and "complaints" not in found


@pytest.mark.parametrize("sentence", [
    "没有依申请公开信息的情况。",  # no information disclosed on application: no application count
    "未收到依申请公开信息的咨询。",  # an enquiry is not an application
    "全年未发生因依申请公开被行政复议纠错的情况。",  # no case lost says nothing of the count
    "无锡市政府信息公开申请受理点运行正常。",  # 无锡 is a city, not a negation
])
def test_no_zero_where_none_is_stated(sentence):
    found = _prose(sentence)
    assert "applications_new" not in found and "reconsideration_total" not in found


def test_concluded_is_the_processed_count_and_mailbox_letters_are_not_applications():
    found = _prose("2025年市政府办理政府信息公开申请61件,办结54件,结转下一年办理7件。"
                   "区政府网站共受理领导信箱337件,均按期办结。")
    assert (found["processed_total"], found["carried_forward"]) == (54, 7)


def test_years_near_counts_are_not_counts():
    found = _prose("2025年全区收到申请211件,另外2024年全区结转政府信息公开申请14件,"
                   "结转到2026年办理9件。", 2025)
    assert found["applications_new"] == 211
    assert found["applications_carried_in"] == 14 and found["carried_forward"] == 9
    assert 2024 not in found.values() and 2026 not in found.values()


@pytest.mark.parametrize(("sentence", "value"), [
    ("2014年,我局收到12起政府信息依申请公开。", 12),
    ("依申请公开系统共收到1宗信息。", 1),
    ("2021年,我局收到1项依申请公开事项。", 1),
    ("全年共收到政府信息公开申请2.3万件。", 23000),
])
def test_counters_and_units(sentence, value):
    assert _prose(sentence)["applications_new"] == value


@pytest.mark.parametrize(("text", "value"), [
    ("2019年,全县主动公开政府信息8769条。其中,通过县政府网站公开信息2100条。", 8769),
    ("市政府门户网站公开全市各类政府信息共计3437条。“子长发布”微信公众号发布信息576条。", 3437),
    ("主动公开规范性文件20份。全年主动公开政府信息数3854条。", 3854),
    ("截至2019年底,累计主动公开政府信息64627条。2019年主动公开政府信息8769条。", 8769),
    ("2020年累计主动公开政府信息275条,其中,本年度新增的主动公开政府信息32条。", 32),
    ("全省政府门户网站公开政府信息超过200万条。", 2_000_000),
    ("主动公开政府信息20余万条。", 200_000),
])
def test_the_proactive_total_among_channel_part_and_cumulative_counts(text, value):
    year = 2020 if "2020年" in text else 2019
    assert _prose(text, year)["proactive_total"] == value


def test_the_proactive_count_of_another_year_is_not_this_years():
    found = _prose("2009年共发布14条主动公开政府信息。"
                   "此外,2010年我镇通过门户网站公开各类政府信息24余条。", 2009)
    assert found["proactive_total"] == 14


def test_own_scope_figures_alone_are_the_reports_own():
    found = {key: m.value for key, m in extract_narrative("区本级共受理政府信息公开申请7件。", 2016).items()}
    assert found == {("own", "applications_new"): 7}
    report = _report("区本级共受理政府信息公开申请7件。")
    assert {(m.scope, m.metric): m.value for m in report.metrics}[("whole", "applications_new")] == 7


@pytest.mark.parametrize(("title", "body", "province"), [
    ("滨海新区2019年政府信息公开工作年度报告", "滨海新区积极推进政务公开。", None),
    ("滨海新区2019年政府信息公开工作年度报告", "天津市滨海新区积极推进政务公开。", "天津市"),
    ("某局2015年政府信息公开工作年度报告",
     "根据《关于做好年度报告工作的通知》(琼政务公开办〔2016〕69号)要求。", "海南省"),
    ("兴国镇人民政府2025年政府信息公开工作年度报告", "甘肃政府服务网-秦安 兴国镇人民政府发布。", "甘肃省"),
    ("南京经济技术开发区2013年政府信息公开工作年度报告", "开发区管委会推进公开。", "江苏省"),
    ("水利部2020年政府信息公开工作年度报告", "地址:北京市西城区白广路二条2号。", "中央"),
])
def test_identification_follows_the_context_and_abstains_when_nothing_decides(title, body, province):
    assert _report(body, title).province == province
