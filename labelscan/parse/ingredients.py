"""The "Other ingredients: …" list, possibly continued over the following lines."""

from __future__ import annotations

import re

from ..model import Evidence, Line, Word
from .layout import evidence_of, gap_before
from .rows import split_items
from .vocabulary import starts_with_phrase, vocabulary

BLANK_GAP = 0.8
"""A vertical gap of this many text heights between rows ends the list (a blank line)."""


def _after_heading(words: list[Word], n: int) -> str:
    """The text of `words` after the heading's `n` words (and a colon)."""
    head = " ".join(w.text for w in words[:n])
    rest = " ".join(w.text for w in words[n:])
    if ":" in head:
        rest = head.split(":", 1)[1] + " " + rest
    return rest.strip().lstrip(":").strip()


def _labelled(line: Line) -> bool:
    """Whether a line starts a new "Heading: …" section (a colon within its first three words)."""
    return any(w.text.endswith(":") or ":" in w.text[:-1] for w in line.words[:3])


def _join(parts: list[str]) -> str:
    text = ""
    for part in parts:
        if text.endswith("-") and part[:1].islower():
            text = text[:-1] + part
        else:
            text = f"{text} {part}".strip()
    return text


def find_other_ingredients(lines: list[Line]) -> tuple[list[str], Evidence | None]:
    """The other ingredients listed after an "Other ingredients" heading in `lines`, with their evidence."""
    vocab = vocabulary()
    for i, line in enumerate(lines):
        heading = starts_with_phrase(line.text, vocab.other_ingredients_headings, 85.0)
        if heading is None:
            continue
        parts = [_after_heading(line.words, heading[1])]
        words = list(line.words)
        prev = line
        for nxt in lines[i + 1:]:
            if parts[-1].rstrip().endswith(".") or gap_before(prev, nxt) > BLANK_GAP:
                break
            if starts_with_phrase(nxt.text, vocab.section_headings, 88.0) or _labelled(nxt):
                break
            if starts_with_phrase(nxt.text, vocab.directions_verbs, 100.0) or starts_with_phrase(nxt.text, ["adults"], 90.0):
                break
            parts.append(nxt.text)
            words.extend(nxt.words)
            prev = nxt
        text = re.sub(r"\s+", " ", _join([p for p in parts if p]))
        return split_items(text), evidence_of(words)
    return [], None
