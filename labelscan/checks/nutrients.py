"""Shared by the consistency and basics kinds: Daily Value tables, nutrient-row matching, label-wide absence."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz

from ..model import Evidence, Label, Line, PanelRow
from ..textmatch import contains_any, normalise
from .outcome import MIN_CONFIDENCE_FOR_ABSENCE, Outcome, label_glare, out_of_view, under_glare, whole_bottle_label

_PREFIXES = ("elemental ", "total ")


class DailyValue(BaseModel):
    """A nutrient's Daily Value(s) as a pack gives them: the current one first, older ones accepted too."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    amounts: list[float] = Field(min_length=1)
    unit: Literal["mg", "mcg", "g"]
    aliases: list[str] = Field(default_factory=list)
    iu_per_unit: float | None = Field(default=None, alias="iu-per-unit")
    """For vitamins also printed in IU: IU per `unit` (vitamin D: 40 IU per mcg)."""

    def per_amount(self, amount: float, unit: str) -> float | None:
        """The amount expressed in this DV's unit, or None when it cannot be converted."""
        if unit == "IU":
            return amount / self.iu_per_unit if self.iu_per_unit else None
        factor = {"mg": 1.0, "mcg": 0.001, "g": 1000.0}
        if unit not in factor:
            return None
        return amount * factor[unit] / factor[self.unit]


def _bare_name(name: str) -> str:
    text = normalise(name)
    for prefix in _PREFIXES:
        text = text.removeprefix(prefix)
    return text.removesuffix(" elemental")


def names_nutrient(row_name: str, nutrient: str, aliases: list[str] | None = None) -> bool:
    """Whether a row's name is the nutrient itself ("Magnesium", "Elemental Magnesium", "Vitamin D3" as an alias),
    not a compound of it ("Magnesium L-Threonate"). A single long word may differ by OCR noise."""
    name = _bare_name(row_name)
    for wanted in [nutrient, *(aliases or [])]:
        target = normalise(wanted)
        if name == target:
            return True
        if " " not in name and " " not in target and len(target) >= 7 and fuzz.ratio(name, target) >= 90:
            return True
    return False


def nutrient_of(row: PanelRow, table: dict[str, DailyValue]) -> str | None:
    """The table's nutrient this (non-blend) row declares, or None."""
    if row.blend:
        return None
    return next((n for n, dv in table.items() if names_nutrient(row.name, n, dv.aliases)), None)


def row_mentions(row: PanelRow, names: list[str], threshold: float = 85.0) -> bool:
    """Whether the row's name, forms or components name one of `names`."""
    text = " ; ".join([row.name, *row.forms, *row.components])
    return contains_any(text, names, threshold) is not None


def row_low_confidence(row: PanelRow) -> bool:
    return row.evidence is not None and row.evidence.confidence < MIN_CONFIDENCE_FOR_ABSENCE


def line_evidence(page: int, line: Line) -> Evidence:
    return Evidence(line.text, line.bbox, line.confidence, page)


def label_reliable(label: Label) -> bool:
    """Whether the whole label was read well enough to conclude that some text is NOT on it."""
    return bool(label.pages) and label.mean_confidence >= MIN_CONFIDENCE_FOR_ABSENCE


def absent_from_label(label: Label, message: str, evidence: list[Evidence] | None = None) -> Outcome:
    """A 'fail' for text missing from the whole label, or 'unknown' when the label was read too poorly to be sure,
    glare washes out part of it, or it wraps round a bottle whose far side the photo does not show."""
    if glare := label_glare(label):
        return under_glare(message, glare, "the label", evidence)
    if label.partly_in_view:
        return out_of_view(message, evidence)
    if label_reliable(label):
        return Outcome("fail", message + whole_bottle_label(label), evidence or [])
    pct = round(label.mean_confidence * 100)
    return Outcome("unknown", f"{message.rstrip('.')}, but the label was read with low confidence ({pct}%), "
                   "so it may have been missed.", evidence or [])


def mg(value: float) -> str:
    """1500.0 -> "1,500", 7.25 -> "7.25"."""
    return f"{value:,.0f}" if abs(value) >= 100 or float(value).is_integer() else f"{value:,.3g}"
