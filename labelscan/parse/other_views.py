"""Rows the best reading of the panel left as bare table lines, taken from another reading of the same panel."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..model import Evidence, Panel, PanelRow, within_row
from ..textmatch import normalise

TRUSTED_ROW = 0.85
"""OCR confidence at which another reading's row is taken for a line the best reading garbled."""
SAME_NAME = 88.0
"""rapidfuzz ratio at which the line's first word and the row's are the same word."""
_PERCENT = re.compile(r"(\d{1,4})\s*%")
_WORD = re.compile(r"[a-z]{3,}")


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
