"""Bad input gets a clear reason (UnreadableFile / NotAReport), never a crash or a hang.

Every input is generated here, small and fast; only the real-PDF truncation case reads the
shared dev corpus and skips cleanly without it.
"""

from __future__ import annotations

import io
import os
import random
import time
import zipfile
from pathlib import Path

import pytest

from pipelines.parsing import NotAReport, UnreadableFile, parse_document, parse_path
from tests.parsing.bad_inputs import (
    REPORT_TEXT,
    image_pdf,
    mixed_encoding_text,
    text_pdf,
    zip_bomb_docx,
)

DEV_PDF = Path(__file__).resolve().parents[2] / ".." / "shared" / "corpus" / "dev" / "pdf" / "001.pdf"
EXPECTED = {"applications_new": 35, "proactive_total": 1200}
NEWS = ("本报讯(记者 王明 通讯员 李华)近日,临江市召开政务公开工作推进会,会议总结了全市政务公开"
        "和政府信息公开工作取得的成效,部署下一阶段重点任务。会议要求各部门进一步提高认识,"
        "压实责任,推动政务公开工作再上新台阶。责任编辑:张三")


def _values(data: bytes, name: str) -> dict:
    report = parse_document(data, name)
    return {m.metric: m.value for m in report.metrics if m.scope == "whole"}


def _refused(data: bytes, name: str, error: type, *words: str) -> str:
    """Parse, expect `error`, and check the reason names the problem (any of `words`)."""
    with pytest.raises(error) as caught:
        parse_document(data, name)
    reason = caught.value.reason
    assert any(word in reason for word in words), reason
    return reason


@pytest.mark.parametrize("data", [b"", b" \n\t\r\n "], ids=["empty", "whitespace"])
def test_empty_file(data):
    _refused(data, "report.txt", UnreadableFile, "empty")


def test_binary_garbage_named_txt():
    garbage = random.Random(7).randbytes(8192)
    _refused(garbage, "report.txt", UnreadableFile, "binary")


def test_truncated_pdf():
    pdf = text_pdf()
    _refused(pdf[: len(pdf) * 2 // 3], "report.pdf", UnreadableFile, "truncated")


def test_truncated_real_pdf():
    if not DEV_PDF.is_file():
        pytest.skip("the shared dev corpus (../shared/corpus/dev) is not present")
    data = DEV_PDF.read_bytes()
    _refused(data[: len(data) // 3], "001.pdf", UnreadableFile, "truncated")


def test_damaged_pdf():
    _refused(b"%PDF-1.7\n" + random.Random(3).randbytes(600) + b"\n%%EOF\n", "r.pdf",
             UnreadableFile, "damaged", "no text layer")


def test_encrypted_pdf_needs_password():
    _refused(text_pdf(user_password="secret"), "report.pdf", UnreadableFile, "encrypted")


def test_pdf_encrypted_with_owner_password_only_still_reads():
    # Many sites lock printing with an owner password; the text opens with the empty password.
    assert _values(text_pdf(user_password=""), "report.pdf") == EXPECTED


def test_image_only_pdf_without_any_text_is_refused_after_ocr():
    _refused(image_pdf(), "scan.pdf", UnreadableFile, "OCR (rapidocr) found no text")


def test_scanned_pdf_with_ocr_turned_off_says_so(monkeypatch):
    monkeypatch.setenv("NIANBAO_OCR_ENGINE", "off")
    reason = _refused(image_pdf(), "scan.pdf", UnreadableFile, "no text layer")
    assert "NIANBAO_OCR_ENGINE=off" in reason


def test_scanned_pdf_without_the_ocr_engine_gives_the_install_line(monkeypatch, tmp_path):
    # Tesseract is a system package: a PATH without it is a machine where it is not installed.
    monkeypatch.setenv("NIANBAO_OCR_ENGINE", "tesseract")
    monkeypatch.setenv("PATH", str(tmp_path))
    reason = _refused(image_pdf(), "scan.pdf", UnreadableFile, "no text layer")
    assert "apt-get install tesseract-ocr tesseract-ocr-chi-sim" in reason


def test_docx_zip_bomb_is_refused_before_unpacking():
    started = time.perf_counter()
    reason = _refused(zip_bomb_docx(200), "report.docx", UnreadableFile, "zip bomb")
    assert "200 MB" in reason and "50 MB" in reason
    assert time.perf_counter() - started < 5


def test_docx_part_with_bomb_ratio_is_refused():
    # 20 MB unpacked is under the size limit, but 20 MB of spaces compresses ~1000 to 1.
    reason = _refused(zip_bomb_docx(20), "report.docx", UnreadableFile, "zip bomb")
    assert "compressed" in reason and "word/document.xml" in reason


@pytest.mark.parametrize("data", [
    b"PK\x03\x04" + bytes(200),
    zip_bomb_docx(1)[:300],
], ids=["not-a-zip", "truncated-zip"])
def test_corrupt_docx(data):
    _refused(data, "report.docx", UnreadableFile, "damaged", "truncated")


def test_zip_without_a_word_document_is_not_a_report():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
    _refused(buffer.getvalue(), "report.docx", NotAReport, "Excel")


def test_html_with_scripts_and_10000_nested_tags():
    body = "".join(f"<p>{line}</p>" for line in REPORT_TEXT.splitlines())
    script = "<script>var s='全市共收到政府信息公开申请999件'; if (a < b) {}</script>"
    html = f"<html><head>{script}</head><body>{'<div>' * 10_000}{script}{body}{'</div>' * 10_000}"
    started = time.perf_counter()
    assert _values(html.encode(), "report.html") == EXPECTED, "script text must not be read"
    assert time.perf_counter() - started < 5


@pytest.mark.parametrize("encode", [
    mixed_encoding_text,
    lambda: ('<html><head><meta charset="gbk"></head><body><pre>' + REPORT_TEXT
             + "</pre></body></html>").encode("utf-8"),
    lambda: ('<html><head><meta charset="utf-8"></head><body><pre>' + REPORT_TEXT
             + "</pre></body></html>").encode("gbk"),
    lambda: REPORT_TEXT.encode("utf-16"),
    lambda: REPORT_TEXT.encode("utf-16-be"),
    lambda: REPORT_TEXT.encode("gb18030"),
], ids=["utf8-and-gbk-lines", "gbk-meta-over-utf8", "utf8-meta-over-gbk", "utf16-bom",
        "utf16-be-no-bom", "gb18030"])
def test_mixed_and_wrong_encodings(encode):
    assert _values(encode(), "report.txt") == EXPECTED


def test_news_article_is_not_a_report():
    _refused(NEWS.encode(), "news.txt", NotAReport, "news article")


@pytest.mark.parametrize("name", [
    "../../etc/passwd", "年报 2020 (终稿).txt", "临江市/../政府信息公开年报", "x" * 1000 + ".txt",
    "", "report", "report.docx", "report.pdf", ".hidden", "a.b.c.HTML",
])
@pytest.mark.parametrize("make", [lambda: REPORT_TEXT.encode(), text_pdf,
                                  lambda: f"<html><body><pre>{REPORT_TEXT}</pre>".encode()],
                         ids=["text", "pdf", "html"])
def test_any_name_any_extension(name, make):
    assert _values(make(), name) == EXPECTED


def test_file_over_the_size_limit_is_refused_before_reading(tmp_path):
    big = tmp_path / "big.pdf"
    with big.open("wb") as handle:
        handle.truncate(60 * 1024 * 1024)  # sparse: stat says 60 MB, nothing is written
    record = parse_path(big)  # the limit comes from settings.max_file_bytes (50 MB)
    assert "size limit" in record["error"] and "60.0 MB" in record["error"]
    small = tmp_path / "small.txt"
    small.write_text(REPORT_TEXT, encoding="utf-8")
    assert "size limit" in parse_path(small, max_bytes=100)["error"]
    assert "error" not in parse_path(small)


def test_parse_path_refuses_a_directory(tmp_path):
    assert "not a regular file" in parse_path(tmp_path)["error"]


@pytest.mark.parametrize("text", [
    REPORT_TEXT + "1234567890" * 500_000,
    REPORT_TEXT + "全市共收到申请" + "一万" * 1_000_000,
    REPORT_TEXT + ("行政复议1件" + " " * 10) * 100_000,
    REPORT_TEXT + ("收到申请1件(" * 300_000),
], ids=["5MB-of-digits", "2MB-numeral-line", "review-words", "open-brackets"])
def test_pathological_text_finishes_quickly(text):
    started = time.perf_counter()
    assert _values(text.encode(), "big.txt")["proactive_total"] == 1200
    assert time.perf_counter() - started < 15


def test_random_bytes_named_like_each_format():
    for name in ("a.pdf", "a.docx", "a.html", "a.txt"):
        with pytest.raises(UnreadableFile):
            parse_document(os.urandom(4096), name)
