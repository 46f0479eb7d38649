"""The generator: deterministic, covering every template/level/format, truth consistent with files."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import docx

from environment.settings import PROJECT_ROOT
from pipelines.synth import generate, rules, truth
from pipelines.synth.plan import YEARS, plan_report
from pipelines.synth.regions import LEVELS
from pipelines.synth.report import build_report

METRICS_DOC = PROJECT_ROOT.parent / "shared" / "corpus" / "METRICS.md"


def _tree(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_same_seed_gives_identical_bytes(tmp_path):
    generate(25, tmp_path / "a", seed=3)
    generate(25, tmp_path / "b", seed=3)
    generate(25, tmp_path / "c", seed=4)
    first = _tree(tmp_path / "a")
    assert first == _tree(tmp_path / "b")
    assert first != _tree(tmp_path / "c")


def test_a_prefix_of_the_corpus_is_stable(tmp_path, corpus):
    generate(10, tmp_path, seed=11, contradiction_share=0.3)
    for path, data in _tree(tmp_path / "reports").items():
        assert (corpus / "reports" / path).read_bytes() == data


def test_every_template_level_and_format_appears(manifest):
    assert {row["template"] for row in manifest} == set(YEARS)
    assert {row["level"] for row in manifest} == set(LEVELS)
    assert {row["format"] for row in manifest} == {"txt", "txt-gbk", "html", "docx"}
    for row in manifest:
        assert int(row["report_year"]) in YEARS[row["template"]]
    noise = ("traditional", "full_width", "dual_scope")
    assert all(any(row[flag] == "1" for row in manifest) for flag in noise)
    assert {row["table_style"] for row in manifest} >= {"pipes", "cells", "spaces"}


def test_truth_obeys_balance_rules_except_recorded_contradictions(corpus):
    broken = set()
    for (file, _scope), metrics in truth.read_labels(corpus / "labels.csv").items():
        broken |= {(file, rule) for rule, _ in rules.broken_rules(metrics)}
    with (corpus / "contradictions.csv").open(encoding="utf-8") as handle:
        recorded = {(row["file"], row["rule"]) for row in csv.DictReader(handle)}
    assert recorded, "a 0.3 share should contradict some reports"
    assert broken == recorded


def test_gbk_files_are_gbk_not_utf8(corpus, manifest):
    gbk = [row["file"] for row in manifest if row["encoding"] == "gbk"]
    assert gbk
    for file in gbk:
        data = (corpus / file).read_bytes()
        data.decode("gbk")
        try:
            data.decode("utf-8")
        except UnicodeDecodeError:
            continue
        raise AssertionError(f"{file} also decodes as UTF-8")


def _documented_metrics(text: str) -> set[str]:
    """Metric names from METRICS.md's table; "reconsideration_total / _upheld" expands the stem."""
    names = set()
    for line in text.splitlines():
        if not line.startswith("| "):
            continue
        tokens = [t.strip() for t in line.split("|")[1].split("/")]
        stem = tokens[0].rsplit("_", 1)[0]
        names |= {stem + t if t.startswith("_") else t for t in tokens}
    return names


def test_labels_have_the_dev_form_and_known_metrics(corpus, manifest):
    with (corpus / "labels.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert tuple(rows[0]) == truth.LABEL_FIELDS
    assert {row["file"] for row in rows if not row["metric"]} == {row["file"] for row in manifest}
    assert {row["scope"] for row in rows} == {"whole", "own"}
    if METRICS_DOC.exists():  # the shared contract; a fresh clone without ../shared skips this check
        documented = _documented_metrics(METRICS_DOC.read_text(encoding="utf-8"))
        assert {row["metric"] for row in rows if row["metric"]} <= documented


def test_documents_open_in_their_formats(corpus, manifest):
    for row in manifest:
        path = corpus / row["file"]
        if row["format"] == "docx":
            document = docx.Document(str(path))
            assert document.paragraphs[0].text
            assert bool(document.tables) == (row["template"] != "narrative")
        elif row["format"] == "html":
            text = path.read_text(encoding="utf-8")
            assert ("<table" in text) == (row["template"] != "narrative")


def test_tables_are_rectangular_once_spans_are_counted():
    for index in range(40):
        rng = random.Random(f"rect:{index}")
        built = build_report(rng, plan_report(rng, index, 0.0))
        for block in (b for b in built.document.blocks if b.kind == "table"):
            width = [0] * (len(block.rows) + 3)
            for r, row in enumerate(block.rows):
                for cell in row:
                    for dr in range(cell.rowspan):
                        width[r + dr] += cell.colspan
            assert len(set(width[: len(block.rows)])) == 1, block.rows[0][0].text
