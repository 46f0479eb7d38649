"""HTML to text with selectolax: page furniture dropped, tables kept as expanded grids."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser as HTMLParser
from selectolax.lexbor import LexborNode as Node

from .readers import CELL_SEPARATOR

_DROP_TAGS = "script, style, noscript, iframe, nav, header, footer, aside, form, select, button"
# Class/id words of navigation bars, breadcrumbs, share widgets and footers on government sites.
_FURNITURE = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|menu|footer|foot|breadcrumb|crumb|share|sidebar|toolbar|topbar"
    r"|banner|copyright|friendlink|links|weather|login|search)(?:$|[-_\s\d])",
    re.I,
)
_BLOCK_TAGS = {
    "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "section", "article",
    "ul", "ol", "dl", "dt", "dd", "pre", "blockquote", "center", "hr", "title", "main",
}


def _is_furniture(node: Node) -> bool:
    attrs = node.attributes
    marker = f"{attrs.get('class') or ''} {attrs.get('id') or ''}"
    return bool(marker.strip()) and bool(_FURNITURE.search(marker))


def _cell_text(node: Node) -> str:
    return re.sub(r"\s+", " ", node.text(separator=" ")).strip()


def table_rows(table: Node) -> list[str]:
    """The rows of a table with rowspan/colspan expanded, each as ' | '-joined cells."""
    grid: dict[tuple[int, int], tuple[tuple[int, int], str]] = {}
    rows = [tr for tr in table.css("tr") if _nearest_table(tr) == table]
    for r, tr in enumerate(rows):
        c = 0
        for cell in (n for n in tr.iter() if n.tag in ("td", "th")):
            while (r, c) in grid:
                c += 1
            text = _cell_text(cell)
            rowspan = _span(cell, "rowspan")
            colspan = _span(cell, "colspan")
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = ((cell.mem_id, dr), text)
            c += colspan
    lines = []
    for r in range(len(rows)):
        cells, previous = [], None
        for c in range(max((k[1] for k in grid if k[0] == r), default=-1) + 1):
            ident, text = grid.get((r, c), (None, ""))
            # A colspan copy repeats the same cell; a rowspan copy (a row-group label) is kept.
            if ident != previous and text:
                cells.append(text)
            previous = ident
        if cells:
            lines.append(CELL_SEPARATOR.join(cells))
    return lines


def _span(cell: Node, attr: str) -> int:
    try:
        return max(1, min(int(cell.attributes.get(attr) or 1), 100))
    except ValueError:
        return 1


def _nearest_table(node: Node) -> Node | None:
    parent = node.parent
    while parent is not None and parent.tag != "table":
        parent = parent.parent
    return parent


def _render(node: Node, out: list[str]) -> None:
    for child in node.iter(include_text=True):
        tag = child.tag
        if tag == "-text":
            out.append(child.text_content or "")
        elif tag == "table":
            out.append("\n" + "\n".join(table_rows(child)) + "\n")
        elif tag in _BLOCK_TAGS:
            out.append("\n")
            _render(child, out)
            out.append("\n")
        elif tag not in ("-comment",):
            _render(child, out)


def html_text(markup: str) -> str:
    """The visible report text of an HTML page."""
    tree = HTMLParser(markup)
    for node in tree.css(_DROP_TAGS):
        node.decompose()
    for node in tree.css("[class], [id]"):
        if node.tag not in ("body", "html") and _is_furniture(node):
            node.decompose()
    root = tree.body or tree.root
    if root is None:
        return ""
    out: list[str] = []
    _render(root, out)
    text = "".join(out)
    text = re.sub(r"[ \t\r\f\v]+", " ", text)
    return re.sub(r"\s*\n\s*", "\n", text).strip()
