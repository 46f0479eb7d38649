"""docs/bi.md and the README run: each `sh` and `python` example, from a project-like folder whose
lake holds the sample published gold, prints exactly the `text` block that follows it; the
Superset engine parameters open an exported file read-only through duckdb-engine."""

from __future__ import annotations

import dataclasses
import json
import os
import re
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from environment.settings import PROJECT_ROOT
from infra import s3

from .conftest import publish_file_to_lake

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


@dataclasses.dataclass(frozen=True)
class Workdir:
    """A project-like folder and the environment its processes resolve the lake from."""

    root: Path
    env: dict[str, str]


@pytest.fixture(scope="module")
def workdir(published_db, s3_server, tmp_path_factory) -> Workdir:
    """Looks like the project root after `make demo`: .venv/ and a lake in .lake/ holding the
    sample gold as published (its bucket on the session's S3 server)."""
    root = tmp_path_factory.mktemp("project")
    settings = dataclasses.replace(s3_server, lake_dir=root / ".lake", bucket=f"bi-{uuid.uuid4().hex[:12]}")
    settings.lake_dir.mkdir()
    s3.ensure_bucket(settings)
    publish_file_to_lake(settings, published_db)
    (root / ".venv").symlink_to(PROJECT_ROOT / ".venv")
    env = {key: value for key, value in os.environ.items() if key != "NIANBAO_S3_ENDPOINT"}
    env |= {"NIANBAO_LAKE_DIR": str(settings.lake_dir), "NIANBAO_BUCKET": settings.bucket,
            "NIANBAO_S3_PORT": str(settings.s3_port)}
    return Workdir(root, env)


def test_every_bi_path_has_an_example():
    assert sorted({lang for lang, _, _ in EXAMPLES}) == ["python", "sh"]
    joined = "\n".join(code for _, code, _ in EXAMPLES)
    assert ".venv/bin/duckdb" in joined and "polars" in joined and 'create_engine("duckdb:///' in joined
    assert "nianbao export" in joined and "nianbao attach-sql" in joined


def test_the_readme_shows_each_way_in():
    joined = "\n".join(code for _, code, _ in README_EXAMPLES)
    assert ".venv/bin/duckdb" in joined and "polars" in joined and 'create_engine("duckdb:///' in joined


@pytest.mark.parametrize(("lang", "code", "expected"), EXAMPLES + README_EXAMPLES,
                         ids=[f"bi-{lang}-{i}" for i, (lang, _, _) in enumerate(EXAMPLES)]
                         + [f"readme-{lang}-{i}" for i, (lang, _, _) in enumerate(README_EXAMPLES)])
def test_example_prints_what_the_doc_shows(workdir, lang, code, expected):
    done = subprocess.run([*RUNNERS[lang], code], cwd=workdir.root, env=workdir.env, capture_output=True,
                          text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == expected.strip()


def test_superset_engine_parameters_open_read_only(workdir):
    params = json.loads(next(code for lang, code in BLOCK_RE.findall(DOC.read_text(encoding="utf-8"))
                             if lang == "json"))
    subprocess.run([".venv/bin/nianbao", "export"], cwd=workdir.root, env=workdir.env, check=True,
                   capture_output=True, timeout=120)
    engine = create_engine(f"duckdb:///{workdir.root / '.lake/published/nianbao.duckdb'}", **params)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM gold.region_year_metrics")).scalar() == 6
        with pytest.raises(Exception, match="read-only"):
            connection.execute(text("DELETE FROM gold.region_year_metrics"))
    engine.dispose()
