"""Fixtures for the parsing tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from .helpers import DEV_CORPUS


@pytest.fixture
def dev_corpus() -> Path:
    """The shared dev corpus, or a clean skip in a fresh clone that has no ../shared."""
    if not DEV_CORPUS.is_dir():
        pytest.skip("the shared dev corpus (../shared/corpus/dev) is not present")
    return DEV_CORPUS
