"""Numbers as reports write them: 18.77万, 5500余, 一百零三, 减5874, 101973.15万元."""

from __future__ import annotations

import re

import cn2an

CN_DIGITS = "零〇一二两三四五六七八九十百千"
# No count or sum of money in a report has more digits; longer runs are IDs, phone numbers or
# garbage, and int() refuses strings over 4300 digits anyway.
MAX_DIGITS = 15
# A counted value in running text: digits or Chinese numerals, optional 万/亿, optional 余/多
# (before or after the multiplier: 20余万条, 1.2万余条).
# A Chinese numeral may hold 万/亿 inside (二万九千八百五十九); a trailing 万 is the multiplier.
# Every repeat is bounded and digits start only at a digit-run start: a long run of digits or
# numerals then costs each start position a bounded amount of backtracking, not the whole run.
_CN_NUMERAL = rf"[{CN_DIGITS}]{{1,8}}(?:[万亿][{CN_DIGITS}]{{1,8}}){{0,2}}"
NUM = (rf"(?P<num>(?<!\d)\d{{1,{MAX_DIGITS}}}(?:\.\d+)?|{_CN_NUMERAL})"
       r"\s*(?:余|多)?\s*(?P<mult>万|亿)?\s*(?:余|多)?")
_MULT = {None: 1, "": 1, "万": 10_000, "亿": 100_000_000}
# Table cells: plain numbers, signed changes (增7 / 减5874 / +2 / -54), money with a unit.
CELL_NUMBER = re.compile(r"(?P<sign>增|减|\+|-)?(?P<num>\d+(?:\.\d+)?)(?P<mult>万|亿)?")
# Row enumerators such as "1." / "2、" that precede a label are not values.
ENUMERATOR = re.compile(r"(?<![\d.])\d{1,2}[.、](?=[\u4e00-\u9fff“\"]|\s*$)")


def to_number(num: str, mult: str | None = None) -> float | int | None:
    """The value of a matched number string with its 万/亿 multiplier, or None if not a number."""
    if len(num) > MAX_DIGITS:
        return None
    if not mult and num.isdigit():
        return int(num)  # the common case: a plain count
    if num[0].isdigit():
        value: float = float(num)
    else:
        try:
            value = float(cn2an.cn2an(num, "smart"))
        except (ValueError, KeyError, IndexError, TypeError):
            return None
    value *= _MULT.get(mult, 1)
    value = round(value, 6)
    return int(value) if value.is_integer() else value


def cell_numbers(text: str, signed: bool = True) -> list[float | int]:
    """All numeric values in a piece of table text, enumerators removed, signs applied.

    Counts tables (三, 四) pass signed=False: a '-' there is a dash between cells, not a minus.
    """
    values = []
    # Most cells hold no '.' or '、', and ENUMERATOR, which has no literal to scan for, needs one.
    if "." in text or "、" in text:
        text = ENUMERATOR.sub(" ", text)
    for match in CELL_NUMBER.finditer(text):
        value = to_number(match["num"], match["mult"])
        if value is None:
            continue
        if signed and match["sign"] in ("减", "-"):
            value = -value
        values.append(value)
    return values
