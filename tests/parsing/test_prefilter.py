"""The literal pre-check never drops a paragraph a rule would match."""

from __future__ import annotations

import re

from pipelines.parsing import phrases
from pipelines.parsing.narrative import reflow
from pipelines.parsing.prefilter import all_literals, literals_in, may_match, required_literals
from pipelines.parsing.textnorm import normalise

from .helpers import FIXTURES


def test_required_literals_of_alternatives_and_optional_parts():
    assert required_literals(r"(?:同意)?部分公开") == ("部分公开",)
    assert set(required_literals(r"不同意公开|不予公开")) == {"同意公开", "予公开"}
    assert required_literals(r"[件份]?\d+") is None, "no literal is certain: always run"


def test_prefilter_is_sound_on_the_fixtures():
    patterns = [rule.pattern for rule in phrases.RULES]
    patterns += [pattern for _, pattern in phrases.OUTCOMES]
    requirements = [required_literals(pattern) for pattern in patterns]
    wanted = all_literals(requirements)
    for path in FIXTURES.glob("*.txt"):
        raw = path.read_bytes().decode("utf-8", errors="ignore")
        for paragraph in reflow(normalise(raw)):
            present = literals_in(paragraph, wanted)
            for pattern, required in zip(patterns, requirements, strict=True):
                if re.search(pattern, paragraph):
                    assert may_match(required, present), (pattern.pattern, paragraph)
