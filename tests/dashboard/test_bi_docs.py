"""docs/bi.md and the README run: each `sh` and `python` example, from a project-like folder holding
the sample published file, prints exactly the `text` block that follows it; the Superset engine
parameters open the file read-only through duckdb-engine."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from environment.settings import PROJECT_ROOT

DOC = PROJECT_ROOT / "docs" / "bi.md"
README = PROJECT_ROOT / "README.md"
BLOCK_RE = re.compile(r"^```(\w+)\n(.*?)^```$", re.M | re.S)
RUNNERS = {"sh": ["bash", "-euo", "pipefail", "-c"], "python": [sys.executable, "-c"]}


def _examples(doc: Path) -> list[tuple[str, str, str]]:
    """(language, code, expected output) for every runnable block followed by a text block."""
    blocks = BLOCK_RE.findall(doc.read_text(encoding="utf-8"))
    pairs = [(lang, code, after[1]) for (lang, code), after in zip(blocks, blocks[1:], strict=False)
             if lang in RUNNERS and after[0] == "text"]
    assert len(pairs) == sum(lang in RUNNERS for lang, _ in blocks), "an example without its output"
    return pairs


EXAMPLES = _examples(DOC)
README_EXAMPLES = _examples(README)


@pytest.fixture(scope="module")
def workdir(published_db, tmp_path_factory) -> Path:
    """Looks like the project root after `make demo`: .venv/ and .lake/published/nianbao.duckdb."""
    root = tmp_path_factory.mktemp("project")
    (root / ".lake" / "published").mkdir(parents=True)
    shutil.copy(published_db, root / ".lake" / "published" / "nianbao.duckdb")
    (root / ".venv").symlink_to(PROJECT_ROOT / ".venv")
    return root


def test_every_bi_path_has_an_example():
    assert sorted({lang for lang, _, _ in EXAMPLES}) == ["python", "sh"]
    joined = "\n".join(code for _, code, _ in EXAMPLES)
    assert ".venv/bin/duckdb" in joined and "polars" in joined and 'create_engine("duckdb:///' in joined


def test_the_readme_shows_each_way_in():
    joined = "\n".join(code for _, code, _ in README_EXAMPLES)
    assert ".venv/bin/duckdb" in joined and "polars" in joined and 'create_engine("duckdb:///' in joined


@pytest.mark.parametrize(("lang", "code", "expected"), EXAMPLES + README_EXAMPLES,
                         ids=[f"bi-{lang}-{i}" for i, (lang, _, _) in enumerate(EXAMPLES)]
                         + [f"readme-{lang}-{i}" for i, (lang, _, _) in enumerate(README_EXAMPLES)])
def test_example_prints_what_the_doc_shows(workdir, lang, code, expected):
    env = {**os.environ, "NIANBAO_LAKE_DIR": str(workdir / ".lake")}
    done = subprocess.run([*RUNNERS[lang], code], cwd=workdir, env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected.strip()


def test_superset_engine_parameters_open_read_only(workdir):
    params = json.loads(next(code for lang, code in BLOCK_RE.findall(DOC.read_text(encoding="utf-8"))
                             if lang == "json"))
    engine = create_engine(f"duckdb:///{workdir / '.lake/published/nianbao.duckdb'}", **params)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM gold.region_year_metrics")).scalar() == 6
        with pytest.raises(Exception, match="read-only"):
            connection.execute(text("DELETE FROM gold.region_year_metrics"))
    engine.dispose()
