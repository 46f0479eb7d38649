"""The province of a report that names no division: what its context gives away.

Township, development-zone and department reports often name only themselves (兴国镇, 重庆高新区
管委会, 我局). Their province still shows in the document numbers they cite (琼政务公开协办〔2016〕
69号 is Hainan's), in the portal they were published on (“中国大连”, 西安•莲湖, 甘肃政府服务网), or
in a short city name the body's name starts with (南京经济技术开发区). Each clue must point to one
province; clues that disagree decide nothing.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

from .divisions import current_index, short_city_names

# Province abbreviations as document numbers begin (皖政办〔2016〕18号). Left out: those cities use
# too (宁 Nanjing, 青 Qingdao, 新 Xinxiang, 云/贵/秦/陇/蜀 similar).
_DOC_PREFIX = {
    "京": "110000", "津": "120000", "冀": "130000", "晋": "140000", "蒙": "150000", "辽": "210000",
    "吉": "220000", "黑": "230000", "沪": "310000", "苏": "320000", "浙": "330000", "皖": "340000",
    "闽": "350000", "赣": "360000", "鲁": "370000", "豫": "410000", "鄂": "420000", "湘": "430000",
    "粤": "440000", "桂": "450000", "琼": "460000", "渝": "500000", "川": "510000", "黔": "520000",
    "滇": "530000", "藏": "540000", "陕": "610000", "甘": "620000",
}
_DOC_NUMBER = re.compile(
    rf"(?:^|[(《、\s“\"])(?P<prefix>[{''.join(_DOC_PREFIX)}])[\u4e00-\u9fff]{{1,8}}?"
    r"[〔\[【(]\s*(?:19|20)\d{2}\s*[〕\]】)]\s*\d{1,4}\s*号")
# A portal named after a place: “中国大连”, 中国·济宁, 西安•莲湖, 甘肃政府服务网.
_PORTAL = re.compile(r"中国\s*[·•]?\s*([\u4e00-\u9fff]{2,3})|([\u4e00-\u9fff]{2,3})\s*[·•]"
                     r"|([\u4e00-\u9fff]{2,3})(?:政府服务网|政务服务网|政府网)")
_OTHER_DIVISION = re.compile(r"新区|[区县市镇乡旗]")
_LOCAL_NAME = re.compile(r"(?:镇|乡|街道|办事处|村|社区|路)")
_PROVINCE_SUFFIX = re.compile(r"(?:省|市|壮族自治区|回族自治区|维吾尔自治区|自治区)$")


@lru_cache(maxsize=1)
def _short_names() -> dict[str, set[str]]:
    """Short place names (大连, 甘肃, 重庆, 内蒙古) → the province codes they may denote."""
    names: dict[str, set[str]] = {}
    for short, divisions in short_city_names().items():
        names.setdefault(short, set()).update(d.province_code for d in divisions)
    for name, divisions in current_index().items():
        for division in divisions:
            if division.level == "province":
                short = _PROVINCE_SUFFIX.sub("", name)
                if len(short) >= 2:
                    names.setdefault(short, set()).add(division.province_code)
    return names


@lru_cache(maxsize=1)
def _county_names() -> dict[str, set[str]]:
    """Short county names (平潭 for 平潭县) → province codes; only for a body's own name."""
    names: dict[str, set[str]] = {}
    for name, divisions in current_index().items():
        for division in divisions:
            if division.level == "county" and name.endswith("县") and len(name) >= 3:
                names.setdefault(name[:-1], set()).add(division.province_code)
    return names


def _named(word: str, table: dict[str, set[str]] | None = None) -> str | None:
    """The one province a short name (or its first two or three characters) denotes; not when a
    division suffix follows it (滨海新区 is not 滨海县)."""
    for length in (3, 2):
        provinces = (table or _short_names()).get(word[:length])
        if provinces and len(provinces) == 1 and not _OTHER_DIVISION.match(word, length):
            return next(iter(provinces))
    return None


def _document_province(text: str) -> str | None:
    """The province the cited document numbers agree on."""
    found = Counter(_DOC_PREFIX[m["prefix"]] for m in _DOC_NUMBER.finditer(text))
    return next(iter(found)) if len(found) == 1 else None


def _portal_province(text: str) -> str | None:
    """The province the portal names point to: the name follows 中国 or precedes •/政府网."""
    found = set()
    for match in _PORTAL.finditer(text):
        after_china, before_mark, before_site = match.groups()
        words = [after_china] if after_china else [(before_mark or before_site)[-n:] for n in (3, 2)]
        found |= {code for word in words for code in [_named(word)] if code}
    return found.pop() if len(found) == 1 else None


def clue_province(subject: str, text: str) -> str | None:
    """The province code the report's context points to, when exactly one is pointed to."""
    head = text[:5000]
    # A street or township may carry a city's name (中山街道); a zone or office rarely does.
    by_name = None
    if subject and not _LOCAL_NAME.search(subject):
        by_name = _named(subject) or _named(subject, _county_names())
    for found in (by_name, _portal_province(head), _document_province(head)):
        if found:
            return found
    return None
