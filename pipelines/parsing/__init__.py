"""Report extraction: 政府信息公开工作年度报告 files (TXT/HTML/PDF/DOCX) to canonical metrics.

A pure library: bytes in, a `Report` out, no storage or orchestration inside.
"""

from __future__ import annotations

import stat
from pathlib import Path

from .errors import NotAReport, ParseError, UnreadableFile
from .model import Metric, Report

PARSER_VERSION = "0.6.0"
_MB = 1024 * 1024

__all__ = ["PARSER_VERSION", "Metric", "NotAReport", "ParseError", "Report", "UnreadableFile",
           "parse_document", "parse_path"]


def parse_document(data: bytes, name: str) -> Report:
    """Parse one report file's bytes; raises only ParseError (NotAReport, UnreadableFile)."""
    from .document import build_report
    from .reading import collecting

    try:
        with collecting() as notes:  # what the reader saw on the way (OCR) joins the findings
            report = build_report(data, name)
        report.findings.extend(notes)
        return report
    except ParseError:
        raise
    except Exception as exc:  # any other failure is a defect, reported as an unreadable file
        raise UnreadableFile(f"the parser failed on this file ({type(exc).__name__}: {exc})") from exc


def _default_max_bytes() -> int:
    from environment.settings import load_settings

    return load_settings().max_file_bytes


def _read_bounded(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refused from its stat size before reading when over the limit."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise UnreadableFile("it is not a regular file (a directory, device or pipe)")
    if info.st_size > max_bytes:
        raise UnreadableFile(f"the file is {info.st_size / _MB:,.1f} MB, over the "
                             f"{max_bytes / _MB:,.0f} MB size limit, so it was not read")
    with path.open("rb") as handle:
        data = handle.read(max_bytes + 1)  # a file still growing is caught here too
    if len(data) > max_bytes:
        raise UnreadableFile(f"the file grew past the {max_bytes / _MB:,.0f} MB size limit "
                             "while it was read")
    return data


def parse_path(path: str | Path, max_bytes: int | None = None) -> dict:
    """The JSON record for one file, or {'file', 'error'} when it cannot be parsed.

    Files over `max_bytes` (default: settings.max_file_bytes, 50 MB) are refused unread.
    """
    path = Path(path)
    try:
        limit = _default_max_bytes() if max_bytes is None else max_bytes
        data = _read_bounded(path, limit)
        return parse_document(data, path.name).to_record(str(path))
    except OSError as exc:
        return {"file": str(path), "error": f"the file could not be read ({exc.strerror or exc})"}
    except ParseError as exc:
        return {"file": str(path), "error": exc.reason}
