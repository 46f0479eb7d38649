"""A migrated, empty Prefect database kept in the environment and copied into each new lake.

A Prefect server on a new home spends about five seconds migrating its SQLite schema before it
answers. The first server started on a new home with this environment saves its database, right
after start-up and before anything is written to it, as a template beside the installed
packages (one per Prefect version); every new lake after that starts from a copy. The template
is only a shortcut: when it cannot be read or written the server migrates as before.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import sys
from contextlib import closing
from importlib.metadata import version
from pathlib import Path

DATABASE = "prefect.db"
MEMO = "memo_store.toml"  # Prefect's note that block types are registered in this database
_EXTERNAL_DATABASE = ("PREFECT_API_DATABASE_CONNECTION_URL", "PREFECT_SERVER_DATABASE_CONNECTION_URL")


def template_path() -> Path:
    """Where this environment's template for its Prefect version lives."""
    return Path(sys.prefix) / "share" / "nianbao" / f"prefect-{version('prefect')}.db"


def _applies() -> bool:
    """False when the server is told to use a database other than its home's SQLite file."""
    return not any(os.environ.get(name) for name in _EXTERNAL_DATABASE)


def seed(home: Path) -> bool:
    """Copy the template into a home with no database yet; True when it was copied."""
    template = template_path()
    database = home / DATABASE
    if not _applies() or database.exists() or not template.exists():
        return False
    try:
        part = database.with_name(f"{DATABASE}.{os.getpid()}.part")
        shutil.copyfile(template, part)
        os.replace(part, database)
        memo = template.with_suffix(".memo.toml")
        if memo.exists():
            shutil.copyfile(memo, home / MEMO)
    except OSError:
        return False
    return True


def keep(home: Path) -> None:
    """Save the freshly migrated database of home as the template, unless one exists."""
    template = template_path()
    database = home / DATABASE
    if not _applies() or template.exists() or not database.exists():
        return
    part = template.with_name(f"{template.name}.{os.getpid()}.part")
    try:
        template.parent.mkdir(parents=True, exist_ok=True)
        with closing(sqlite3.connect(database)) as connection:
            connection.execute("VACUUM INTO ?", (str(part),))  # a consistent copy while it serves
        if (home / MEMO).exists():
            shutil.copyfile(home / MEMO, template.with_suffix(".memo.toml"))
        os.replace(part, template)
    except (OSError, sqlite3.Error):
        part.unlink(missing_ok=True)
