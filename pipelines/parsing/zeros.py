"""Statements of zero: sentences that say something did not happen, with no number in them.

未收到政府信息公开申请, 没有因政府信息公开引起的行政复议、行政诉讼, 未向申请人收取费用, 全年无投诉情况,
收费情况:无 — each states a value (0), not a gap. A clause states a zero for a topic when a
negation stands before the topic word and the clause holds no count of its own; an unstated
metric stays absent. Clauses are cut at , and ; so "没有…行政复议情况,行政诉讼2件" gives
reconsideration 0 and leaves litigation to its count.
"""

from __future__ import annotations

import re

from .metrics import Values, put
from .scopes import scope_at

_NEGATION = re.compile(
    r"没有|尚未|无一例|不收取|从未|均未|并未|不存在"
    r"|未(?!经|按|满|能|及|审结|办结|结|予公开|公开|成年|来|知|完)"
    r"|无(?!法|正当|条件|偿|需|纸|线|论|疑|关|效|人|意|误|缝|障碍|锡|为|棣|极|私|差|形|限)")
# A negated receipt (未收到依申请公开事项) speaks of applications even in the words 依申请公开.
_RECEIPT = re.compile(r"(?:未|没有|尚未)(?:新)?(?:收到|接到|接收到?|受理|接受)[^,。;]{0,16}?依申请")
# 未发生…被行政复议纠错: no case was lost, which says nothing of how many cases there were.
_ONE_OUTCOME = r"纠错|纠正|撤销|败诉|确认违法"
# A topic word per metric; `also` must occur in the clause too, `never` must not.
_TOPICS: list[tuple[str, re.Pattern, re.Pattern | None, re.Pattern]] = [
    ("applications_new", re.compile(r"(?<!依)申请(?!人)"), None,
     re.compile(r"复议|诉讼|收费|费用|投诉|举报|咨询")),
    ("reconsideration_total", re.compile(r"复议"), None, re.compile(rf"复议后|{_ONE_OUTCOME}")),
    ("litigation_total", re.compile(r"行政诉讼|行政应诉|诉讼"), None,
     re.compile(rf"民事|刑事|{_ONE_OUTCOME}")),
    ("complaints", re.compile(r"投诉|举报"), None, re.compile(r"信访举报投诉类")),
    ("fees_yuan", re.compile(r"收费|费用|收取|处理费"), None, re.compile(r"行政事业性")),
    ("carried_forward", re.compile(r"下一?年度?(?:继续)?(?:办理)?(?:的)?结转|结转(?:到|至)?下一?年"), None,
     re.compile(r"$^")),
    # 未收到和处理…申请: nothing handled either.
    ("processed_total", re.compile(r"(?:和|及|并)(?:处理|办理|答复)[^,。;]{0,12}?申请|答复情况|办理情况"),
     None, re.compile(r"复议|诉讼")),
]
# 收费情况:无 / 五、…行政诉讼的情况 无 / 收费和减免为零 — the topic, then 无 or 为零 closing the clause.
_COLON_NONE = re.compile(r"(?::|\s)\s*无\s*$|(?:为零|均为零)\s*$")
_CLAUSE = re.compile(r"[^。;!?,]+")
_SENTENCE = re.compile(r"[^。;!?]+")
# Dates, years and list numbers are no counts: 2016年度, 12月31日, 1、依申请公开情况.
_NOT_COUNTS = re.compile(r"(?:19|20)\d{2}\s*年度?|\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*月"
                         r"|^\s*(?:\(?[\d一二三四五六七八九十]{1,2}\)|\d{1,2}\s*[、.])")
# A section heading followed by a paragraph of just 无 (四、…收费及减免情况 / 无).
_NONE_PARAGRAPH = re.compile(r"^\s*无\s*[。.]?\s*$")
_DIGIT = re.compile(r"\d")
_FEE_CONTEXT = re.compile(r"信息|申请|公开|处理费|减免")
# 全部免费为申请人提供政府信息: information given free of charge is a fee of zero.
_FREE = re.compile(r"免费(?:为|向)?[^。,;]{0,12}?(?:申请人|提供)")
ZERO_LITERALS = frozenset({"未", "没", "无", "不收取", "免费", "零", "不存在"})


def _topic_zero(clause: str, negation_end: int, topic: re.Pattern, also, never) -> bool:
    """The topic word stands after the negation, and the clause is about the topic."""
    if never.search(clause) or (also is not None and not also.search(clause)):
        return False
    return topic.search(clause, negation_end) is not None


def _clause_zeros(clause: str, sentence: str) -> list[str]:
    """The metrics a clause states as zero."""
    negation = _NEGATION.search(clause)
    colon = _COLON_NONE.search(clause)
    found = ["fees_yuan"] if _FREE.search(clause) else []
    if _RECEIPT.search(clause) and not _TOPICS[0][3].search(clause):
        found.append("applications_new")
    if negation is None and colon is None:
        return found
    for metric, topic, also, never in _TOPICS:
        if metric == "fees_yuan" and not (colon or _FEE_CONTEXT.search(sentence)):
            continue
        if negation and _topic_zero(clause, negation.end(), topic, also, never):
            found.append(metric)
        elif colon and _topic_zero(clause[:colon.start()], 0, topic, also, never):
            found.append(metric)
    return found


def zero_statements(paragraph: str, present: set[str], values: Values, previous: str = "") -> None:
    """Put 0 for each metric a clause of `paragraph` states as zero (stated counts win).

    `previous` is the paragraph before: a heading it holds gives a bare 无 its topic, and a
    fee section's heading makes "未…收取任何费用" a statement about disclosure fees.
    """
    if not present & ZERO_LITERALS:
        return  # no negation word in the paragraph
    if _NONE_PARAGRAPH.match(paragraph):
        paragraph = previous.rstrip("。: ") + ":无"
    for sentence in _SENTENCE.finditer(paragraph):
        for clause in _CLAUSE.finditer(sentence.group()):
            text = clause.group()
            metrics = _clause_zeros(text, sentence.group() + previous[-40:])
            if not metrics or _DIGIT.search(_NOT_COUNTS.sub("", text)):
                continue  # no negation, or the clause states a count of its own
            scope = scope_at(paragraph, sentence.start() + clause.end())
            for metric in metrics:
                put(values, scope, metric, 0, text)
