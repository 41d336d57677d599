"""Proprietary blends: which rows are blends and which ingredients are their components."""

from __future__ import annotations

from rapidfuzz.distance import Levenshtein

from ..model import PanelRow
from ..textmatch import normalise
from .rows import RowReading, split_items
from .vocabulary import vocabulary


def has_blend_keyword(text: str) -> bool:
    """Whether `text` has a blend word ("Blend", "Complex", "Matrix", "Formula", "Proprietary").

    OCR-tolerant by one letter on words of five letters or more ("Biend", "Matrlx"), never more,
    so "Complete" or "Formulated" are not blend words; a word OCR ran together with the one before it
    ("MindFormula") ends in the blend word.
    """
    for word in normalise(text).split():
        for keyword in vocabulary().blend_keywords:
            if word == keyword or (len(word) >= 5 and len(keyword) >= 5 and Levenshtein.distance(word, keyword) <= 1):
                return True
            if len(keyword) >= 5 and len(word) >= len(keyword) + 3 and word.endswith(keyword):
                return True
    return False


def make_row(reading: RowReading) -> PanelRow:
    """A PanelRow from a reading: a named blend takes its parentheses/colon list as components, others as forms."""
    row = PanelRow(name=reading.name, quantity=reading.quantity, dv_percent=reading.dv, dagger=reading.dagger,
                   forms=list(reading.forms))
    inside = [item for group in reading.parens for item in split_items(group)]
    if reading.quantity is not None and has_blend_keyword(reading.name):
        row.blend = True
        row.components = inside + list(reading.colon_items)
    else:
        row.forms.extend(inside)
        if reading.colon_items and reading.quantity is not None and has_blend_keyword(" ".join(reading.forms)):
            row.blend = True
            row.components = list(reading.colon_items)
    return row


def can_take_components(row: PanelRow) -> bool:
    """Whether ingredients without amounts listed under `row` belong to it as a blend.

    A blend name qualifies; so does a row with one total weight whose forms carry a blend word
    (e.g. "(as Formula X™)") — but only once components actually follow.
    """
    if row.quantity is None:
        return False
    return row.blend or has_blend_keyword(" ".join(row.forms))


def add_components(row: PanelRow, items: list[str]) -> None:
    """Attach ingredients listed without amounts to `row`, which becomes a blend."""
    if items:
        row.blend = True
        row.components.extend(items)
