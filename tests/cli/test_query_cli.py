"""`nianbao query`: read-only SQL over the published gold file, as JSON or a table."""

from __future__ import annotations

import json

import duckdb
import pytest
from typer.testing import CliRunner

from environment.settings import load_settings
from nianbao.cli import app


@pytest.fixture()
def published(monkeypatch, tmp_path):
    monkeypatch.setenv("NIANBAO_LAKE_DIR", str(tmp_path))
    path = load_settings().published_db_path
    path.parent.mkdir(parents=True)
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE SCHEMA gold")
        con.execute(
            "CREATE TABLE gold.province_year_metrics (province VARCHAR, year INT, applications_new DOUBLE)"
        )
        con.execute("INSERT INTO gold.province_year_metrics VALUES ('湖北省', 2019, 9378)")
    return path


def test_query_prints_json_rows(published):
    result = CliRunner().invoke(app, ["query", "--json", "SELECT * FROM gold.province_year_metrics"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"province": "湖北省", "year": 2019, "applications_new": 9378.0}]


def test_query_cannot_write(published):
    result = CliRunner().invoke(app, ["query", "DELETE FROM gold.province_year_metrics"])
    assert result.exit_code == 2
    with duckdb.connect(str(published), read_only=True) as con:
        assert con.execute("SELECT count(*) FROM gold.province_year_metrics").fetchone()[0] == 1


def test_query_cannot_reach_other_files(published, tmp_path):
    target = tmp_path / "leak.csv"
    result = CliRunner().invoke(app, ["query", f"COPY (SELECT 1) TO '{target}'"])
    assert result.exit_code == 2 and not target.exists()


def test_query_before_any_publish_says_so(monkeypatch, tmp_path):
    monkeypatch.setenv("NIANBAO_LAKE_DIR", str(tmp_path))
    result = CliRunner().invoke(app, ["query", "SELECT 1"])
    assert result.exit_code == 1 and "nothing is published" in result.output
