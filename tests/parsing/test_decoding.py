"""Text bytes decode by strict rules before any guess: UTF-8, UTF-16 with a BOM, GB18030, Big5.

Short texts are where statistical detection fails (a two-line GBK report scored as Big5 or
UTF-16), so every encoding is checked on a two-line report as well as a full one.
"""

from __future__ import annotations

import codecs

import opencc
import pytest

from pipelines.parsing import NotAReport, UnreadableFile, parse_document
from pipelines.parsing.decoding import decode_text

from .helpers import values

SENTENCE = "本机关全年共收到政府信息公开申请12件。"
SHORT = f"临江市2020年政府信息公开工作年度报告\n{SENTENCE}\n"
LONG = "\n".join([
    "临江市2020年政府信息公开工作年度报告",
    "本报告统计期限自2020年1月1日起至2020年12月31日止。",
    "一、总体情况",
    "本机关全年主动公开政府信息1200条。",
    "二、收到和处理政府信息公开申请情况",
    SENTENCE,
    "三、政府信息公开行政复议、行政诉讼情况",
    "本年度未发生因政府信息公开引起的行政复议、行政诉讼。",
    "四、存在的主要问题及改进情况",
    "经办人:李𠀀。",  # a name character outside GBK: GB18030 writes it in four bytes
]) + "\n"
# The rare character is what GB18030 has and GBK lacks; the other encodings get the report without it.
LONG_GBK = LONG.replace("李𠀀", "李明")


def _traditional(text: str) -> str:
    return opencc.OpenCC("s2t").convert(text)


def _with_bom(text: str, codec: str) -> bytes:
    bom = {"utf-8": codecs.BOM_UTF8, "utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}
    return bom[codec] + text.encode(codec)


ENCODINGS = {
    "gbk": lambda text: text.encode("gbk"),
    "gb18030": lambda text: text.encode("gb18030"),
    "big5": lambda text: _traditional(text).encode("big5"),
    "utf-16-le-bom": lambda text: _with_bom(text, "utf-16-le"),
    "utf-16-be-bom": lambda text: _with_bom(text, "utf-16-be"),
    "utf-8-bom": lambda text: _with_bom(text, "utf-8"),
    "utf-8": lambda text: text.encode("utf-8"),
}


def _expected(text: str, encoding: str) -> str:
    return _traditional(text) if encoding == "big5" else text


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("text", [SHORT, LONG_GBK], ids=["two-lines", "full-report"])
def test_each_encoding_decodes_to_its_text(text, encoding):
    assert decode_text(ENCODINGS[encoding](text)) == _expected(text, encoding)


def test_gb18030_keeps_a_character_gbk_lacks():
    data = LONG.encode("gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("gbk")
    assert decode_text(data) == LONG


# Real report lines that charset-normalizer alone read as Big5, UTF-16 or Cyrillic.
@pytest.mark.parametrize(("line", "codec"), [
    ("(一)申请情况", "gbk"), ("2013年", "gbk"), ("0 件。", "gbk"), ("1、互联网", "gbk"),
    ("160.5964万元", "gbk"), ("（一）主要问题\n部门、镇（街道）政策文件。", "gbk"),
    ("依申請公開", "big5"), ("2.依申請公開辦理情況", "big5"), ("來源:朝陽鄉", "big5"),
])
def test_a_short_line_is_not_guessed_as_another_encoding(line, codec):
    assert decode_text(line.encode(codec)) == line


def test_big5_is_not_taken_for_gb18030_although_it_decodes_as_that():
    data = _traditional(SHORT).encode("big5")
    data.decode("gb18030")  # no error: Big5 bytes are valid GB18030, just the wrong characters
    assert decode_text(data) == _traditional(SHORT)


@pytest.mark.parametrize("encoding", [*ENCODINGS, "gb18030-rare-name"])
def test_the_full_report_parses_to_the_same_figures_in_every_encoding(encoding):
    data = LONG.encode("gb18030") if encoding == "gb18030-rare-name" else ENCODINGS[encoding](LONG_GBK)
    got = values(parse_document(data, "report.txt"))
    # Big5 comes out simplified: the traditional text is converted before extraction.
    assert got["applications_new"] == 12 and got["proactive_total"] == 1200


def test_a_two_line_gbk_report_is_refused_for_its_length_not_its_encoding():
    hanzi = sum("\u4e00" <= char <= "\u9fff" for char in SHORT)
    with pytest.raises(NotAReport, match=f"only {hanzi} Chinese characters"):
        parse_document(SHORT.encode("gbk"), "report.txt")


def test_undecodable_bytes_say_what_was_tried():
    with pytest.raises(UnreadableFile) as caught:
        decode_text(bytes(range(0x80, 0x100)) * 8)
    reason = caught.value.reason
    assert all(codec in reason for codec in ("UTF-8", "UTF-16", "GB18030", "Big5")), reason
    assert "no other encoding" in reason


def test_a_non_chinese_legacy_text_names_the_closest_guess():
    data = "Rapport annuel: la préfecture a reçu douze demandes d'accès à l'information.".encode("cp1252")
    with pytest.raises(UnreadableFile) as caught:
        parse_document(data, "rapport.txt")
    reason = caught.value.reason
    assert "GB18030" in reason and "Big5" in reason, reason
    assert "closest guess, cp125" in reason and "mostly non-Chinese" in reason, reason
