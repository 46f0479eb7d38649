"""How Chinese a decoded text is: the share of its non-ASCII characters that a report is written in.

Decoding bytes with the wrong Chinese codec still gives CJK characters (Big5 bytes read as GBK
do), so "is it CJK" cannot tell right from wrong. What can is how common the characters are:
a report uses the everyday hanzi of GB2312 (simplified) or of Big5's frequent block
(traditional) and their punctuation, while a wrong codec scatters kana, Greek, private-use and
rare characters among them.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_EUC_TRAILS = range(0xA1, 0xFF)
_BIG5_TRAILS = range(0x40, 0xFF)  # the codec refuses the gap 7F-A0 itself
# (codec, first code, last code, trail bytes) of the characters reports are written in.
_COMMON_BLOCKS = [
    # GB2312 rows 1-3 (punctuation, list numbers, full-width ASCII), read through GBK so the
    # punctuation maps as GBK files mean it (· and — rather than ・ and ―) ...
    ("gbk", 0xA1A1, 0xA3FE, _EUC_TRAILS),
    # ... row 8's pinyin letters (mirror sites annotate characters with tone-marked pinyin) ...
    ("gbk", 0xA8A1, 0xA8C0, _EUC_TRAILS),
    # ... and rows 16-87, the 6,763 hanzi.
    ("gbk", 0xB0A1, 0xF7FE, _EUC_TRAILS),
    # Big5's punctuation row and its 5,401 frequent hanzi (not the kana that follow them).
    ("big5", 0xA140, 0xA1FE, _BIG5_TRAILS),
    ("big5", 0xA440, 0xC67E, _BIG5_TRAILS),
]
_SAMPLE_CHARS = 65536


def _characters(codec: str, first: int, last: int, trails: range) -> set[str]:
    """Every character the codec gives for the two-byte codes first..last with those trail
    bytes, private-use ones left out."""
    found = set()
    for code in range(first, last + 1):
        if code & 0xFF not in trails:
            continue
        try:
            char = code.to_bytes(2, "big").decode(codec)
        except UnicodeDecodeError:
            continue
        if unicodedata.category(char) != "Co":
            found.add(char)
    return found


@lru_cache(maxsize=1)
def _common_run() -> re.Pattern[str]:
    """A run of characters Chinese reports are written in (built once, on first use)."""
    # 〇 (the zero of dates written 二〇二〇) sits outside GB2312 in GBK.
    common = {"〇"}.union(*(_characters(*block) for block in _COMMON_BLOCKS))
    return re.compile("[" + "".join(re.escape(char) for char in sorted(common)) + "]+")


def chinese_share(text: str) -> float:
    """The share (0-1) of the non-ASCII characters in the text's first 64K that are common
    hanzi or Chinese punctuation; 0 for a text with no non-ASCII character at all."""
    sample = text[:_SAMPLE_CHARS]
    non_ascii = len(sample) - len(sample.encode("ascii", errors="ignore"))
    if not non_ascii:
        return 0.0
    return sum(map(len, _common_run().findall(sample))) / non_ascii
