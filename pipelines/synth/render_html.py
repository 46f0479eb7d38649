"""HTML pages as government portals publish them: a page shell, paragraphs and bordered tables."""

from __future__ import annotations

from html import escape

from .document import Block, Document


def render_html(document: Document) -> str:
    """The report as a UTF-8 HTML page with real <table> markup (rowspan/colspan kept)."""
    title = escape(document.blocks[0].text)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8">',
        f"<title>{title}</title></head>",
        '<body><div class="nav">首页 &gt; 政府信息公开 &gt; 政府信息公开年报</div>',
        '<div class="article">',
    ]
    for block in document.blocks:
        if block.kind == "title":
            parts.append(f"<h1>{escape(block.text)}</h1>")
        elif block.kind == "heading":
            parts.append(f"<p><strong>{escape(block.text)}</strong></p>")
        elif block.kind == "para":
            parts.append(f'<p style="text-indent:2em">{escape(block.text)}</p>')
        else:
            parts.append(_table(block))
    parts.append("</div></body></html>")
    return "\n".join(parts) + "\n"


def _table(block: Block) -> str:
    rows = []
    for row in block.rows:
        cells = []
        for cell in row:
            spans = (f' rowspan="{cell.rowspan}"' if cell.rowspan > 1 else "") + (
                f' colspan="{cell.colspan}"' if cell.colspan > 1 else "")
            cells.append(f"<td{spans}>{escape(cell.text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return '<table border="1" cellspacing="0" cellpadding="2">\n' + "\n".join(rows) + "\n</table>"
