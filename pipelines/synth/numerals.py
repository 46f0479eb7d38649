"""Numbers the way reports print them: 18.77万, 5500余, 一百零三, 减5874, 101973.15万元, full-width digits."""

from __future__ import annotations

import random

import cn2an

_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def plain(value: float) -> str:
    """A number without trailing zeros: 7730.28, 12, 0."""
    return f"{value:.2f}".rstrip("0").rstrip(".") if value != int(value) else str(int(value))


def rounded_for(style: str, value: int) -> int:
    """The value a style can state exactly: 万 keeps two decimals of 万, 余 drops the last digits."""
    if style == "wan" and value >= 10_000:
        return round(value, -2)
    if style == "approx" and value >= 100:
        return round(value, -2 if value >= 1000 else -1)
    return value


def count(value: int, style: str) -> str:
    """A counted value in running text: arabic, Chinese numerals, 万 units or approximate (余)."""
    if style == "wan" and value >= 10_000:
        return plain(value / 10_000) + "万"
    if style == "approx" and value >= 100:
        return f"{value}余"
    # Reports spell out small counts only; a five-digit figure in words is not seen in the wild.
    if style == "chinese" and 0 < value < 10_000:
        return cn2an.an2cn(value)
    return str(value)


def signed_change(value: int, rng: random.Random) -> str:
    """A 本年增/减 cell: 增7 / 减5874 / +2 / -54 / 0."""
    if value == 0:
        return "0"
    if rng.random() < 0.5:
        return f"增{value}" if value > 0 else f"减{-value}"
    return f"{value:+d}"


def money_wan(value: float, rng: random.Random) -> str:
    """An amount in 万元 as a cell prints it: with 万 or 万元, or converted to 元."""
    # A bare figure would not say whether it is 元 or 万元, so every form carries its unit.
    form = rng.choice(("wan", "wanyuan", "yuan"))
    if form == "yuan":
        return f"{round(value * 10_000)}元"
    return plain(value) + {"wan": "万", "wanyuan": "万元"}[form]


def full_width(text: str) -> str:
    """Digits as full-width characters, the way some word processors type them."""
    return text.translate(_FULL_WIDTH)


def year_in_chinese(year: int) -> str:
    """二〇一九 for 2019, as signature dates write it."""
    return "".join("〇一二三四五六七八九"[int(d)] for d in str(year))


def date_in_chinese(year: int, month: int, day: int) -> str:
    """二〇一九年三月二十八日."""
    return f"{year_in_chinese(year)}年{cn2an.an2cn(month)}月{cn2an.an2cn(day)}日"
