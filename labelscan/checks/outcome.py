"""What a check function returns, and the thresholds that decide when evidence is strong enough."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from pydantic import BaseModel
from rapidfuzz import fuzz

from ..model import BBox, Evidence, Label, PanelRow, Status
from ..textmatch import normalise

MIN_CONFIDENCE_FOR_ABSENCE = 0.60
"""A check may conclude that something is absent (and pass or fail on that) only when the text
it looked in was read with at least this mean OCR confidence; below it the answer is 'unknown'."""


@dataclass
class Outcome:
    """A check's status, its plain-words message, the evidence and any value it read."""

    status: Status
    message: str
    evidence: list[Evidence] = field(default_factory=list)
    value: dict[str, Any] | None = None


CheckFunction = Callable[[Label, Any], Outcome]


@dataclass(frozen=True)
class CheckKind:
    """A kind of check: its parameter model (validated from the pack) and its function."""

    params: type[BaseModel]
    run: CheckFunction
    summary: str


def row_evidence(row: PanelRow) -> Evidence:
    """The evidence of a panel row (its text and box), or its name when it has no box."""
    return row.evidence or Evidence(row.name)


def panel_missing(label: Label) -> Outcome | None:
    """'unknown' when there is no Supplement Facts panel (or none of its rows) to look in; None when there is."""
    if not label.panel.found:
        return Outcome("unknown", "The Supplement Facts panel could not be found or read, so this cannot be checked.")
    if not any(row.quantity is not None for row in label.panel.rows):
        return Outcome("unknown", "The Supplement Facts panel was found but its rows could not be read, so this cannot be checked.")
    return None


def panel_reliable(label: Label) -> bool:
    """Whether the panel was read well enough to conclude that something is NOT on it: found, with rows
    that carry amounts, and a mean OCR confidence above the threshold."""
    return (label.panel.found and any(row.quantity is not None for row in label.panel.rows)
            and label.panel.confidence >= MIN_CONFIDENCE_FOR_ABSENCE)


MIN_ROW_CONFIDENCE = 0.80
"""A row that bears on a check (the evidence of an absence) must be read at least this well for a 'fail'."""


def absent(label: Label, message: str, evidence: list[Evidence] | None = None) -> Outcome:
    """A 'fail' for something missing from the panel, or 'unknown' when the panel — or a row that bears on
    the question — was read too poorly to be sure."""
    doubtful = [e for e in evidence or [] if e.confidence < MIN_ROW_CONFIDENCE]
    if panel_reliable(label) and not doubtful:
        return Outcome("fail", message, evidence or [])
    if doubtful:
        pct = round(doubtful[0].confidence * 100)
        return Outcome(
            "unknown",
            f"{message.rstrip('.')}, but the row \"{doubtful[0].text}\" was read with low "
            f"confidence ({pct}%) and may say otherwise.",
            evidence or [],
        )
    pct = round(label.panel.confidence * 100)
    return Outcome(
        "unknown",
        f"{message.rstrip('.')}, but the panel was read with low confidence ({pct}%), so it may have been missed.",
        evidence or [],
    )


def _overlaps(a: BBox, b: BBox) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def unparsed_table_lines(label: Label) -> list[Evidence]:
    """Lines of the rows table that did not become (part of) a row: OCR lost their amount or split their
    name, so what they say is not in the rows."""
    boxes = [r.evidence.bbox for r in label.panel.rows if r.evidence is not None and r.evidence.bbox]
    components = {t for r in label.panel.rows for c in r.components for t in normalise(c).split()}
    return [line for line in label.panel.table_lines
            if not (line.bbox and any(_overlaps(line.bbox, box) for box in boxes))
            and not _listed_as_components(line.text, components)]


def _listed_as_components(text: str, components: set[str]) -> bool:
    """Whether a line is (mostly) a blend's component list, which rows keep as components, not as rows."""
    tokens = [t for t in normalise(text).split() if t.isalpha()]
    return bool(tokens) and sum(t in components for t in tokens) >= COMPONENT_SHARE * len(tokens)


LOST_WORD_MATCH = 85.0
COMPONENT_SHARE = 0.6


def lost_lines_mentioning(label: Label, words: list[str]) -> list[Evidence]:
    """The unparsed table lines with one of `words` (fuzzily, word by word): a row about them may be lost."""
    targets = {t for w in words for t in normalise(w).split() if len(t) >= 5}
    return [line for line in unparsed_table_lines(label)
            if any(fuzz.ratio(token, target) >= LOST_WORD_MATCH for token in normalise(line.text).split()
                   for target in targets)]


def lost_row(line: Evidence, what: str) -> Outcome:
    """'unknown': a table line that may hold what the check looks for could not be read as a row."""
    return Outcome("unknown", f"The panel line \"{line.text}\" could not be read as a row, and it may {what}; "
                   "check the label by eye.", [line])
