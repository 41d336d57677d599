"""The panel's head lines: "Serving Size 3 Capsules" and "Servings Per Container About 30"."""

from __future__ import annotations

import re

from ..model import Evidence, Line, Word
from ..textmatch import normalise
from .layout import evidence_of, find_anchors
from .quantities import parse_number
from .rows import clean_text
from .vocabulary import vocabulary

MAX_SERVINGS = 10_000


def _after(words: list[Word], anchor_words: list[Word]) -> list[Word]:
    last = max(words.index(w) for w in anchor_words)
    return words[last + 1:]


def read_serving_size(row: Line) -> tuple[str, Evidence | None] | None:
    """The serving size printed on `row` ("3 Capsules", "1 Scoop (5 g)"), with its evidence."""
    anchors = find_anchors([row], vocabulary().serving_size, 3)
    if not anchors:
        return None
    anchor = anchors[0]
    value: list[Word] = []
    stop = find_anchors([row], vocabulary().servings_per_container, 4)
    stop_words = stop[0].words if stop else []
    for word in _after(row.words, anchor.words):
        if word in stop_words:
            break
        value.append(word)
    # The label words may end with the colon or carry the value glued on ("Size:3").
    text = clean_text(" ".join(w.text for w in value)).lstrip(":").strip()
    glued = _glued_value(anchor.words[-1].text)
    if glued:
        text = f"{glued} {text}".strip()
    if not text:
        return None
    return text, evidence_of(anchor.words + value)


def read_servings_per_container(row: Line) -> tuple[int, Evidence | None] | None:
    """The servings per container printed on `row` (an integer; "About 30" gives 30), with its evidence."""
    vocab = vocabulary()
    anchors = find_anchors([row], vocab.servings_per_container, 4)
    if not anchors:
        return None
    anchor = anchors[0]
    used: list[Word] = []
    for word in _after(row.words, anchor.words):
        token = normalise(word.text)
        if not token or token in vocab.servings_qualifiers:
            used.append(word)
            continue
        number = _count(word.text)
        if number is not None:
            return number, evidence_of(anchor.words + used + [word])
        break
    glued = _glued_value(anchor.words[-1].text)
    if glued and _count(glued) is not None:
        return _count(glued), evidence_of(anchor.words)
    before = row.words[:row.words.index(anchor.words[0])]
    if before:
        number = _count(before[-1].text)
        if number is not None:
            return number, evidence_of([before[-1]] + anchor.words)
    return None


def _glued_value(word: str) -> str:
    """A value glued to the label's last word: "Size:3" → "3", "Size1" → "1", "Container30" → "30"."""
    if ":" in word:
        return word.split(":", 1)[1].strip()
    match = re.fullmatch(r"[A-Za-z]{3,}[.]?(\d[\d,.]*)", word)
    return match.group(1) if match else ""


def _count(text: str) -> int | None:
    token = re.sub(r"[^0-9OoIl,.]", "", text).strip(",.")
    if not token or not any(c.isdigit() for c in token):
        return None
    value = parse_number(token)
    if value is None or value <= 0 or value > MAX_SERVINGS or not float(value).is_integer():
        return None
    return int(value)
