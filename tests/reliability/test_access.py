"""Who can reach what: the webhook listens on loopback with a token; analysts only read gold.

The wrong-token case and `nianbao query`'s refusal to write or COPY out are covered by
tests/events/test_event_sources.py and tests/cli/test_query_cli.py; these add the rest.
"""

from __future__ import annotations

import duckdb
import pytest

from infra import events, s3
from nianbao.query import NotARead, list_snapshots, run_query
from pipelines.lake import connect, data_path
from pipelines.snapshots import PUBLISH_AUTHOR


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
def analyst(lake_env):
    """A lake with one published gold table, as `nianbao query` finds it, and a private file beside it."""
    with connect(lake_env) as con:
        con.execute("BEGIN TRANSACTION")
        con.execute("CREATE TABLE gold.t AS SELECT 1 AS x")
        con.execute("CALL lake.set_commit_message(?, 'test publish')", [PUBLISH_AUTHOR])
        con.execute("COMMIT")
    with duckdb.connect(str(lake_env.lake_dir / "private.duckdb")) as con:
        con.execute("CREATE TABLE secret AS SELECT 42 AS x")
    (lake_env.lake_dir / "notes.csv").write_text("a,b\n1,2\n")
    return lake_env


@pytest.mark.parametrize("sql", [
    "SELECT * FROM read_csv('{lake}/notes.csv')",
    "ATTACH '{lake}/private.duckdb' AS w",
    "ATTACH '{catalog}' AS c (TYPE sqlite)",
    "COPY (SELECT 1) TO '{data}evil.parquet'",
    "SET enable_external_access = true",
    "INSTALL httpfs",
    "CREATE TABLE gold.u AS SELECT 1",
    "DELETE FROM gold.t",
    "SELECT * FROM read_text('/etc/passwd')",
])
@pytest.mark.parametrize("as_of", [False, True], ids=["latest", "as-of"])
def test_query_reads_only_the_published_gold(analyst, sql, as_of):
    snapshot = list_snapshots(analyst)[-1][0] if as_of else None  # `query --as-of` is sealed too
    with pytest.raises((duckdb.Error, NotARead)):
        run_query(analyst, sql.format(lake=analyst.lake_dir, catalog=analyst.sqlite_catalog_path,
                                      data=data_path(analyst)), snapshot)
    assert run_query(analyst, "SELECT x FROM gold.t", snapshot) == (["x"], [(1,)])
    assert not [info.key for info in s3.list_objects(analyst, "lakehouse/") if "evil" in info.key]
