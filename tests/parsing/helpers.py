"""Paths and small helpers shared by the parsing tests."""

from __future__ import annotations

from pathlib import Path

from pipelines.parsing import Report, parse_document

PROJECT_ROOT = Path(__file__).resolve().parents[2]
FIXTURES = PROJECT_ROOT / "tests" / "fixtures" / "parsing"
SHARED = PROJECT_ROOT / ".." / "shared"
DEV_CORPUS = SHARED / "corpus" / "dev"


def values(report: Report, scope: str = "whole") -> dict[str, float | int]:
    """The report's metrics of one scope as {name: value}."""
    return {m.metric: m.value for m in report.metrics if m.scope == scope}


def parse_fixture(name: str) -> Report:
    """Parse a file from tests/fixtures/parsing."""
    path = FIXTURES / name
    return parse_document(path.read_bytes(), path.name)
