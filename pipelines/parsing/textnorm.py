"""Text normalisation: traditional→simplified, full-width→ASCII, PDF spacing and page furniture."""

from __future__ import annotations

import re
from functools import lru_cache

# Characters that only occur in traditional script; a handful of them marks a traditional text.
_TRADITIONAL_MARKER = re.compile("[開報資請於機關縣區與發會體門條訊處書範還見為權務動辦屬歸議訴應對網當]")
_CHAR_MAP = {cp: cp - 0xFEE0 for cp in range(0xFF01, 0xFF5F)}
_CHAR_MAP.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x200B: None,
                    0xFEFF: None, 0x3007: ord("〇")})
# Variant characters that survive a text too lightly traditional to convert (國家祕密).
_CHAR_MAP.update({ord("祕"): ord("秘")})
# Mirror sites annotate converted characters with tone-marked pinyin, e.g. 報(bào).
_PINYIN = re.compile(r"(?<=[\u4e00-\u9fff])\([a-zü]*[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ][a-zü]*\)")
# Spaces only (not newlines) around the number: `^\s*` over a run of blank lines backtracks
# once per line start, quadratic in the run's length.
_PAGE_NUMBER = re.compile(r"^ *(?:- *\d{1,3} *-|第 *\d{1,3} *页(?: *共 *\d+ *页)?) *$", re.M)
# Whitespace other than newlines (tabs, form feeds, odd Unicode spaces) becomes one plain space.
_SPACES = re.compile(r"[^\S\n]+")
_CJK = "\u4e00-\u9fff"
# PDF text puts spaces between CJK characters and around numbers; cells stay apart only
# where both sides are non-CJK (e.g. "21 0 0").
_CJK_SPACE = re.compile(rf"(?<=[{_CJK}“”《》()、,:;]) +(?=[{_CJK}\d“”《》(),])|(?<=[\d]) +(?=[{_CJK}])")


# A page that lost its line breaks runs the report's sections together; each template section
# heading (四、政府信息公开行政复议…) starts a line again.
_SECTION_RUN_ON = re.compile(
    r"(?<=[^\n])(?=[一二三四五六七]、\s*(?:总体情况|概述|主动公开政府信息|收到和处理政府信息公开申请|依申请公开"
    r"|政府信息公开(?:的)?收费|(?:因)?政府信息公开[^\n、]{0,8}?行政复议|存在的(?:主要)?问题|其他需要报告))")


@lru_cache(maxsize=1)
def _converter():
    import opencc

    # tw2sp also converts Taiwan phrasing (資訊→信息, 檔案→文件) that mirror sites introduce.
    return opencc.OpenCC("tw2sp")


def is_traditional(text: str) -> bool:
    """True when the text carries enough traditional-only characters to need conversion."""
    return len(_TRADITIONAL_MARKER.findall(text[:4000])) >= 8


def normalise(text: str) -> str:
    """Simplified, half-width, tidy text with one logical line per line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").translate(_CHAR_MAP)
    if is_traditional(text):
        text = _converter().convert(text)
    text = _SPACES.sub(" ", _PINYIN.sub("", text))
    text = _PAGE_NUMBER.sub("", text)
    return _SECTION_RUN_ON.sub("\n", _CJK_SPACE.sub("", text))
