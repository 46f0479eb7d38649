"""Report extraction: 政府信息公开工作年度报告 files (TXT/HTML/PDF/DOCX) to canonical metrics.

A pure library: bytes in, a `Report` out, no storage or orchestration inside.
"""

from __future__ import annotations

from pathlib import Path

from .errors import NotAReport, ParseError, UnreadableFile
from .model import Metric, Report

PARSER_VERSION = "0.2.0"

__all__ = ["PARSER_VERSION", "Metric", "NotAReport", "ParseError", "Report", "UnreadableFile",
           "parse_document", "parse_path"]


def parse_document(data: bytes, name: str) -> Report:
    """Parse one report file's bytes; raises only ParseError (NotAReport, UnreadableFile)."""
    from .document import build_report

    try:
        return build_report(data, name)
    except ParseError:
        raise
    except Exception as exc:  # any other failure is a defect, reported as an unreadable file
        raise UnreadableFile(f"the parser failed on this file ({type(exc).__name__}: {exc})") from exc


def parse_path(path: str | Path) -> dict:
    """The JSON record for one file, or {'file', 'error'} when it cannot be parsed."""
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return {"file": str(path), "error": f"the file could not be read ({exc.strerror or exc})"}
    try:
        return parse_document(data, Path(path).name).to_record(str(path))
    except ParseError as exc:
        return {"file": str(path), "error": exc.reason}
