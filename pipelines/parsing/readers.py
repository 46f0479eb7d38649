"""Format detection and decoding: bytes of TXT/HTML/PDF/DOCX in, plain text lines out.

Tables come out one row per line with cells joined by " | ", so the extractor reads every
format the same way.
"""

from __future__ import annotations

import re

from .errors import NotAReport, UnreadableFile

CELL_SEPARATOR = " | "
_MAX_CHAOS = 0.3
_HTML_HINT = re.compile(rb"<\s*(?:!doctype\s+html|html|body|table|div|p|head)\b", re.I)


def detect_format(data: bytes, name: str) -> str:
    """One of 'pdf', 'docx', 'html', 'text' from the leading bytes, then the file name."""
    head = data[:2048].lstrip()
    lower = name.lower()
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:65536] or lower.endswith(".docx"):
            return "docx"
        raise NotAReport("it is a ZIP archive, not a report document (TXT, HTML, PDF or DOCX)")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise UnreadableFile("it is a legacy Word/Excel (OLE) file; save it as DOCX or PDF first")
    if lower.endswith((".html", ".htm", ".shtml", ".xhtml", ".jhtml")) or _HTML_HINT.search(head):
        return "html"
    return "text"


def decode_text(data: bytes) -> str:
    """Decode TXT/HTML bytes whatever their encoding (UTF-8, GBK, GB18030, Big5...)."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if data.count(b"\x00") > len(data) // 20:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            return data.decode("utf-16")
        raise UnreadableFile("it is binary data, not text")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=["gb18030", "big5", "utf_16", "utf_8"]).best()
    if best is None:
        best = from_bytes(data).best()
    # A high mess ratio means random bytes that merely decode, not text in some encoding.
    if best is None or best.chaos > _MAX_CHAOS:
        raise UnreadableFile("its text encoding could not be recognised (not UTF-8, GBK or Big5)")
    return str(best)


def read_document(data: bytes, name: str) -> tuple[str, str]:
    """The document's format and its text (tables as ' | ' rows)."""
    if not data or not data.strip():
        raise UnreadableFile("the file is empty")
    kind = detect_format(data, name)
    if kind == "pdf":
        from .pdf_reader import pdf_text

        return kind, pdf_text(data)
    if kind == "docx":
        from .docx_reader import docx_text

        return kind, docx_text(data)
    text = decode_text(data)
    if kind == "html":
        from .html_reader import html_text

        return kind, html_text(text)
    return kind, text
