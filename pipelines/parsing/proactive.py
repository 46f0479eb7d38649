"""The year's proactive-disclosure total (主动公开政府信息…条), chosen among every count of it.

Reports state many such counts: the whole body's total, each website's, each column's, the
parts after 其中, a cumulative count since the portal opened, last year's figure. Each count is
read with what its sentence says about it, and the best-supported one is the total:
a cumulative count (截至…累计) or one dated in another year is never the year's total; the
words 主动, 全市/共/总计 and 政府信息 support a count; a single channel (微信公众号发布信息…) or a
part after 其中 weighs against it. The first of the best is taken.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .metrics import Values, put
from .numbers import NUM, to_number
from .scopes import scope_at

_UNIT = r"\s*(?P<unit>条|件|篇|份|项|则)"
# 予以公开/依申请公开… are outcomes and applications, not proactive disclosure.
_VERB = (r"(?<!申请)(?<!予以)(?<!不予)(?<!部分)(?<!同意)(?<!不同意)"
         r"(?:主动公开|公开|发布|录入|更新|公布|推送)(?:了)?")
_NOUN = r"(?:信息|文件|公文|简报|动态)"
_TAIL = (r"(?:的)?(?:有|件数|条数|数量|总数|总量|数)?\s*(?:共有|共计|合计|总计|累计|共|计|为|达|有)?"
         r"\s*(?:超过|逾|近|约)?")
_PATTERNS = [
    # 公开…政府信息…共计N条 (verb, up to forty characters of what, then the count)
    re.compile(rf"(?P<verb>{_VERB})(?P<what>[^。;,:\d]{{0,40}}?{_NOUN}){_TAIL}\s*{NUM}{_UNIT}"),
    # 网站公开214条 (a bare verb and the count)
    re.compile(rf"(?P<verb>{_VERB})\s*{NUM}\s*(?P<unit>条)"),
    # 共计发布437条
    re.compile(rf"(?:共计|合计|总计|共)(?P<verb>发布|公开)(?:信息)?\s*{NUM}{_UNIT}"),
    # 发布14条主动公开政府信息
    re.compile(rf"(?P<verb>{_VERB})(?:的)?\s*{NUM}\s*(?P<unit>条|件)\s*(?P<what>(?:主动公开)?(?:的)?(?:政府|政务)?信息)"),
    # 全镇政府信息公开566条, 网站信息发布总数4784条
    re.compile(rf"(?P<what>(?:政府|政务)信息)(?P<verb>公开|发布)(?:总数|总量|数量)?(?:为|达)?"
               rf"(?:总计|共计|合计|共)?\s*{NUM}{_UNIT}"),
    re.compile(rf"(?P<what>信息)(?P<verb>发布|公开)(?:总数|总量)(?:为|达)?\s*{NUM}{_UNIT}"),
    # …发布信息514条,总计2401条: a total closing a list of what was published
    re.compile(rf"(?P<verb>(?:共计|合计|总计))\s*{NUM}{_UNIT}"),
    # (2025年新增388条)
    re.compile(rf"(?P<verb>新增)(?P<what>(?:主动公开)?(?:的)?(?:政府|政务)?信息)?\s*{NUM}{_UNIT}"),
]
_ACTIVE = re.compile(r"主动")
_LEAD = re.compile(r"全[省市区县镇乡旗州]|全年|共计|合计|总计|总数|总量|共|各级")
_GENERIC_WORDS = re.compile(r"各类|各种|各项|全[省市区县镇乡旗州年]|政府|政务|工作|的|了|共|主动|公开|发布"
                            r"|\s")
_GENERAL_HEAD = re.compile(r"(?:政府|政务)信息$")
_KIND = re.compile(r"文件|解读|动态|预决算|三公|建议|提案|目录|新闻|会议|公告|公示|通知|规划|人事|财政|招标"
                   r"|采购|回应|政策|简报|图片|视频|其他|要闻|类信息")
# Kinds of channel; one new-media account is one channel, the websites often carry the total.
_CHANNEL_KINDS = {
    "web": re.compile(r"网站|门户|政府网|网上"), "weibo": re.compile(r"微博"),
    "wechat": re.compile(r"微信|公众号"), "app": re.compile(r"客户端|APP|抖音|头条|视频号"),
    "media": re.compile(r"新媒体|媒体|报|电视|广播"),
}
_NEW_MEDIA = {"weibo", "wechat", "app", "media"}
_ALL_CHANNELS = re.compile(r"等[^,。;]{0,6}?(?:形式|渠道|方式|平台|载体|途径|媒体|网站)|多种|各种渠道|多渠道")
_CUMULATIVE_SINCE = re.compile(r"截至|截止|以来|历年|至今|到目前|目前")
_YEAR_TO_DATE = re.compile(r"(?:本年度?|全年|今年|当年)累计")
_THIS_YEAR = re.compile(r"全年|本年|年度|今年|\d{4}\s*年")
# A count with a unit a proactive figure takes: most paragraphs have none.
_ANY_COUNT = re.compile(r"(?:\d|[一二三四五六七八九十百千万])\s*(?:余|多)?\s*万?\s*(?:余|多)?"
                        r"\s*[条件篇份项则]")
_LEADING_YEAR = re.compile(r"^\s*(?:此外|另外)?\s*(?P<year>(?:19|20)\d{2})\s*年度?\s*[,:]")
_CITED = re.compile(r"《[^《》]*》")
_YEAR = re.compile(r"(?P<year>(?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")


@dataclass
class _Count:
    """One proactive count with the weight its sentence gives it."""

    weight: int
    order: int
    value: float | int
    evidence: str
    scope: str


def _excluded(before: str, year: int | None) -> bool:
    """A cumulative count (累计 in its clause, since a date or with no year named), or one
    dated in another year than the report's."""
    clause = re.split(r"[,;:]", before)[-1]
    if "累计" in clause and not _YEAR_TO_DATE.search(clause) and (
            _CUMULATIVE_SINCE.search(before) or not _THIS_YEAR.search(before)):
        return True
    # The year the count is dated by: one in its own clause, else one opening the sentence
    # (2010年,我镇…); a year in another clause (公开2021年度决算,…) dates something else.
    years = list(_YEAR.finditer(_CITED.sub("", clause))) or list(_LEADING_YEAR.finditer(before))
    return bool(year and years and int(years[-1]["year"]) != year)


def _what_weight(what: str) -> int:
    """+2 for all information (各类政府信息), -2 for a named kind (规范性文件, 新闻动态), -1 for
    another qualifier (组织机构信息), 0 when the count names no noun."""
    head = what.split("等")[-1]  # …重大事项等涉及民生领域的政府信息: what the count is of
    if _GENERIC_WORDS.sub("", head) == "信息" or _GENERAL_HEAD.search(head):
        return 2
    if _KIND.search(head):
        return -2
    return -1 if head else 0


def _one_channel(text: str) -> bool:
    """The count is one new-media account's (微信公众号发布信息…), not several channels'."""
    kinds = {kind for kind, pattern in _CHANNEL_KINDS.items() if pattern.search(text)}
    return bool(kinds & _NEW_MEDIA) and len(kinds) == 1 and not _ALL_CHANNELS.search(text)


def _weight(paragraph: str, match: re.Match, before: str) -> int:
    """How strongly the wording says this is the body's whole total for the year."""
    clause = re.split(r"[,;:]", before)[-1]  # `before` runs up to the number
    active = _ACTIVE.search(paragraph, max(0, match.start() - 4), match.start("num"))
    weight = bool(active) + bool(_LEAD.search(clause)) + _what_weight(match.groupdict().get("what") or "")
    # The channel may be named in the clause before (通过…微信公众号,发布信息977条).
    if _one_channel(re.split(r"\d", before)[-1]):
        weight -= 3
    if "新增" in clause:
        weight += 3  # 本年度新增的主动公开政府信息 beside a 累计 count: the year's own, even after 其中
    elif "其中" in before and "其中主动公开" not in before:
        weight -= 4  # a part; but 信息总数…,其中主动公开…条 is the proactive total itself
    return weight


def _counts(paragraph: str, year: int | None, offset: int) -> list[_Count]:
    counts = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(paragraph):
            sentence_start = max(paragraph.rfind(mark, 0, match.start()) for mark in "。;") + 1
            before = paragraph[sentence_start:match.start("num")]
            value = to_number(match["num"], match["mult"])
            if value is None or _excluded(before, year) or "申请" in before[-20:]:
                continue
            evidence = paragraph[max(sentence_start, match.start() - 12):match.end()]
            counts.append(_Count(_weight(paragraph, match, before), offset + match.start("num"), value,
                                 evidence, scope_at(paragraph, match.start("num"))))
    return counts


def proactive_total(paragraphs: list[str], year: int | None, values: Values) -> None:
    """Put the best-supported proactive count per scope (first among equals)."""
    counts: list[_Count] = []
    offset = 0
    for paragraph in paragraphs:
        if ("公开" in paragraph or "发布" in paragraph) and _ANY_COUNT.search(paragraph):
            counts += _counts(paragraph, year, offset)
        offset += len(paragraph) + 1
    best: dict[str, _Count] = {}
    # Several patterns may read one number; the reading that supports it most counts.
    counts.sort(key=lambda c: (c.order, -c.weight))
    for count in counts:
        held = best.get(count.scope)
        if held is None or count.weight > held.weight:
            best[count.scope] = count
    for scope, count in best.items():
        put(values, scope, "proactive_total", count.value, count.evidence)
