"""Rows the best reading of the panel left unparsed or cut short, taken from another reading of the same panel."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..model import Evidence, Panel, PanelRow, within_row
from ..textmatch import normalise
from .rows import closes_unopened_bracket

TRUSTED_ROW = 0.85
"""OCR confidence at which another reading's row is taken for a line the best reading garbled."""
SAME_NAME = 88.0
"""rapidfuzz ratio at which the line's first word and the row's are the same word."""
_PERCENT = re.compile(r"(\d{1,4})\s*%")
_WORD = re.compile(r"[a-z]{3,}")
CUT_NAME_LETTERS = 4
"""Fewest letters the name left of a row cut short must have to tell which whole row it is ("glycinate")."""


def _first_word(text: str) -> str | None:
    match = _WORD.search(normalise(text))
    return match.group(0) if match else None


def unparsed_lines(panel: Panel) -> list[Evidence]:
    """The panel's table lines that lie in no row's box on their page (or have no box)."""
    boxes = [(r.evidence.bbox, r.evidence.page) for r in panel.rows if r.evidence and r.evidence.bbox]
    return [line for line in panel.table_lines
            if not (line.bbox and any(page == line.page and within_row(line.bbox, box) for box, page in boxes))]


def _same_line(line: Evidence, row: PanelRow) -> bool:
    """Whether another reading's row is this garbled line: the same first word and, when the line shows a
    %DV, the same %DV."""
    first, name = _first_word(line.text), _first_word(row.name)
    if first is None or name is None or fuzz.ratio(first, name) < SAME_NAME:
        return False
    percents = [float(p) for p in _PERCENT.findall(line.text)]
    return not percents or row.dv_percent in percents


def _position(best: Panel, line: Evidence) -> int:
    """Where a row for the line goes among the best panel's rows: before the first row below it."""
    assert line.bbox is not None
    for index, row in enumerate(best.rows):
        box = row.evidence.bbox if row.evidence else None
        if row.evidence and row.evidence.page == line.page and box and box[1] > line.bbox[1]:
            return index
    return len(best.rows)


def fill_from_other_views(best: Panel, others: list[Panel]) -> None:
    """Give the best panel the rows another reading of the panel read well where the best one left only a
    garbled line ("Magnesium eS 32%" where a square-on view read "Magnesium 133 mg 32%"): the row with an amount,
    read with confidence (see TRUSTED_ROW), whose name is in none of the best panel's rows, and which is the
    only such row that matches the line (see `_same_line`). The row keeps its own evidence (its page, its box),
which stands for the line among the table's lines."""
    names = {normalise(row.name) for row in best.rows}
    for line in unparsed_lines(best):
        if line.bbox is None:
            continue
        candidates = [row for panel in others if panel.found for row in panel.rows
                      if row.quantity is not None and not row.blend and row.evidence is not None
                      and row.evidence.confidence >= TRUSTED_ROW and normalise(row.name) not in names
                      and _same_line(line, row)]
        if len({normalise(row.name) for row in candidates}) != 1:
            continue
        row = max(candidates, key=lambda r: r.evidence.confidence if r.evidence else 0.0)
        best.rows.insert(_position(best, line), row)
        best.table_lines[best.table_lines.index(line)] = row.evidence  # type: ignore[assignment]
        names.add(normalise(row.name))


def _same_amount(row: PanelRow, other: PanelRow) -> bool:
    q, o = row.quantity, other.quantity
    return (q is not None and o is not None and (q.amount, q.unit) == (o.amount, o.unit)
            and row.dv_percent == other.dv_percent)


def _lines_of(panel: Panel, row: PanelRow) -> list[Evidence]:
    """The panel's table lines that lie in the row's box on its page."""
    box = row.evidence.bbox if row.evidence else None
    if row.evidence is None or box is None:
        return []
    return [line for line in panel.table_lines
            if line.bbox and line.page == row.evidence.page and within_row(line.bbox, box)]


def mend_cut_rows(best: Panel, others: list[Panel]) -> None:
    """Give a row of the best panel whose start the OCR lost ("glycinate) 200 mg": it closes a bracket it never
    opened; "Magnesium (as magnesium" lost) the whole row another reading of the panel read with confidence (see
    TRUSTED_ROW): the same amount and %DV, brackets balanced, and the cut row's name among its words. Only when
    one such row (by name) is found; its evidence stands for the cut row's lines among the table's lines."""
    for index, row in enumerate(best.rows):
        cut = "".join(c for c in normalise(row.name) if c.isalpha() or c == " ").strip()
        if (row.quantity is None or row.blend or not closes_unopened_bracket(row.text)
                or sum(c.isalpha() for c in cut) < CUT_NAME_LETTERS):
            continue
        candidates = [other for panel in others if panel.found for other in panel.rows
                      if not other.blend and other.evidence is not None and other.evidence.confidence >= TRUSTED_ROW
                      and _same_amount(row, other) and not closes_unopened_bracket(other.text)
                      and cut in normalise(other.all_text)]
        if len({normalise(other.name) for other in candidates}) != 1:
            continue
        whole = max(candidates, key=lambda r: r.evidence.confidence if r.evidence else 0.0)
        lines = _lines_of(best, row)
        if lines and whole.evidence is not None:
            first = best.table_lines.index(lines[0])
            best.table_lines = [line for line in best.table_lines if line not in lines]
            best.table_lines.insert(first, whole.evidence)
        best.rows[index] = whole
