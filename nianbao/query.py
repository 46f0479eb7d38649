"""Read-only SQL over published gold in the lake (what analysts and `nianbao query` see).

Each query gets its own DuckDB with the lake attached read-only (at the latest snapshot, or an
earlier publish's) and then sealed: no file or network access beyond the lake's own catalog and
data, the configuration locked so the query cannot undo that, and only one statement that reads
(SELECT and what DuckDB turns into one, such as DESCRIBE or SUMMARIZE, or EXPLAIN): a COPY, an
ATTACH or a SET never runs, so not even the lake's own bucket can be written.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from environment.settings import Settings
from infra.seaweed import running_object_store
from pipelines.lake import LAKE, attach_statement, data_path, setup_statements, use_s3
from pipelines.snapshots import last_publication, publications

READ_STATEMENTS = frozenset({duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN})


class NothingPublished(RuntimeError):
    """No gold has been published yet."""


class NotARead(ValueError):
    """The SQL given to `nianbao query` is not one statement that only reads."""


def attach_script(settings: Settings, snapshot: int | None = None) -> str:
    """SQL that gives any DuckDB 1.5.5 the lake read-only (extensions, S3 secret, ATTACH, USE):
    `duckdb -init <file>` in the CLI, or statement by statement in Python. It holds the S3 keys."""
    statements = [*setup_statements(settings), attach_statement(settings, read_only=True, snapshot=snapshot),
                  f"USE {LAKE}"]
    return "".join(f"{statement};\n" for statement in statements)


def _sealed(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    allowed = [data_path(settings)]
    if not settings.catalog_is_postgres:
        allowed.append(str(settings.sqlite_catalog_path))
    con.execute("SET allowed_directories = ?", [allowed])
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")


@contextmanager
def open_gold(settings: Settings, snapshot: int | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A sealed read-only connection to the lake (`gold.<table>` names published tables)."""
    if not settings.catalog_is_postgres and not settings.sqlite_catalog_path.is_file():
        raise NothingPublished(f"nothing is published yet (no lake at {settings.sqlite_catalog_path}): "
                               "run `make demo` or `nianbao publish`")
    with running_object_store(settings), duckdb.connect() as con:
        use_s3(con, settings)
        con.execute(attach_statement(settings, read_only=True, snapshot=snapshot))
        con.execute(f"USE {LAKE}")
        if last_publication(con) is None and snapshot is None:
            raise NothingPublished("nothing is published yet: run `make demo` or `nianbao publish`")
        _sealed(con, settings)
        yield con


def run_query(settings: Settings, sql: str, snapshot: int | None = None) -> tuple[list[str], list[tuple]]:
    """Run one SQL statement read-only over published gold (as of `snapshot` when given)."""
    with open_gold(settings, snapshot) as con:
        statements = con.extract_statements(sql)
        if len(statements) != 1 or statements[0].type not in READ_STATEMENTS:
            kinds = ", ".join(statement.type.name for statement in statements) or "nothing"
            raise NotARead(f"only one statement that reads (SELECT, DESCRIBE, EXPLAIN …) runs here, "
                           f"not {kinds}")
        cursor = con.execute(statements[0])
        columns = [item[0] for item in cursor.description or []]
        return columns, cursor.fetchall()


def list_snapshots(settings: Settings) -> list[tuple]:
    """Every publish still kept: (snapshot_id, time, commit message), oldest first."""
    with open_gold(settings) as con:
        return publications(con)
