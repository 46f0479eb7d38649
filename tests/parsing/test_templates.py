"""The three national formats: 2008 narrative, 2019 tables (flattened), 2021 tables."""

from __future__ import annotations

from .helpers import parse_fixture, values


def test_narrative_2008_outcomes_channels_and_zero_statements():
    report = parse_fixture("narrative_2008.txt")
    got = values(report)
    assert report.template == "narrative-2008"
    assert report.report_year == 2016, "a cited 2015 notice must not set the year"
    assert report.publication_date == "2017-03-20"
    assert got["proactive_total"] == 12500, "全市主动公开 (1.25万条) beats a website-only count"
    assert got["applications_new"] == 103, "一百零三件 is a Chinese numeral"
    assert (got["channel_in_person"], got["channel_online"], got["channel_letter"]) == (40, 50, 13)
    assert got["processed_total"] == 103
    assert (got["granted"], got["partly_granted"], got["refused"]) == (60, 8, 5)
    assert (got["already_public"], got["not_this_agency"], got["not_exist"]) == (10, 12, 4)
    assert (got["amend_requested"], got["other_route"]) == (2, 2)
    assert (got["reconsideration_total"], got["reconsideration_upheld"]) == (6, 4)
    assert (got["reconsideration_corrected"], got["reconsideration_other"]) == (1, 1)
    assert got["litigation_total"] == 0, "未发生…行政诉讼 states a zero"
    assert got["fees_yuan"] == 0, "未收取…费用 states a zero"
    assert "complaints" not in got, "a value the report does not state stays absent"


def test_flattened_2019_table_sums_sub_rows_and_reads_table_two():
    report = parse_fixture("table_2019_flattened.txt")
    got = values(report)
    assert report.template == "table-2019"
    assert (got["applications_new"], got["applicant_natural_person"]) == (8, 7)
    assert got["refused"] == 1 and got["unable_to_provide"] == 2 and got["not_processed"] == 0
    assert got["other_processed"] == 1 and got["processed_total"] == 9
    assert got["licensing_decisions"] == 9650 and got["licensing_items_change"] == -30
    assert got["procurement_count"] == 52 and got["procurement_amount_wan_yuan"] == 2519.6
    assert got["proactive_total"] == 5500, "5500余条 is the stated number"
    assert got["litigation_total"] == 2 and got["litigation_corrected"] == 1
    assert got["litigation_direct_total"] == 1
    assert got["litigation_after_reconsideration_total"] == 1


def test_2021_table_columns_and_other_processed_sub_rows():
    report = parse_fixture("table_2021.html")
    got = values(report)
    assert report.template == "table-2021"
    assert got["applications_new__commercial"] == 2 and got["applications_new__other_org"] == 1
    assert got["other_processed"] == 3, "其他处理 = its three 2021 sub-rows"
    assert got["other_processed_other"] == 1
    assert got["processed_total"] == 32 and got["carried_forward"] == 4
    assert got["admin_fees_wan_yuan"] == 35.5
    assert got["reconsideration_total"] == 5 and got["litigation_upheld"] == 3


def test_own_scope_from_the_same_sentence_and_bracketed_asides():
    from pipelines.parsing.narrative import extract_narrative

    text = ("全省新收到政府信息公开申请900份,全年办结880份。省本级新收到120份,全年办结118份。\n"
            "全省因政府信息公开申请行政复议43件(省本级4件),结果维持23件(省本级2件)。")
    found = {(scope, name): m.value for (scope, name), m in extract_narrative(text).items()}
    assert found[("whole", "applications_new")] == 900
    assert found[("own", "applications_new")] == 120
    assert found[("own", "processed_total")] == 118
    assert found[("own", "reconsideration_total")] == 4
    assert found[("own", "reconsideration_upheld")] == 2
