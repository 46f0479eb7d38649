"""Tables 二, 三 and 四 of the 2019 and 2021 templates as cells, and the metrics they state.

Table 三 metrics follow METRICS.md: a category is the sum of its sub-rows, processed_total is the
(七)总计 row, applicant_natural_person the 自然人 cell of row 一; litigation adds both blocks.
"""

from __future__ import annotations

import random

from . import numerals, vocab
from .document import Cell
from .values import TableFacts


def application_table(facts: TableFacts, template: str) -> list[list[Cell]]:
    """Table 三 with its three header rows and the 三、本年度办理结果 group spanning its rows."""
    legal = vocab.APPLICANT_COLUMNS[1:6]
    rows = [
        [Cell(vocab.BALANCE_NOTE, rowspan=3, colspan=3), Cell("申请人情况", colspan=7)],
        [Cell("自然人", rowspan=2), Cell("法人或其他组织", colspan=5), Cell("总计", rowspan=2)],
        [Cell(name) for name in legal],
    ]
    spec = vocab.APPLICATION_ROWS[template]
    group_height = sum(max(1, len(subs)) for _, _, subs, grouped in spec if grouped)
    group_open = False
    for key, label, subs, grouped in spec:
        for i, numbers in enumerate(facts.rows[key]):
            cells = [Cell(str(v)) for v in numbers]
            lead: list[Cell] = []
            if grouped and not group_open:
                lead.append(Cell(vocab.OUTCOME_GROUP, rowspan=group_height))
                group_open = True
            if not grouped:
                lead.append(Cell(label, colspan=3))
            elif not subs:
                lead.append(Cell(label, colspan=2))
            else:
                lead += ([Cell(label, rowspan=len(subs))] if i == 0 else []) + [Cell(subs[i])]
            rows.append(lead + cells)
    return rows


def review_table(review: list[int]) -> list[list[Cell]]:
    """Table 四: 行政复议 and the two 行政诉讼 blocks, 15 figures in one row."""
    return [
        [Cell(vocab.REVIEW_BLOCKS[0], colspan=5), Cell("行政诉讼", colspan=10)],
        [Cell(p, rowspan=2) for p in vocab.REVIEW_PARTS]
        + [Cell(vocab.REVIEW_BLOCKS[1], colspan=5), Cell(vocab.REVIEW_BLOCKS[2], colspan=5)],
        [Cell(p) for p in vocab.REVIEW_PARTS] * 2,
        [Cell(str(v)) for v in review],
    ]


def section_two_table(figures: dict, template: str, rng: random.Random) -> list[list[Cell]]:
    """Table 二: each 第二十条 block as a title row, a header row and its data rows, four columns wide."""
    rows: list[list[Cell]] = []
    for title, headers, block_rows in vocab.SECTION_TWO[template]:
        rows.append([Cell(title, colspan=4)])
        rows.append(_padded([Cell(h) for h in headers]))
        for label, _ in block_rows:
            texts = [_cell_text(headers[i + 1], v, rng) for i, v in enumerate(figures[label])]
            rows.append(_padded([Cell(label)] + [Cell(t) for t in texts]))
    return rows


def _padded(cells: list[Cell]) -> list[Cell]:
    """Widen the last cell so every row of table 二 spans four columns."""
    last = cells[-1]
    return cells[:-1] + [Cell(last.text, colspan=5 - len(cells))]


def _cell_text(header: str, value: float, rng: random.Random) -> str:
    if "增/减" in header:
        return numerals.signed_change(int(value), rng)
    if "采购总金额" in header:
        return numerals.money_wan(value, rng)
    return numerals.plain(value)


def stated_metrics(facts: TableFacts, template: str, whole: bool) -> dict[str, float]:
    """The canonical metrics tables 三 and 四 (and, for the whole scope, table 二) state."""
    rows = facts.rows
    metrics: dict[str, float] = {
        key: sum(r[6] for r in rows[key]) for key, *_ in vocab.APPLICATION_ROWS[template]
    }
    metrics["applicant_natural_person"] = rows["applications_new"][0][0]
    blocks = [facts.review[i * 5:(i + 1) * 5] for i in range(3)]
    for j, suffix in enumerate(vocab.REVIEW_SUFFIXES):
        metrics[f"reconsideration_{suffix}"] = blocks[0][j]
        metrics[f"litigation_{suffix}"] = blocks[1][j] + blocks[2][j]
    metrics.update(facts.extra)
    if whole:
        for _, _, block_rows in vocab.SECTION_TWO[template]:
            for label, metric in block_rows:
                if metric:
                    metrics[metric] = facts.section_two[label][-1]
        if "政府集中采购" in facts.section_two:
            count, amount = facts.section_two["政府集中采购"]
            metrics.update(procurement_count=count, procurement_amount_wan_yuan=amount)
    return metrics


def perturb_targets() -> dict:
    """Table figures a contradiction may alter: (getter, setter) over a scope's `TableFacts`."""
    def row_total(key):
        def get(f):
            return f.rows[key][0][6]

        def put(f, v):
            f.rows[key][0][6] = int(v)
        return get, put

    def review_cell(index):
        def get(f):
            return f.review[index]

        def put(f, v):
            f.review[index] = int(v)
        return get, put

    return {
        "（七）总计": row_total("processed_total"),
        "四、结转下年度继续办理": row_total("carried_forward"),
        "行政复议总计": review_cell(4),
        "未经复议直接起诉总计": review_cell(9),
    }
