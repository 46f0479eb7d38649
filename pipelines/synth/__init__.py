"""Synthetic 年报 corpus with ground truth: `generate(n, out, seed)` writes reports and their labels.

Output layout (under `out`): `reports/NNNNN.{txt,html,docx}`, `labels.csv` (the dev-label form, file
paths relative to `out`), `contradictions.csv` (deliberately broken balance rules) and
`manifest.csv` (how each file was made). Report i draws only from its own `random.Random`
seeded by (seed, i), so the output is byte-identical for a seed and any prefix of N is stable.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from . import truth
from .plan import ReportPlan, plan_report
from .render_docx import render_docx
from .render_html import render_html
from .render_text import render_text
from .report import BuiltReport, build_report

__all__ = ["SynthSummary", "generate"]


@dataclass
class SynthSummary:
    """What a run wrote: counts by template, level and format, and how long it took."""

    out: Path
    reports: int = 0
    labels: int = 0
    contradictions: int = 0
    templates: Counter = field(default_factory=Counter)
    levels: Counter = field(default_factory=Counter)
    formats: Counter = field(default_factory=Counter)
    seconds: float = 0.0


def generate(n: int, out: Path, seed: int = 0, contradiction_share: float = 0.1) -> SynthSummary:
    """Write `n` reports with their ground truth under `out`; deterministic for `seed`."""
    started = time.perf_counter()
    out = Path(out)
    (out / "reports").mkdir(parents=True, exist_ok=True)
    summary = SynthSummary(out)
    labels, contradictions, manifest = [], [], []
    for index in range(n):
        rng = random.Random(f"nianbao-synth:{seed}:{index}")
        plan = plan_report(rng, index, contradiction_share)
        built = build_report(rng, plan)
        data, encoding = _render(built, plan)
        (out / plan.file).write_bytes(data)
        labels += truth.label_rows(plan, built.stated)
        contradictions += [{"file": plan.file, "rule": rule, "detail": detail}
                           for rule, detail in built.contradictions]
        manifest.append(truth.manifest_row(plan, encoding, bool(built.contradictions)))
        summary.templates[plan.template] += 1
        summary.levels[plan.body.level] += 1
        summary.formats[plan.format] += 1
    truth.write_csv(out / "labels.csv", truth.LABEL_FIELDS, labels)
    truth.write_csv(out / "contradictions.csv", truth.CONTRADICTION_FIELDS, contradictions)
    truth.write_csv(out / "manifest.csv", truth.MANIFEST_FIELDS, manifest)
    summary.reports = n
    summary.labels = sum(1 for row in labels if row["metric"])
    summary.contradictions = len({row["file"] for row in contradictions})
    summary.seconds = time.perf_counter() - started
    return summary


def _render(built: BuiltReport, plan: ReportPlan) -> tuple[bytes, str]:
    """The file's bytes and the text encoding they are in."""
    if plan.format == "docx":
        return render_docx(built.document, plan.publication_date), "utf-8"
    if plan.format == "html":
        return render_html(built.document).encode("utf-8"), "utf-8"
    text = render_text(built.document, plan.table_style)
    if plan.encoding == "gbk":
        try:
            return text.encode("gbk"), "gbk"
        except UnicodeEncodeError:  # a rare region character outside GBK: keep the file, in UTF-8
            pass
    return text.encode("utf-8"), "utf-8"
