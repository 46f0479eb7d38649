"""Bytes of a TXT or HTML file to text, whatever the encoding.

Government sites serve UTF-8, GBK/GB18030, Big5 and UTF-16, sometimes with a wrong
`<meta charset>` and sometimes with UTF-8 and GBK lines pasted into one file. A declared
charset is never trusted: the bytes decide.
"""

from __future__ import annotations

import codecs
import re

from .errors import UnreadableFile

# UTF-32 first: its little-endian BOM begins with the UTF-16 one.
_BOMS = [
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
]
# Control bytes no text encoding we accept produces (tab, newlines, form feed and ESC are text).
_CONTROL = bytes([*range(0x00, 0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20)])
_SAMPLE = 65536
_MAX_CONTROL_SHARE = 0.01
_MAX_CHAOS = 0.3  # charset-normalizer's mess ratio above which bytes are noise, not text
_LEGACY_CODECS = ["gb18030", "big5", "utf_16", "utf_8"]
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


def _detect(data: bytes) -> str:
    """Decode legacy-encoded bytes (GBK, GB18030, Big5...) by statistical detection."""
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=_LEGACY_CODECS).best() or from_bytes(data).best()
    # A high mess ratio means random bytes that merely decode, not text in some encoding.
    if best is None or best.chaos > _MAX_CHAOS:
        raise UnreadableFile("its text encoding could not be recognised (it is not UTF-8, GBK, "
                             "GB18030, Big5 or UTF-16, or the bytes are garbled)")
    return str(best)


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
    decoded = _detect(b"\n".join(legacy)).split("\n")
    if len(decoded) != len(legacy):
        return None  # the detected codec moved line breaks; fall back to whole-file detection
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
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    return _mixed_lines(data) or _detect(data)
