"""Narrative vocabulary: how reports state their counts in running text, as patterns.

A rule holds a keyword group `kw` and a number group `num` (with optional `mult`, 万/亿). When
several rules claim one number, the stronger rule wins (rules of strength 0 or less count only
in text about applications), then the one whose keyword stands
closest to it ("补正后申请内容仍不明确46份" is 仍不明确, not 补正). When several numbers are claimed
for one metric, the rule of higher priority wins, then the first in the text: 办结 Y 件 is the
year's concluded count even after 办理 X 件. A rule with a year group `y` holds only when that
year stands where the rule says relative to the report's year (2024年结转 in a 2025 report).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numbers import NUM

UNIT = r"\s*(?:件|份|条|起|宗|例|项)"
_STOP = r"\d,。;:、()或和及与\n|"
_NOT_A_YEAR = r"(?!\s*年)"


def _gap(width: int) -> str:
    return rf"[^{_STOP}]{{0,{width}}}?"


@dataclass(frozen=True)
class Rule:
    """Metrics a number is claimed for, the pattern, and how it ranks against other claims."""

    metrics: tuple[str, ...]
    pattern: re.Pattern
    strength: int = 1
    priority: int = 1
    year_offset: int | None = None


def _rule(metrics: str, keyword: str, gap: int = 6, unit: str = UNIT, strength: int = 1,
          priority: int = 1) -> Rule:
    pattern = rf"(?P<kw>{keyword}){_gap(gap)}\s*{NUM}{unit}"
    return Rule(tuple(metrics.split()), re.compile(pattern), strength, priority)


def _full(metrics: str, pattern: str, strength: int = 1, priority: int = 1,
          year_offset: int | None = None) -> Rule:
    """A rule written out whole (number first, or a context around the keyword)."""
    return Rule(tuple(metrics.split()), re.compile(pattern), strength, priority, year_offset)


def _number_first(metrics: str, keyword: str) -> Rule:
    return _full(metrics, rf"{NUM}{UNIT}\s*(?P<kw>{keyword})")


# Standard application channels: the word naming each and the verbs it takes (网络申请14件).
CHANNELS = {
    "channel_in_person": (r"(?:当面|现场|窗口)", r"(?:申请|提出|提交|递交)"),
    "channel_online": (r"(?:网络|网上|在线|互联网|网站)", r"(?:申请|提出|提交|接收|受理)"),
    "channel_letter": (r"(?:信函|邮寄)", r"(?:申请|提出)"),
    "channel_fax": ("传真", r"(?:申请|提出|(?=\s*\d+\s*件))"),
    "channel_email": (r"电子(?:邮件|邮箱)", r"(?:申请|提出)"),
}
_RECEIVE = r"(?:新收到|收到|受理|接到|接收到?|接受|新收|新接收)"
_COUNTER = r"\s*(?:件|起|宗|项|个|条|份)"
# 建议提案答复 answers proposals, not disclosure applications.
_NOT_PROPOSAL = r"(?<!提案)(?<!建议)(?<!议案)"
# Figures about applications and their outcomes (pre-2019 wording and 2019+ wording).
RULES: list[Rule] = [
    _rule("applications_new", rf"{_RECEIVE}[^\d,。;:()\n|]{{0,20}}?(?:申请|请求)"),
    _rule("applications_new", r"本年(?:度)?新(?:收到?|接收)|新收到|新接收", gap=12, priority=2),
    _full("applications_new", rf"(?P<kw>{_RECEIVE})(?:了)?\s*{NUM}{_COUNTER}[^\d。,;]{{0,12}}?申请"),
    _full("applications_new", rf"(?P<kw>依申请公开)(?:系统|工作)?[^\d,。;:]{{0,8}}?(?:共)?"
          rf"(?:收到|受理|接收|发生)(?:了)?\s*{NUM}\s*(?:件|起|宗|项|个|条|次)"),
    _full("applications_new", rf"(?P<kw>(?:发生|收到|受理)依申请公开(?:申请)?)\s*{NUM}\s*(?:件|次)"),
    _full("applications_new", rf"(?P<kw>依申请公开(?:申请)?(?:数|数量|件数))\s*(?:为|共)?\s*{NUM}\s*件"),
    # 信息公开申请0起: the weakest wording, yielding every number another rule claims.
    _full("applications_new", rf"(?P<kw>(?:政府)?信息公开申请)\s*(?:共|为)?\s*{NUM}\s*(?:件|起|条)",
          strength=-1, priority=0),
    _full("applications_new", rf"(?P<kw>{_RECEIVE}[^\d,。;:]{{0,16}}?申请)[^\d,。;:]{{0,6}}?{NUM}\s*次"),
    # 收到并按时办结16件 / 受理、办结依申请公开5件: one count for both.
    _full("applications_new processed_total",
          rf"(?P<kw>(?:收到|受理)(?:并|、|和)(?:按时|依法)?(?:办结|答复|处理|办理))(?:了)?[^\d,。;]{{0,10}}?"
          rf"{NUM}\s*(?:件|条)",
          strength=2, priority=3),
    # 受理申请15件,其中新收到14件: the first count includes the carried-over applications.
    _full("applications_total", rf"(?P<kw>{_RECEIVE})[^。;]{{0,20}}?{NUM}\s*件\s*,\s*其中(?:本年(?:度)?)?新",
          strength=2),
    _full("applications_total", rf"结转[^。;]{{0,16}}?\d+\s*件\s*,\s*(?P<kw>共计|合计|总计)\s*{NUM}\s*件",
          strength=2),
    # 申请543件(含上年度结转6件): a count that says it includes the carried-over ones.
    _full("applications_total", rf"(?P<kw>申请|依申请事项|依申请公开)\s*{NUM}\s*(?:件|条)\s*"
          r"\(含(?:上一?年度?|\d{4}年)(?:结转|转结|转办)", strength=2),
    _rule("applications_carried_in", r"上一?年(?:度)?(?:结转|转结|转办)", gap=12),
    _rule("applications_carried_in", r"结转上年(?:度)?(?:继续)?(?:办理)?", gap=4),
    _full("applications_carried_in", rf"(?P<kw>(?P<y>20\d\d)年(?:度)?[^\d,。;]{{0,6}}?(?:结转|转结|转办))"
          rf"(?:(?:到|至)?20\d\d年(?:度)?)?[^\d,。;]{{0,12}}?{NUM}{_NOT_A_YEAR}\s*件", year_offset=-1),
    _full("applications_carried_in",
          rf"(?P<kw>办理(?P<y>20\d\d)年(?:度)?(?:结转|转结)(?:件|申请)?)\s*{NUM}\s*件", year_offset=-1),
    _rule("carried_forward", r"(?:结转|转)(?:到|至|入)?下一?年(?:度)?(?:继续)?(?:办理|答复)?", gap=4),
    _full("carried_forward",
          rf"{NUM}{UNIT}\s*(?:申请)?[^\d,。;()]{{0,6}}?(?P<kw>(?:结转|顺延|转结)(?:到|至)?下一?年)"),
    _full("carried_forward", rf"(?P<kw>(?:结转|转结)(?:至|到)?(?P<y>20\d\d)年(?:度)?(?:继续)?(?:办理)?)"
          rf"[^\d,。;]{{0,12}}?{NUM}{_NOT_A_YEAR}\s*件", year_offset=1),
    _full("carried_forward", rf"{NUM}\s*件\s*(?P<kw>(?:结转|转结|转)(?:至|到|入)?(?P<y>20\d\d)年)",
          year_offset=1),
    # Concluded counts: 办结 before 答复/回复 before 办理/处理 (which only count in a sentence
    # about applications).
    _rule("processed_total", rf"(?<!按时)(?<!延期){_NOT_PROPOSAL}(?:办结|办理完毕|答复完毕|处理完毕)", gap=12,
          strength=0, priority=3),
    _rule("processed_total", rf"(?<!按时)(?<!延期){_NOT_PROPOSAL}(?:答复|回复|完成)(?!率)", gap=12,
          strength=0, priority=2),
    _rule("processed_total", r"(?:申请)?(?<!公开)(?:办理|处理)(?!率)(?:了)?"
          r"(?:政府信息公开|依申请公开|信息公开)?(?:申请)?(?:件(?=\s*\d))?", gap=0, strength=0),
    _rule("processed_total", r"按时办结(?![^。]*延期)", gap=2, priority=3),
    _full("processed_total", rf"{NUM}{UNIT}\s*(?P<kw>[^。,]{{0,14}}?申请[^。,]{{0,4}}?(?:已)?全部"
          r"[^。,;]{0,6}?(?:受理)?(?:办结|答复))", priority=3),
    _full("processed_total", rf"{NUM}{UNIT}\s*,?[^。;,]{{0,4}}?(?P<kw>(?:全部|均)[^。;,]{{0,12}}?"
          r"(?:办结|答复|处理完毕|办理完毕))", strength=0, priority=3),
    _full("processed_total",
          rf"{NUM}{UNIT}\s*(?P<kw>(?:已经|均已|已)[^。;,]{{0,8}}?(?:完成答复|答复完毕|办理完毕|办结))",
          strength=0, priority=3),
    _rule("processed_total", rf"{_NOT_PROPOSAL}答复", gap=2, unit=r"\s*次", strength=0, priority=2),
    _rule("applicant_natural_person", r"(?:自然人|公民个人)(?:申请|提出(?:的)?(?:申请)?)", gap=4),
    _full("applicant_natural_person", rf"{NUM}{UNIT}\s*(?P<kw>(?:为|是|均为|系)自然人)"),
    _rule("granted", r"(?<!不)(?<!部分)(?:同意公开|予以公开)"),
    _rule("granted", r"(?<!不予)属于公开范围"),
    _rule("partly_granted", r"(?<!或)(?:同意)?部分公开"),
    _rule("refused", r"(?:不同意公开|不予公开)(?!的?(?:政府)?信息)", gap=4),
    _rule("unable_to_provide", r"无法提供(?:的)?(?:有)?", gap=4),
    _rule("not_processed", r"不予处理", gap=4),
    _rule("other_processed", r"其他处理", gap=4),
    _rule("already_public", r"(?:属于?)?已(?:经)?主动公开(?:范围)?"),
    _rule("already_public", r"(?<=[:,])主动公开(?=\d|的)", gap=2, unit=r"\s*件"),
    _rule("not_this_agency", r"不属于本(?:行政)?机关|非本(?:行政)?机关"),
    _rule("not_exist", r"信息不存在"),
    _rule("amend_requested", r"更改补充|补充更改|申请补正|要求补正"),
    _rule("other_route", r"其他途径"),
    *(_rule(name, rf"{word}[^\d,。;、]{{0,2}}?{verb}") for name, (word, verb) in CHANNELS.items()),
    _rule("complaints", r"投诉举报|举报投诉", gap=8, unit=r"\s*(?:件|起|次|个)"),
    # 收取…检索、复制、邮寄等费用0元: the fee list is enumerated with 、.
    _rule("fees_yuan", r"(?:收取|收费)[^\d,。;:()\n|]{0,24}?(?:费|金额)?", gap=4, unit=r"\s*元"),
    _rule("fees_yuan", r"收取(?:的)?费用\s*\([^()]{0,30}\)\s*(?:为|共|合计)?", gap=0, unit=r"\s*元"),
    _rule("reconsideration_total litigation_total", r"行政复议[^。\d,;]{0,10}?行政诉讼", gap=6,
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

# Review blocks: which outcome list the following 维持/纠正/其他/尚未审结 belong to.
REVIEW_BLOCKS: list[tuple[str, str]] = [
    ("litigation_after_reconsideration", r"复议后(?:再)?(?:起诉|诉讼)"),
    ("litigation_direct", r"(?:未经复议)?直接(?:向法院)?(?:起诉|诉讼)"),
    ("reconsideration", r"行政复议|(?<!后)复议(?=案|申请)"),
    ("litigation", r"行政诉讼|行政应诉"),
]
BLOCK_MARKER = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in REVIEW_BLOCKS))
BLOCK_TOTAL = re.compile(rf"(?:{'|'.join(p for _, p in REVIEW_BLOCKS)})"
                         rf"(?:申请|案件|案)?{_gap(6)}\s*{NUM}(?:{UNIT}|\s*次)")
REVIEW_OUTCOMES: list[tuple[str, str]] = [
    ("upheld", r"(?:结果)?维持(?:具体行政行为|原(?:具体)?行政行为)?(?:或驳回原告诉讼请求)?"),
    ("corrected", r"(?:结果)?纠正|(?:被依法)?纠错"),
    ("other", r"其他(?:结果|情形)"),
    ("pending", r"尚未审结|未审结|尚未办结"),
]
OUTCOMES = [(name, re.compile(rf"(?P<kw>{p}){_gap(4)}\s*{NUM}{UNIT}")) for name, p in REVIEW_OUTCOMES]
# 行政复议1件,结果维持: the block's only case, its outcome named right after the count.
OUTCOME_AFTER_TOTAL = re.compile(
    r"\s*[,,]?\s*(?:结果|均|全部)?(?:为|是)?\s*(?:"
    + "|".join(f"(?P<{name}>{pattern})" for name, pattern in REVIEW_OUTCOMES) + r")(?![^。;,]{0,4}\d)")

# The government's own organs: 市本级, 市级机关, 自治区直属机关, 县政府及县政府办, 区级收到….
SCOPE_OWN = re.compile(r"(?:省|市|区|县|州|盟|旗)本级|(?:省|市|区|县)级机关|(?:自治区|省|市|区|县)直属机关"
                       r"|(?:省|市|县|区)政府及(?:其)?(?:组成部门|(?:市|县|区)政府办|[省市县区]直(?:单位|部门))"
                       r"|(?:区|县|市)级(?=收到|受理)")
SCOPE_WHOLE = re.compile(r"全(?:省|市|区|县|州|盟|旗)")
OWN_ASIDE = re.compile(rf"\s*\(\s*(?:省|市|区|县|州)本级(?:为)?\s*{NUM}{UNIT}\s*\)")
