"""Who can reach what: the webhook listens on loopback with a token; analysts only read gold.

The wrong-token case and `nianbao query`'s refusal to write or COPY out are covered by
tests/events/test_event_sources.py and tests/cli/test_query_cli.py; these add the rest.
"""

from __future__ import annotations

import duckdb
import pytest

from environment.settings import load_settings
from infra import events
from nianbao.query import run_query


def test_webhook_binds_loopback_and_needs_the_token(lake_settings):
    hook = events.FilerWebhook(lake_settings, "right", events.Cursor.for_settings(lake_settings))
    try:
        assert hook._server.server_address[0] == "127.0.0.1"
        assert hook.handle("", b"{}") == 401
        assert hook.handle("Bearer ", b"{}") == 401
        assert hook.handle("right", b"{}") == 401  # the scheme is part of the secret
    finally:
        hook._server.server_close()


@pytest.fixture()
def analyst(monkeypatch, tmp_path):
    """A published gold file, as `nianbao query` finds it, and a private file beside it."""
    monkeypatch.setenv("NIANBAO_LAKE_DIR", str(tmp_path))
    settings = load_settings()
    settings.published_dir.mkdir(parents=True)
    with duckdb.connect(str(settings.published_db_path)) as con:
        con.execute("CREATE SCHEMA gold")
        con.execute("CREATE TABLE gold.t AS SELECT 1 AS x")
    private = tmp_path / "warehouse.duckdb"
    with duckdb.connect(str(private)) as con:
        con.execute("CREATE TABLE secret AS SELECT 42 AS x")
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n")
    return settings


@pytest.mark.parametrize("sql", [
    "SELECT * FROM read_csv('{lake}/notes.csv')",
    "ATTACH '{lake}/warehouse.duckdb' AS w",
    "SET enable_external_access = true",
    "INSTALL httpfs",
    "CREATE TABLE gold.u AS SELECT 1",
    "SELECT * FROM read_text('/etc/passwd')",
])
def test_query_reads_only_the_published_gold(analyst, sql):
    with pytest.raises(duckdb.Error):
        run_query(analyst, sql.format(lake=analyst.lake_dir))
    assert run_query(analyst, "SELECT x FROM gold.t") == (["x"], [(1,)])
