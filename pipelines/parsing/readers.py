"""Format detection: bytes of TXT/HTML/PDF/DOCX in, plain text lines out.

The format comes from the bytes (magic numbers, HTML markers), never from the file name
alone: sites serve HTML error pages as `.pdf` and reports without an extension. Tables come
out one row per line with cells joined by " | ", so the extractor reads every format the
same way (the separator lives in `separator.py`).
"""

from __future__ import annotations

import re

from .decoding import decode_text
from .errors import NotAReport, UnreadableFile

_PDF_MAGIC = b"%PDF-"
_ZIP_MAGIC = b"PK\x03\x04"
_SUPPORTED = "a report document (TXT, HTML, PDF or DOCX)"
_RESAVE = "save it as DOCX or PDF first"
_SCAN = "(a scan); it needs OCR before it can be read"
# Formats that are recognisably not a readable report, with what to tell the user.
_OTHER_FORMATS = [
    (b"\xd0\xcf\x11\xe0", UnreadableFile, f"it is a legacy Word/Excel (OLE) file; {_RESAVE}"),
    (b"{\\rtf", UnreadableFile, f"it is an RTF document; {_RESAVE}"),
    (b"\x89PNG", UnreadableFile, f"it is a PNG image {_SCAN}"),
    (b"\xff\xd8\xff", UnreadableFile, f"it is a JPEG image {_SCAN}"),
    (b"GIF8", UnreadableFile, f"it is a GIF image, not {_SUPPORTED}"),
    (b"Rar!", NotAReport, f"it is a RAR archive, not {_SUPPORTED}"),
    (b"7z\xbc\xaf", NotAReport, f"it is a 7-Zip archive, not {_SUPPORTED}"),
    (b"\x1f\x8b", NotAReport, f"it is a gzip archive, not {_SUPPORTED}"),
]
_HTML_MARKER = re.compile(r"<\s*(?:!doctype\s+html|html|body|table|div|p|head)\b", re.I)
_ANY_TAG = re.compile(r"<\s*/?[a-z!][^<>]{0,200}>", re.I)
_HTML_NAME = (".html", ".htm", ".shtml", ".xhtml", ".jhtml")
_HEAD = 2048


def _is_html(text: str, name: str) -> bool:
    """HTML markers decide; an .html name only tips a text that has some tag in it."""
    head = text[:_HEAD]
    if _HTML_MARKER.search(head):
        return True
    return name.lower().endswith(_HTML_NAME) and bool(_ANY_TAG.search(head))


def _binary_kind(data: bytes) -> str | None:
    """'pdf' or 'zip' from the magic number; raises for other known non-text formats."""
    head = data[:_HEAD].lstrip()
    # Some servers put a few bytes before the PDF header; readers accept it within 1 KiB.
    if _PDF_MAGIC in data[:1024]:
        return "pdf"
    if head.startswith(_ZIP_MAGIC):
        return "zip"
    for magic, error, reason in _OTHER_FORMATS:
        if head.startswith(magic):
            raise error(reason)
    return None


def read_document(data: bytes, name: str) -> tuple[str, str]:
    """The document's format ('pdf', 'docx', 'html', 'text') and its text (tables as ' | ' rows)."""
    if not data.strip():
        raise UnreadableFile("the file is empty")
    kind = _binary_kind(data)
    if kind == "pdf":
        from .pdf_reader import pdf_text

        return kind, pdf_text(data)
    if kind == "zip":
        from .docx_reader import docx_text

        return "docx", docx_text(data)
    text = decode_text(data)
    if not text.strip():
        raise UnreadableFile("the file holds only whitespace, no text")
    if _is_html(text, name):
        from .html_reader import html_text

        visible = html_text(text)
        if not visible:
            raise UnreadableFile("the HTML page shows no text (it may load the report with "
                                 "JavaScript or only embed a PDF or image)")
        return "html", visible
    return "text", text
