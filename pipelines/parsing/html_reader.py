"""HTML to text with selectolax: page furniture dropped, tables kept as expanded grids."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from .errors import UnreadableFile
from .script_html import script_markup
from .separator import CELL_SEPARATOR

_DROP_TAGS = "script, style, noscript, iframe, nav, header, footer, aside, form, select, button"
# Class/id words of navigation bars, breadcrumbs, share widgets and footers on government sites.
_FURNITURE = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|footer|foot|breadcrumb|crumb|share|sidebar|toolbar|topbar"
    r"|banner|copyright|friendlink|links|weather|login|search)(?:$|[-_\s\d])",
    re.I,
)
_TABLE_MARKERS = re.compile(r"本年新收|勾稽|第二十条")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_FEW_WORDS = 300
# Expanded cells of one table: far above any report's tables, low enough to stay fast.
_MAX_GRID_CELLS = 500_000
_BLOCK_TAGS = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "ul", "ol", "dl", "dt", "dd", "pre", "blockquote", "center", "hr", "title", "main",
}


def _is_furniture(node: Node) -> bool:
    attrs = node.attributes
    marker = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    return bool(marker.strip()) and bool(_FURNITURE.search(marker))


def _cell_text(node: Node) -> str:
    # str.split() and the regex \s agree on what whitespace is; split() skips the regex call.
    return " ".join(node.text(separator=" ").split())


def _grid(rows: list[Node]) -> dict[tuple[int, int], tuple[tuple[int, int], str]]:
    """Cell text by (row, column), each rowspan/colspan copy tagged with its source cell."""
    grid: dict[tuple[int, int], tuple[tuple[int, int], str]] = {}
    for r, tr in enumerate(rows):
        c = 0
        for cell in (n for n in tr.iter() if n.tag in ("td", "th")):
            while (r, c) in grid:
                c += 1
            text = _cell_text(cell)
            attributes = cell.attributes  # selectolax builds this dict anew on every access
            # A span past the last row copies into rows that do not exist; clip it.
            rowspan = min(_span(attributes.get("rowspan")), len(rows) - r)
            colspan = _span(attributes.get("colspan"))
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = ((cell.mem_id, dr), text)
            c += colspan
            if len(grid) > _MAX_GRID_CELLS:
                raise UnreadableFile(f"an HTML table is too large to lay out (over "
                                     f"{_MAX_GRID_CELLS:,} cells once rowspan/colspan are expanded)")
    return grid


def table_rows(table: Node) -> list[str]:
    """The rows of a table with rowspan/colspan expanded, each as ' | '-joined cells."""
    # Compared by mem_id: Node equality compares serialised HTML, quadratic in nested tables.
    rows = [tr for tr in table.css("tr") if _nearest_table_id(tr) == table.mem_id]
    grid = _grid(rows)
    width: dict[int, int] = {}
    for r, c in grid:
        width[r] = max(width.get(r, 0), c + 1)
    lines = []
    for r in range(len(rows)):
        cells, previous = [], None
        for c in range(width.get(r, 0)):
            ident, text = grid.get((r, c), (None, ""))
            # A colspan copy repeats the same cell; a rowspan copy (a row-group label) is kept.
            if ident != previous and text:
                cells.append(text)
            previous = ident
        if cells:
            lines.append(CELL_SEPARATOR.join(cells))
    return lines


def _span(value: str | None) -> int:
    """A rowspan/colspan attribute's value, 1 when absent or not a number, at most 100."""
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1


def _nearest_table_id(node: Node) -> int | None:
    parent = node.parent
    while parent is not None and parent.tag != "table":
        parent = parent.parent
    return parent.mem_id if parent is not None else None


def _render(root: Node) -> str:
    """The text under `root`, block elements on lines of their own, tables as rows.

    Iterative, with an explicit stack: pages nest tags thousands deep (10,000 <div>s in
    hostile input), far past Python's recursion limit.
    """
    out: list[str] = []
    stack = [(root.iter(include_text=True), "")]
    while stack:
        children, closing = stack[-1]
        child = next(children, None)
        if child is None:
            stack.pop()
            out.append(closing)
        elif child.tag == "-text":
            out.append(child.text_content or "")
        elif child.tag == "table":
            out.append("\n" + "\n".join(table_rows(child)) + "\n")
        elif child.tag != "-comment":
            block = "\n" if child.tag in _BLOCK_TAGS else ""
            out.append(block)
            stack.append((child.iter(include_text=True), block))
    return "".join(out)


def html_text(markup: str) -> str:
    """The visible report text of an HTML page, and the report a script string holds."""
    tree = HTMLParser(markup)
    scripts = [node.text() for node in tree.css("script")]
    visible = _visible_text(tree)
    embedded = script_markup(scripts)
    if embedded and _lacks_report(visible):
        return (visible + "\n" + _visible_text(HTMLParser(embedded))).strip()
    return visible


def _lacks_report(text: str) -> bool:
    """The rendered page shows little of a report: no table 三 and little Chinese text."""
    return not _TABLE_MARKERS.search(text) or len(_CJK.findall(text)) < _FEW_WORDS


def _visible_text(tree: HTMLParser) -> str:
    """The text a browser would show, page furniture removed."""
    for node in tree.css(_DROP_TAGS):
        node.decompose()
    for node in tree.css("[class], [id]"):
        if node.tag not in ("body", "html") and _is_furniture(node):
            node.decompose()
    root = tree.body or tree.root
    if root is None:
        return ""
    text = _render(root)
    text = re.sub(r"[^\S\n]+", " ", text)  # every whitespace but newlines, so the next sub stays linear
    return re.sub(r"\s*\n\s*", "\n", text).strip()
