"""The packages form floors, and imports only go down: a lower floor never imports a higher one."""

from __future__ import annotations

import ast

import pytest

from environment.settings import PROJECT_ROOT

# Lowest first: settings; S3, servers and events; the data pipeline; data quality and the gated
# publish; Prefect flows; the command line, the stack and its deployments.
FLOORS = ("environment", "infra", "pipelines", "expectations", "flows", "nianbao")


def _imported(path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module.split(".")[0])
    return found


@pytest.mark.parametrize("floor", FLOORS)
def test_no_import_goes_up(floor):
    above = set(FLOORS[FLOORS.index(floor) + 1:])
    upward = {f"{path.relative_to(PROJECT_ROOT)} imports {package}"
              for path in (PROJECT_ROOT / floor).rglob("*.py") for package in _imported(path) & above}
    assert upward == set()
