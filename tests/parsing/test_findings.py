"""Contradictions the parser resolves are reported as findings: one small case per code."""

from __future__ import annotations

from pipelines.parsing import findings, identify, parse_document
from pipelines.parsing.document import extract_metrics

INTRO = ("根据《中华人民共和国政府信息公开条例》要求,现公布本报告。一、总体情况 主动公开 依申请公开 "
         "行政复议 行政诉讼 收费 存在的问题\n")


def test_title_year_against_the_self_description():
    text = ("某县人民政府2025年政府信息公开工作年度报告\n"
            "本年报是由某县人民政府办公室编制的2024年度政府信息公开年度报告。\n")
    found = findings.year_findings(text, identify.find_title(text), 2025)
    assert [(f.code, f.message) for f in found] == [
        ("year_conflict", "report year 2025 taken from the title; the report also says 2024")]


def test_statistical_period_agreeing_or_a_lone_date_is_no_year_conflict():
    agree = "某县2024年政府信息公开工作年度报告\n统计期限为2024年1月1日至2024年12月31日。\n"
    dated = "某县2024年政府信息公开工作年度报告\n发布时间:2025年1月1日\n"
    for text in (agree, dated):
        assert findings.year_findings(text, identify.find_title(text), 2024) == []


def test_prose_and_table_disagreeing_keep_the_table_and_report_both():
    text = INTRO + ("2024年,共受理政府信息公开申请17件。\n三、收到和处理政府信息公开申请情况\n"
                    "一、本年新收政府信息公开申请数量 | 95 | 0 | 0 | 0 | 0 | 0 | 95\n")
    values, found = extract_metrics(text)
    assert values[("whole", "applications_new")].value == 95
    assert [(f.code, f.message) for f in found] == [(
        "narrative_table_conflict",
        "applications_new (whole): table 95, prose 17; the table value is kept")]


def test_a_table_row_with_fewer_numbers_than_columns():
    text = (INTRO + "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 | 3 3\n"
            "二、上年结转政府信息公开申请数量 | 2 5\n三、本年度办理结果\n")
    values, found = extract_metrics(text)
    assert [f.code for f in found] == ["short_table_row", "short_table_row"]
    assert "2 numbers where 7 columns" in found[0].message and "add up to it" in found[0].message
    assert values[("whole", "applications_new")].value == 3, "3 = 3: the last is 总计"
    assert ("whole", "applications_carried_in") not in values, "2 is not 5: the 总计 is unclear"
    assert "not read" in found[1].message


def test_a_short_last_row_where_the_text_stops_is_not_read():
    text = INTRO + "三、收到和处理政府信息公开申请情况\n一、本年新收政府信息公开申请数量 | 3 3\n"
    values, _ = extract_metrics(text)
    assert ("whole", "applications_new") not in values, "the excerpt may stop before 总计"


def test_a_channel_beside_standard_ones_that_maps_to_none():
    found = findings.channel_findings("共办理申请21件。其中,网络申请14件,书面申请7件。本年新收申请3件。")
    assert [(f.code, f.message.split(",")[0]) for f in found] == [
        ("unmapped_channel", "applications by 书面: 7")]
    assert findings.channel_findings("其中,网络申请14件,当面申请7件。") == []


def test_a_combined_granted_or_partly_granted_figure():
    found = findings.combined_findings("本年新收421件。同意公开或部分公开246件。")
    assert [f.code for f in found] == ["combined_outcome"] and "246" in found[0].message
    assert findings.combined_findings("予以公开12件,部分公开3件。") == []


def test_a_page_widget_date_before_the_covered_year():
    text = "天津市某区人民政府\n2019年12月3日星期二\n统计期限为2023年1月1日至2023年12月31日。\n"
    found = findings.stale_date_findings(text, 2023)
    assert [(f.code, f.evidence) for f in found] == [("stale_date_ignored", "2019年12月3日星期二")]
    assert findings.stale_date_findings(text, 2019) == []


def test_findings_are_in_the_json_record():
    text = (INTRO.replace("现公布本报告", "现公布某县2021年政府信息公开工作年度报告")
            + "其中,网络申请14件,书面申请7件。\n")
    record = parse_document(text.encode("utf-8"), "r.txt").to_record("r.txt")
    assert [f["code"] for f in record["findings"]] == ["unmapped_channel"]
    assert set(record["findings"][0]) == {"code", "message", "evidence"}


# The dev-corpus contradictions of ../shared/corpus/dev/README.md the parser reads.
DEV_FINDINGS = {
    "reports/001.txt": {"table_arithmetic"},
    "pdf/001.pdf": {"table_arithmetic"},
    "reports/002.txt": {"narrative_table_conflict"},
    "pdf/002.pdf": {"narrative_table_conflict"},
    "reports/006.txt": {"short_table_row"},
    "reports/016.txt": {"year_conflict"},
    "reports/051.txt": {"unmapped_channel"},
    "reports/076.txt": {"combined_outcome", "stale_date_ignored"},
    "seeds/003_38967d40d03fbadc.txt": {"narrative_table_conflict", "table_arithmetic"},
}


def test_dev_corpus_contradictions_are_findings(dev_corpus):
    for name, codes in DEV_FINDINGS.items():
        path = dev_corpus / name
        assert set(_codes_of(path)) == codes, name
    for seed in sorted((dev_corpus / "seeds").glob("*.txt")):
        if f"seeds/{seed.name}" not in DEV_FINDINGS:
            assert _codes_of(seed) == [], seed.name


def _codes_of(path) -> list[str]:
    return [f.code for f in parse_document(path.read_bytes(), path.name).findings]
