"""The data dictionary, generated from the header comments of the SQL models.

Each model starts with comment lines: a description, `Grain:`, `Key:` (how it is refreshed
incrementally, when it is), `Inputs:` and `Columns:` with one
`name: description` line per column. `python -m pipelines.dictionary` rewrites
`docs/data_dictionary.md` from them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from environment.settings import PROJECT_ROOT

MODELS_DIR = PROJECT_ROOT / "dbt_like_sql"
DOCS_PATH = PROJECT_ROOT / "docs" / "data_dictionary.md"
_SECTION = re.compile(r"^(Grain|Key|Inputs|Columns):\s*(.*)$")
_COLUMN = re.compile(r"^([a-z_][a-z0-9_]*(?: … [a-z0-9_]+)?):\s*(.+)$")


@dataclass
class ModelDoc:
    """What a model's header says about it."""

    table: str
    description: str = ""
    grain: str = ""
    key: str = ""
    inputs: list[str] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)


def _header_lines(sql: str) -> list[str]:
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return lines


def parse_header(path: Path) -> ModelDoc:
    """Read the description, grain, inputs and column descriptions from a model's header."""
    doc = ModelDoc(table=f"{path.parent.name}.{path.stem}")
    texts = {"description": [], "grain": [], "key": [], "inputs": []}
    section, last_column = "description", None
    for line in _header_lines(path.read_text(encoding="utf-8")):
        heading = _SECTION.match(line)
        column = _COLUMN.match(line) if section == "columns" else None
        if heading:
            section = heading.group(1).lower()
            if section != "columns":
                texts[section].append(heading.group(2))
        elif column:
            last_column = column.group(1)
            doc.columns[last_column] = column.group(2)
        elif section == "columns" and last_column:
            doc.columns[last_column] += " " + line
        else:
            texts[section].append(line)
    doc.description, doc.grain = " ".join(texts["description"]), " ".join(texts["grain"])
    doc.key = " ".join(texts["key"])
    doc.inputs = [name.strip() for name in " ".join(texts["inputs"]).split(",") if name.strip()]
    return doc


def model_docs(root: Path = MODELS_DIR) -> list[ModelDoc]:
    """The header documentation of every model under root, gold first."""
    docs = [parse_header(path) for path in sorted(root.glob("*/*.sql"))]
    return sorted(docs, key=lambda doc: (not doc.table.startswith("gold."), doc.table))


def render(docs: list[ModelDoc]) -> str:
    """The data dictionary as Markdown."""
    out = [
        "# Data dictionary",
        "",
        "Generated from the SQL model headers in `dbt_like_sql/` by `python -m pipelines.dictionary`;",
        "edit the headers, not this file.",
    ]
    for doc in docs:
        out += ["", f"## `{doc.table}`", "", doc.description, "",
                f"- **Grain:** {doc.grain}",
                *([f"- **Refreshed by key:** {doc.key}"] if doc.key else []),
                f"- **Inputs:** {', '.join(f'`{i}`' for i in doc.inputs)}",
                "", "| column | description |", "|---|---|"]
        out += [f"| `{name}` | {text} |" for name, text in doc.columns.items()]
    return "\n".join(out) + "\n"


def write_dictionary(path: Path = DOCS_PATH, root: Path = MODELS_DIR) -> Path:
    """Write the data dictionary for the models under root to path; returns path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(render(model_docs(root)), encoding="utf-8")
    return path


if __name__ == "__main__":
    print(write_dictionary())
