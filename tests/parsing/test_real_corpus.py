"""The real corpus (corpus/bNN): labels that hold together, and the parser's bar on them."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from .helpers import PROJECT_ROOT

CORPUS = PROJECT_ROOT / "corpus"
BATCHES = sorted(path for path in CORPUS.glob("b[0-9]*") if (path / "labels.csv").is_file())


def _load(name: str):
    """One of the corpus tools (corpus/score.py, corpus/check_labels.py) as a module."""
    spec = importlib.util.spec_from_file_location(f"corpus_{name}", CORPUS / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_the_corpus_is_four_times_the_dev_set():
    reports = sum(len(list((batch / "reports").iterdir())) for batch in BATCHES)
    assert len(BATCHES) >= 5 and reports >= 150, (len(BATCHES), reports)


@pytest.mark.parametrize("batch", BATCHES, ids=[batch.name for batch in BATCHES])
def test_labels_are_well_formed_and_evidenced(batch: Path):
    problems = _load("check_labels").check_batch(batch)
    assert problems == [], problems[:5]


def test_the_parser_meets_its_bar_on_the_whole_corpus():
    score = _load("score")
    total = score.Score()
    for batch in BATCHES:
        total.add(score.score_batch(batch))
    precision, recall, identification = total.ratios()
    assert precision >= 0.98 and recall >= 0.95 and identification >= 0.97, total.line()
