"""Narrative vocabulary: how reports state their figures in running text, as patterns.

A rule is (metrics, pattern): the pattern holds a keyword group `kw` and a number group
`num` (with optional `mult`, 万/亿). When several rules claim one number, the rule whose
keyword stands closest to it wins ("补正后申请内容仍不明确46份" is 仍不明确, not 补正), unless
another rule is stronger: a bare 办理/答复 yields to any outcome ("告知通过其他途径办理的12件").
"""

from __future__ import annotations

import re

from .numbers import NUM

UNIT = r"\s*(?:件|份|条|起|宗|例)"
_STOP = r"\d,。;:、()或和及与\n|"


def _gap(width: int) -> str:
    return rf"[^{_STOP}]{{0,{width}}}?"


def _rule(metrics: str, keyword: str, gap: int = 6, unit: str = UNIT, strength: int = 1) -> tuple:
    pattern = rf"(?P<kw>{keyword}){_gap(gap)}\s*{NUM}{unit}"
    return tuple(metrics.split()), re.compile(pattern), strength


def _number_first(metrics: str, keyword: str) -> tuple:
    return tuple(metrics.split()), re.compile(rf"{NUM}{UNIT}\s*(?P<kw>{keyword})"), 1


# Standard application channels: the word naming each and the verbs it takes (网络申请14件).
CHANNELS = {
    "channel_in_person": (r"(?:当面|现场|窗口)", r"(?:申请|提出|提交)"),
    "channel_online": (r"(?:网络|网上|在线|互联网)", r"(?:申请|提出|提交)"),
    "channel_letter": ("信函", r"(?:申请|提出)"),
    "channel_fax": ("传真", r"(?:申请|提出)"),
    "channel_email": (r"电子(?:邮件|邮箱)", r"(?:申请|提出)"),
}
# Figures about applications and their outcomes (pre-2019 wording and 2019+ wording).
RULES: list[tuple] = [
    _rule("applications_new", rf"(?:新收到|收到|受理|接到|接收|新收)[^{_STOP}]{{0,12}}?(?:申请|请求)"),
    _rule("applications_new", r"本年(?:度)?新收到?|新收到", gap=12),
    _rule("applications_carried_in", r"上年(?:度)?结转", gap=8),
    _rule("carried_forward", r"结转(?:到|至)?下一?年(?:度)?(?:办理|继续办理)?", gap=4),
    _number_first("carried_forward", r"(?:结转|顺延)(?:到|至)?下一?年"),
    _rule("processed_total", r"(?:申请)?(?<!按时)(?<!延期)(?<!公开)(?:办结|答复|办理|处理)(?!率)"
          r"(?:了)?(?:政府信息公开|依申请公开|信息公开)?(?:申请)?(?:件(?=\s*\d))?", gap=0,
          strength=0),
    _rule("processed_total", r"按时办结(?![^。]*延期)", gap=2),
    _number_first("processed_total", r"[^。,]{0,14}?申请[^。,]{0,4}?(?:已)?全部(?:受理)?(?:办结|答复)"),
    _rule("granted", r"(?<!不)(?<!部分)(?:同意公开|予以公开)"),
    _rule("partly_granted", r"(?<!或)(?:同意)?部分公开"),
    _rule("refused", r"不同意公开|不予公开", gap=4),
    _rule("not_processed", r"不予处理", gap=4),
    _rule("other_processed", r"其他处理", gap=4),
    _rule("already_public", r"(?:属于?)?已(?:经)?主动公开(?:范围)?"),
    _rule("already_public", r"(?<=[:,])主动公开(?=\d|的)", gap=2, unit=r"\s*件"),
    _rule("not_this_agency", r"不属于本(?:行政)?机关|非本(?:行政)?机关"),
    _rule("not_exist", r"信息不存在"),
    _rule("amend_requested", r"更改补充|补充更改|申请补正|要求补正"),
    _rule("other_route", r"其他途径"),
    *(_rule(name, f"{word}{verb}") for name, (word, verb) in CHANNELS.items()),
    _rule("complaints", r"投诉举报|举报投诉", gap=8, unit=r"\s*(?:件|起|次|个)"),
    # 收取…检索、复制、邮寄等费用0元: the fee list is enumerated with 、.
    _rule("fees_yuan", r"(?:收取|收费)[^\d,。;:()\n|]{0,24}?(?:费|金额)?", gap=4, unit=r"\s*元"),
    _rule("reconsideration_total litigation_total", r"行政复议[^。\d]{0,10}?行政诉讼", gap=6,
          strength=2),
]
# The 2019+ sub-rows written out in prose (湖北 2019: 属于国家秘密57份 ...).
SUB_ITEM_KEYWORDS: list[tuple[str, str]] = [
    ("refused_state_secret", r"国家秘密"),
    ("refused_prohibited_by_law", r"其他法律行政法规禁止公开|禁止公开"),
    ("refused_three_securities", r"三安全一稳定"),
    ("refused_third_party", r"第三方合法权益"),
    ("refused_internal_affairs", r"内部事务"),
    ("refused_process_info", r"过程性信息"),
    ("refused_enforcement_file", r"执法案卷"),
    ("refused_inquiry", r"查(?:询|找)事项"),
    ("unable_not_held", r"不掌握(?:相关)?"),
    ("unable_needs_creation", r"另行制作"),
    ("unable_still_unclear", r"仍不明确"),
    ("not_processed_petition", r"信访举报投诉类?"),
    ("not_processed_repeat", r"重复申请"),
    ("not_processed_publication", r"公开出版物"),
    ("not_processed_mass_repeat", r"大量反复申请"),
    ("not_processed_confirmation", r"重新出具已获取信息"),
]
RULES += [_rule(metric, keyword, gap=8) for metric, keyword in SUB_ITEM_KEYWORDS]

# Proactive disclosure totals, strongest wording first: 全市主动公开… before 网站公开…. The
# pattern starts at 公开/发布 (a fast literal scan); 主动 and the lead word are read before it.
PROACTIVE = re.compile(
    rf"(?:公开|发布)(?:了)?(?:各类|各种)?(?:政府|政务)?信息(?:共|总数|总量|数量|数)?(?:为|达|计)?"
    rf"\s*{NUM}\s*(?:条|件)")
PROACTIVE_ACTIVE = "主动"
PROACTIVE_LEAD = re.compile(rf"(?P<lead>全[省市区县镇乡旗州]|全年|共|累计)[^{_STOP}]{{0,6}}$")

# Review blocks: which outcome list the following 维持/纠正/其他/尚未审结 belong to.
REVIEW_BLOCKS: list[tuple[str, str]] = [
    ("litigation_after_reconsideration", r"复议后(?:再)?起诉"),
    ("litigation_direct", r"(?:未经复议)?直接(?:向法院)?起诉"),
    ("reconsideration", r"行政复议"),
    ("litigation", r"行政诉讼|行政应诉"),
]
BLOCK_MARKER = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in REVIEW_BLOCKS))
BLOCK_TOTAL = re.compile(rf"(?:{'|'.join(p for _, p in REVIEW_BLOCKS)})"
                         rf"(?:申请|案件|案)?{_gap(6)}\s*{NUM}{UNIT}")
REVIEW_OUTCOMES: list[tuple[str, str]] = [
    ("upheld", r"(?:结果)?维持(?:具体行政行为|原(?:具体)?行政行为)?(?:或驳回原告诉讼请求)?"),
    ("corrected", r"(?:结果)?纠正|(?:被依法)?纠错"),
    ("other", r"其他(?:结果|情形)"),
    ("pending", r"尚未审结|未审结"),
]
OUTCOMES = [(name, re.compile(rf"(?P<kw>{p}){_gap(4)}\s*{NUM}{UNIT}")) for name, p in REVIEW_OUTCOMES]

# Statements of zero: (metric, negation, topic that must appear, topic that must not).
_NEGATION = r"未发生|没有发生|未收到|没有收到|未接到|没有接到|未受理|无因|未出现|没有出现|未产生|没有产生"
ZERO_RULES: list[tuple[str, re.Pattern, re.Pattern, re.Pattern]] = [
    ("applications_new", re.compile(r"未收到|没有收到|未接到|没有接到|未受理"),
     re.compile(r"申请"), re.compile(r"复议|诉讼|收费|费用|投诉")),
    ("reconsideration_total", re.compile(_NEGATION), re.compile(r"行政复议"), re.compile(r"$^")),
    ("litigation_total", re.compile(_NEGATION), re.compile(r"行政诉讼|行政应诉"),
     re.compile(r"$^")),
    ("complaints", re.compile(_NEGATION), re.compile(r"投诉|举报"), re.compile(r"信访举报投诉类")),
    ("fees_yuan", re.compile(_NEGATION + r"|未收取|没有收取|不收取|没有收费|未收费|免费"),
     re.compile(r"申请|信息公开|提供信息|政府信息|公开信息|处理费"), re.compile(r"行政事业性|复议|诉讼")),
]
ZERO_FEE_TOPIC = re.compile(r"收费|费用|收取|免费")

SCOPE_OWN = re.compile(r"(?:省|市|区|县|州|盟|旗)本级")
SCOPE_WHOLE = re.compile(r"全(?:省|市|区|县|州|盟|旗)")
OWN_ASIDE = re.compile(rf"\s*\(\s*(?:省|市|区|县|州)本级(?:为)?\s*{NUM}{UNIT}\s*\)")
