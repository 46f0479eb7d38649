"""Report HTML that a page keeps inside a JavaScript string, with its quotes escaped.

Some portals ship the report as a string in a <script> (var content = "<table class=\\"..\\">…")
and render it in the browser. The string literals are decoded as JSON strings (\\" \\/ \\n \\uXXXX)
and those that hold markup about disclosure are handed back to the HTML reader.
"""

from __future__ import annotations

import json
import re

# A quoted literal long enough to hold a report; the repeat cannot backtrack (one way to match).
_LITERAL = re.compile(r'"((?:[^"\\\n]|\\.){200,})"|\'((?:[^\'\\\n]|\\.){200,})\'')
_MARKUP = re.compile(r"<\s*(?:table|tr|td|p|div|span|br)\b", re.I)
_ABOUT_DISCLOSURE = re.compile(r"信息公开|\\u4fe1\\u606f\\u516c\\u5f00", re.I)


def _decoded(literal: str, single_quoted: bool) -> str | None:
    if single_quoted:
        literal = literal.replace("\\'", "'").replace('"', '\\"')
    try:
        return json.loads(f'"{literal}"')
    except ValueError:
        return None


def script_markup(scripts: list[str]) -> str:
    """The report markup found in script strings, joined; empty when there is none."""
    found = []
    for script in scripts:
        if not _ABOUT_DISCLOSURE.search(script):
            continue
        for match in _LITERAL.finditer(script):
            text = _decoded(match[1] or match[2], match[1] is None)
            if text and _MARKUP.search(text) and "信息公开" in text:
                found.append(text)
    return "\n".join(found)
