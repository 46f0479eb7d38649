"""Failures speak to the user: NotAReport and UnreadableFile, never anything else."""

from __future__ import annotations

import os

import pytest

from pipelines.parsing import NotAReport, ParseError, UnreadableFile, parse_document, parse_path

from .helpers import FIXTURES

# A valid one-page PDF with nothing on its page: no text, and no image that OCR could read.
_BLANK_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def test_news_article_is_not_a_report():
    with pytest.raises(NotAReport, match="news"):
        parse_document((FIXTURES / "news_article.txt").read_bytes(), "news.txt")


def test_unrelated_text_is_not_a_report():
    with pytest.raises(NotAReport, match="信息公开"):
        parse_document("今天天气很好,我们去公园散步,看到很多人在跳舞和下棋。".encode() * 5, "a.txt")


@pytest.mark.parametrize(("data", "reason"), [
    (b"", "empty"),
    (b"  \n\t ", "empty"),
    (os.urandom(4096), "encoding|binary"),
    (_BLANK_PDF, "no text"),
    (b"%PDF-1.7\n" + os.urandom(300), "damaged|truncated|OCR"),
])
def test_unreadable_inputs(data, reason):
    with pytest.raises(UnreadableFile, match=reason):
        parse_document(data, "file.pdf" if data.startswith(b"%PDF") else "file.txt")


def test_truncated_real_pdf(dev_corpus):
    data = (dev_corpus / "pdf" / "001.pdf").read_bytes()
    with pytest.raises(UnreadableFile):
        parse_document(data[: len(data) // 3], "001.pdf")


def test_parse_path_never_raises(tmp_path):
    missing = parse_path(tmp_path / "missing.txt")
    assert "error" in missing and "could not be read" in missing["error"]
    garbage = tmp_path / "garbage.bin"
    garbage.write_bytes(os.urandom(2048))
    assert "error" in parse_path(garbage)


def test_errors_share_one_base_with_a_reason():
    error = NotAReport("because")
    assert isinstance(error, ParseError) and error.reason == "because"
