"""Bytes of a TXT or HTML file to text, whatever the encoding.

Government sites serve UTF-8, GBK/GB18030, Big5 and UTF-16, sometimes with a wrong
`<meta charset>` and sometimes with UTF-8 and GBK lines pasted into one file. A declared
charset is never trusted: the bytes decide, by exact rules before any statistics. A UTF-16/32
BOM (none begins valid UTF-8); UTF-16 without one when the bytes are full of NULs; strict
UTF-8, with or without BOM; per line, UTF-8 and the legacy codec, for pasted files; strict
GB18030, then strict Big5, each taken only when it gives mostly common Chinese
(`chinese_share.py`); only then charset-normalizer's guess, which must give mostly Chinese too.
Statistics alone misread short texts: the GBK line 2013年 scores as Big5.
"""

from __future__ import annotations

import codecs
import re

from .chinese_share import chinese_share
from .errors import UnreadableFile

# UTF-32 first: its little-endian BOM begins with the UTF-16 one (a UTF-8 BOM is the UTF-8 step's).
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]
# Control bytes no text encoding we accept produces (tab, newlines, form feed and ESC are text).
_CONTROL = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_SAMPLE = 65536
_MAX_CONTROL_SHARE = 0.01
_MAX_CHAOS = 0.3  # charset-normalizer's mess ratio above which bytes are noise, not text
_LEGACY_CODECS = ["gb18030", "big5", "utf_16", "utf_8"]
_STRICT_CODECS = ["gb18030", "big5"]
# A strict decode is taken on its characters alone, so they must be nearly all common Chinese:
# the 513 corpus reports saved as GBK score 0.99 or more, saved as Big5 and read as GB18030
# under 0.8 (short texts stay ambiguous: 1 in 400 Big5 lines of 16 characters passes).
# A statistical guess only has to be mostly Chinese.
_MIN_STRICT_SHARE = 0.9
_MIN_GUESS_SHARE = 0.5
_NOT_RECOGNISED = "its text encoding is not recognised: it is not UTF-8, UTF-16, GB18030 or Big5 Chinese text"
_CJK = re.compile("[\u4e00-\u9fff]")
# Random bytes read as UTF-16 are about a third CJK; real UTF-16 text is nearly all readable.
_MIN_READABLE_SHARE = 0.9


def _with_bom(data: bytes) -> str | None:
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return data.decode(codec, errors="replace")
    return None


def _utf16_without_bom(sample: bytes) -> str | None:
    """The UTF-16 codec the sample reads as mostly Chinese and ASCII text in, if any."""
    sample = sample[: len(sample) // 2 * 2]
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        readable = len(_CJK.findall(text)) + sum(1 for ch in text if " " <= ch <= "~" or ch == "\n")
        if readable > len(text) * _MIN_READABLE_SHARE:
            return codec
    return None


def _check_not_binary(data: bytes) -> str | None:
    """The UTF-16 codec for BOM-less UTF-16, None for text; raises for binary data."""
    sample = data[:_SAMPLE]
    controls = len(sample) - len(sample.translate(None, _CONTROL))
    if controls <= len(sample) * _MAX_CONTROL_SHARE:
        return None
    codec = _utf16_without_bom(sample)
    if codec:
        return codec
    raise UnreadableFile("it is binary data, not text: it is full of control bytes that no text "
                         "file contains (perhaps an image or a program saved under a text name)")


def _guess(data: bytes) -> str:
    """charset-normalizer's reading of bytes no strict codec took, when it is mostly Chinese."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_LEGACY_CODECS).best() or from_bytes(data).best()
    if best is None:
        raise UnreadableFile(f"{_NOT_RECOGNISED}, and no other encoding reads it as text")
    # A high mess ratio means random bytes that merely decode, not text in some encoding.
    if best.chaos > _MAX_CHAOS:
        raise UnreadableFile(f"{_NOT_RECOGNISED}; the closest guess, {best.encoding}, gives garbled text")
    text = str(best)
    share = chinese_share(text)
    if share < _MIN_GUESS_SHARE:
        raise UnreadableFile(f"{_NOT_RECOGNISED}; the closest guess, {best.encoding}, gives mostly "
                             f"non-Chinese text ({share:.0%} of its non-ASCII characters are Chinese)")
    return text


def _legacy(data: bytes) -> str:
    """Non-UTF-8 bytes: strict GB18030, then strict Big5, each taken only when it reads as
    common Chinese (Big5 bytes also decode as GB18030, to rarer characters), else a guess."""
    for codec in _STRICT_CODECS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if chinese_share(text) >= _MIN_STRICT_SHARE:
            return text
    return _guess(data)


def _utf8_chinese(line: bytes) -> bool:
    try:
        return bool(_CJK.search(line.decode("utf-8")))
    except UnicodeDecodeError:
        return False


def _mixed_lines(data: bytes) -> str | None:
    """Text whose lines are partly UTF-8, partly a legacy encoding; None when not mixed.

    Whole-file detection would pick GB18030 and garble the UTF-8 lines, so each line keeps
    the encoding it is valid in. Chinese UTF-8 lines are the evidence: short GBK byte runs
    can pass for UTF-8, a line of three-byte Chinese characters practically never does.
    """
    lines = data.split(b"\n")
    if not any(_utf8_chinese(line) for line in lines):
        return None
    texts: list[str | None] = []
    legacy: list[bytes] = []
    for line in lines:
        try:
            texts.append(line.decode("utf-8"))
        except UnicodeDecodeError:
            texts.append(None)
            legacy.append(line)
    decoded = _legacy(b"\n".join(legacy)).split("\n")
    if len(decoded) != len(legacy):
        return None  # the guessed codec moved line breaks; fall back to whole-file decoding
    fill = iter(decoded)
    return "\n".join(text if text is not None else next(fill) for text in texts)


def decode_text(data: bytes) -> str:
    """Decode TXT/HTML bytes whatever their encoding (UTF-8, GBK, GB18030, Big5, UTF-16...)."""
    text = _with_bom(data)
    if text is not None:
        return text
    codec = _check_not_binary(data)
    if codec:
        return data.decode(codec, errors="replace")
    data = data.removeprefix(codecs.BOM_UTF8)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _mixed_lines(data) or _legacy(data)
