"""Chinese display names of the canonical metrics, for the dashboard's axes and tables.

A metric without a label (an extra one the parser found) is shown by its canonical name.
"""

from __future__ import annotations

_CASE_PARTS = {
    "total": "总数", "upheld": "维持", "corrected": "纠正", "other": "其他结果", "pending": "尚未审结",
}

METRIC_LABELS: dict[str, str] = {
    "proactive_total": "主动公开信息数",
    "applications_new": "新收申请数",
    "applications_carried_in": "上年结转申请数",
    "applications_total": "申请总数（新收+上年结转）",
    "processed_total": "办结申请数",
    "granted": "予以公开",
    "partly_granted": "部分公开",
    "refused": "不予公开",
    "unable_to_provide": "无法提供",
    "not_processed": "不予处理",
    "other_processed": "其他处理",
    "carried_forward": "结转下年办理",
    "already_public": "属于已主动公开",
    "not_this_agency": "非本机关政府信息",
    "not_exist": "信息不存在",
    "amend_requested": "告知作出更改补充",
    "other_route": "告知通过其他途径办理",
    "channel_in_person": "当面申请",
    "channel_online": "网络申请",
    "channel_letter": "信函申请",
    "channel_fax": "传真申请",
    "channel_email": "电子邮件申请",
    "applicant_natural_person": "自然人申请",
    "complaints": "举报投诉",
    "fees_yuan": "收费金额（元）",
    "licensing_decisions": "行政许可决定数",
    "penalty_decisions": "行政处罚决定数",
    "coercion_decisions": "行政强制决定数",
    "procurement_count": "政府集中采购项目数",
    "procurement_amount_wan_yuan": "政府集中采购金额（万元）",
    "disclosure_rate": "公开率（予以公开+部分公开）/办结",
    "reconsideration_correction_rate": "行政复议纠错率",
    "litigation_correction_rate": "行政诉讼纠错率",
    **{f"reconsideration_{part}": f"行政复议{name}" for part, name in _CASE_PARTS.items()},
    **{f"litigation_{part}": f"行政诉讼{name}" for part, name in _CASE_PARTS.items()},
}

SCOPE_LABELS = {"whole": "全辖区", "own": "本级机关"}
SOURCE_LABELS = {"province_report": "省级年报", "aggregate": "由下级年报汇总"}
LEVEL_LABELS = {"national": "国家级", "province": "省级", "city": "市级", "county": "县级",
                "district": "区级", "township": "乡镇级", "department": "部门"}


def labels() -> dict[str, dict[str, str]]:
    """Every label table, as embedded in the page for its JavaScript."""
    return {"metric": METRIC_LABELS, "scope": SCOPE_LABELS, "source": SOURCE_LABELS,
            "level": LEVEL_LABELS}
