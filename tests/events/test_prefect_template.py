"""A new lake's Prefect server starts from the migrated template instead of migrating again."""

from __future__ import annotations

import dataclasses
import sqlite3
from contextlib import closing

import pytest

from environment.settings import load_settings
from infra import prefect_template
from infra.prefect_server import prefect_server, prefect_server_starting
from infra.seaweed import free_port

from .conftest import prefect_api

pytestmark = pytest.mark.e2e


def _schema_version(database) -> str:
    with closing(sqlite3.connect(database)) as connection:
        [(revision,)] = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    return revision


def _block_types(api: str) -> set[str]:
    with prefect_api(api) as http:
        return {block["slug"] for block in http.post("/block_types/filter", json={}).json()}


def test_the_second_lake_starts_from_the_first_ones_migrated_database(tmp_path, monkeypatch):
    template = tmp_path / "environment" / "prefect-test.db"
    monkeypatch.setattr(prefect_template, "template_path", lambda: template)
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.delenv("PREFECT_HOME", raising=False)
    first, second = (dataclasses.replace(load_settings(), lake_dir=tmp_path / name)
                     for name in ("first", "second"))
    with prefect_server(first, free_port()):
        pass
    assert template.exists(), "the first server's new database was not kept"
    assert _schema_version(template) == _schema_version(first.lake_dir / "prefect" / "prefect.db")

    with prefect_server_starting(second, free_port()) as ready:
        seeded = second.lake_dir / "prefect" / "prefect.db"
        assert seeded.exists(), "the new home was not seeded before its server started"
        api = ready()
        assert "webhook" in _block_types(api)
        with prefect_api(api) as http:
            flow = http.post("/flows/", json={"name": "seeded"})
        assert flow.status_code in (200, 201), flow.text
    assert _schema_version(seeded) == _schema_version(template)
