"""Vocabulary: the template's row labels and the report language, mapped to metric names.

Everything the extractor recognises lives here as data; tables.py and narrative.py only
apply it.
"""

from __future__ import annotations

# The canonical metrics of METRICS.md, the evaluation contract and gold's metric columns (in
# this order); the parser emits more (table cells per column, sub-rows), which stay in silver.
CANONICAL_METRICS: tuple[str, ...] = (
    "proactive_total", "applications_new", "applications_carried_in", "applications_total",
    "channel_in_person", "channel_online", "channel_letter", "channel_fax", "channel_email",
    "applicant_natural_person", "processed_total", "granted", "partly_granted", "refused",
    "unable_to_provide", "not_processed", "other_processed", "carried_forward",
    "already_public", "not_this_agency", "not_exist", "amend_requested", "other_route",
    "reconsideration_total", "reconsideration_upheld", "reconsideration_corrected",
    "reconsideration_other", "reconsideration_pending",
    "litigation_total", "litigation_upheld", "litigation_corrected", "litigation_other",
    "litigation_pending", "complaints", "fees_yuan", "licensing_decisions",
    "penalty_decisions", "coercion_decisions", "procurement_count", "procurement_amount_wan_yuan",
)

# Table 三 leaf rows in template order (2021 has three 其他处理 sub-rows, 2019 one row).
# Each pattern is searched in a row's label text; the rightmost match is the most specific.
APPLICATION_ROWS: list[tuple[str, str]] = [
    ("applications_new", r"本年新收"),
    ("applications_carried_in", r"上年(?:度)?(?:\(\d{4}年?(?:度)?\))?结转"),
    ("granted", r"予以公开"),
    ("partly_granted", r"部分公开"),
    ("refused_state_secret", r"国家秘密"),
    ("refused_prohibited_by_law", r"其他法律|禁止公开"),
    ("refused_three_securities", r"三安全|危及"),
    ("refused_third_party", r"第三方"),
    ("refused_internal_affairs", r"内部事务"),
    ("refused_process_info", r"过程性"),
    ("refused_enforcement_file", r"执法案卷"),
    ("refused_inquiry", r"查(?:询|找)事项"),  # OpenCC tw2sp turns 查詢 into 查找
    ("unable_not_held", r"不掌握"),
    ("unable_needs_creation", r"另行制作"),
    ("unable_still_unclear", r"仍不明确|补正后"),
    ("not_processed_petition", r"信访|举报投诉类"),
    ("not_processed_repeat", r"重复申请"),
    ("not_processed_publication", r"出版物"),
    ("not_processed_mass_repeat", r"大量反复"),
    ("not_processed_confirmation", r"重新出具|确认或"),
    ("other_processed_no_amendment", r"逾期不补|无正当理由逾期"),
    ("other_processed_no_fee", r"收费通知|缴纳费用"),
    ("other_processed_other", r"(?:^|\|)\s*3\s*[.、]\s*其他\s*(?:\||$|\d)"),
    ("other_processed", r"其他处理"),
    ("processed_total", r"七\s*[)、.]?\s*总\s*计"),
    ("carried_forward", r"结转下一?年"),
]
# A category label shares a row with its first sub-row; the sub-row wins.
CATEGORY_ROWS = {"other_processed"}

# Categories the templates give only as sub-rows: the category is the sum of its parts.
CATEGORY_PARTS: dict[str, str] = {
    "refused": "refused_",
    "unable_to_provide": "unable_",
    "not_processed": "not_processed_",
    "other_processed": "other_processed_",
}

# Table 三 columns: natural person, five kinds of legal person, then the total.
APPLICANT_COLUMNS = ["__natural_person", "__commercial", "__research", "__social_org",
                     "__legal_service", "__other_org", ""]

# Table 四: fifteen cells, in this order, in both 2019 and 2021.
REVIEW_OUTCOMES = ["upheld", "corrected", "other", "pending", "total"]
REVIEW_BLOCKS = ["reconsideration", "litigation_direct", "litigation_after_reconsideration"]
REVIEW_COLUMNS = [f"{block}_{outcome}" for block in REVIEW_BLOCKS for outcome in REVIEW_OUTCOMES]

# Table 二 rows: anchored label, then metric names for the cells of each template.
DISCLOSURE_ROWS: list[tuple[str, str, dict[str, list[str]]]] = [
    ("regulations", r"规章", {
        "table-2019": ["regulations_made", "regulations_published", "regulations_total"],
        "table-2021": ["regulations_issued", "regulations_repealed", "regulations_in_force"]}),
    ("normative", r"(?:行政)?规范性文件", {
        "table-2019": ["normative_docs_made", "normative_docs_published", "normative_docs_total"],
        "table-2021": ["normative_docs_issued", "normative_docs_repealed",
                       "normative_docs_in_force"]}),
    ("licensing", r"行政许可", {
        "table-2019": ["licensing_items_last_year", "licensing_items_change",
                       "licensing_decisions"],
        "table-2021": ["licensing_decisions"]}),
    ("other_services", r"其他对外管理服务事项", {
        "table-2019": ["other_services_items_last_year", "other_services_items_change",
                       "other_services_decisions"]}),
    ("penalty", r"行政处罚", {
        "table-2019": ["penalty_items_last_year", "penalty_items_change", "penalty_decisions"],
        "table-2021": ["penalty_decisions"]}),
    ("coercion", r"行政强制", {
        "table-2019": ["coercion_items_last_year", "coercion_items_change", "coercion_decisions"],
        "table-2021": ["coercion_decisions"]}),
    ("admin_fees", r"行政事业性收费", {
        "table-2019": ["admin_fee_items_last_year", "admin_fee_items_change"],
        "table-2021": ["admin_fees_wan_yuan"]}),
    ("procurement", r"政府集中采购", {
        "table-2019": ["procurement_count", "procurement_amount_wan_yuan"]}),
]
