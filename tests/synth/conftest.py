"""A synthetic corpus generated once per session for the synth tests."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from pipelines.synth import generate

N = 60
SEED = 11


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:
    """N=60 reports with a high contradiction share, so every rule path is exercised."""
    out = tmp_path_factory.mktemp("synth")
    generate(N, out, seed=SEED, contradiction_share=0.3)
    return out


@pytest.fixture(scope="session")
def manifest(corpus: Path) -> list[dict]:
    """manifest.csv rows of the session corpus."""
    with (corpus / "manifest.csv").open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))
