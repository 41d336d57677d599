"""Side-by-side ("tabular") panels: title and servings in a left column beside the rows table, split by x."""

from __future__ import annotations

import re

from ..model import Line, Word
from .layout import Anchor, find_anchors
from .vocabulary import vocabulary

MIN_GUTTER = 0.45
"""The narrowest gap between the columns, in text heights (a word space is about 0.3)."""
_RULE = re.compile(r"[|¦_—–=~!\[\]-]+")


def is_rule(word: Word) -> bool:
    """Whether a word is only a piece of a printed rule ("|", "_", "—") rather than text."""
    return bool(_RULE.fullmatch(word.text))


def _free_gaps(words: list[Word], min_width: float) -> list[tuple[float, float]]:
    """The x-intervals at least `min_width` wide that no word covers, between the leftmost and rightmost word."""
    spans = sorted((w.bbox[0], w.bbox[0] + w.bbox[2]) for w in words)
    gaps: list[tuple[float, float]] = []
    if not spans:
        return gaps
    reach = spans[0][1]
    for x0, x1 in spans[1:]:
        if x0 - reach >= min_width:
            gaps.append((reach, x0))
        reach = max(reach, x1)
    return gaps


def _left_anchors(rows: list[Line], title: Anchor | None, header_top: float, h: float) -> list[Word]:
    """Words of the head items (title, "Serving Size", "Servings Per …") printed beside the table header or below
    its top: the left column of a side-by-side panel. None in a standard panel, where they sit above the header."""
    vocab = vocabulary()
    anchors = find_anchors(rows, vocab.serving_size, 3) + find_anchors(rows, vocab.servings_per_container, 4)
    anchors += find_anchors(rows, ["servings per"], 2)
    found = [w for a in anchors for w in a.words if a.bbox[1] + a.bbox[3] / 2 >= header_top - 0.5 * h]
    if title is not None and title.bbox[1] + title.bbox[3] >= header_top + 0.5 * h:
        found += title.words
    return found


def side_anchors(lines: list[Line], headers: list[Anchor], h: float) -> list[Anchor]:
    """"Serving Size" / "Servings Per …" printed left of the table header, level with it or just below (a
    side-by-side panel whose title was not read): they widen the panel region to the left column."""
    if not headers:
        return []
    top = min(a.bbox[1] for a in headers)
    left = min((w.bbox[0] for a in headers for w in a.words if not is_rule(w)), default=headers[0].bbox[0])
    vocab = vocabulary()
    found = find_anchors(lines, vocab.serving_size, 3) + find_anchors(lines, ["servings per"], 2)
    return [a for a in found if top - h <= a.bbox[1] <= top + 10 * h and a.bbox[0] + a.bbox[2] < left - h]


def column_split(rows: list[Line], title: Anchor | None, headers: list[Anchor], h: float) -> float | None:
    """The x that separates a left head column from the rows table, or None for a standard (stacked) panel.

    The gutter is the first gap (wider than a word space) right of the left column's head words that
    no word crosses over the rows beside them, with every table header right of it.
    """
    if not headers:
        return None
    header_top = min(a.bbox[1] for a in headers)
    header_left = min((w.bbox[0] for a in headers for w in a.words if not is_rule(w)), default=headers[0].bbox[0])
    beside = [Line(ws) for r in rows if header_top - h <= r.words[0].bbox[1] <= header_top + 12 * h
              if (ws := [w for w in r.words if w.bbox[0] + w.bbox[2] < header_left])]
    left = _left_anchors(beside, title, header_top, h)
    if not left:
        return None
    left_edge = max(w.bbox[0] + w.bbox[2] for w in left)
    if left_edge >= header_left:
        return None
    bottom = max(w.bbox[1] + w.bbox[3] for w in left) + 0.5 * h
    band = [w for ln in rows for w in ln.words
            if header_top - 0.5 * h <= w.bbox[1] + w.bbox[3] / 2 <= bottom and not is_rule(w)]
    for x0, x1 in _free_gaps(band, MIN_GUTTER * h):
        if x0 >= left_edge - 1 and x1 <= header_left + h:
            return (x0 + x1) / 2
    return None


def split_rows(rows: list[Line], split: float, title: Anchor | None, header_top: float, h: float) -> list[Line]:
    """The rows of a side-by-side panel rearranged for the row walker: the title, the left column as one
    head line (its wrapped "Serving Size 2 / Tablets" read as one), then the table's rows, then whatever
    follows the panel (from the first row that a word crosses the gutter)."""
    title_words = list(title.words) if title else []
    head: list[Word] = []
    table: list[Line] = []
    rest: list[Line] = []
    for row in rows:
        if rest:
            rest.append(row)
            continue
        crossing = [w for w in row.words if w.bbox[0] < split - 0.25 * h < split + 0.25 * h < w.bbox[0] + w.bbox[2]
                    and not is_rule(w)]
        if crossing and row.words[0].bbox[1] > header_top:
            rest.append(row)
            continue
        right = [w for w in row.words if w.bbox[0] + w.bbox[2] / 2 >= split and not is_rule(w)]
        head += [w for w in row.words if w.bbox[0] + w.bbox[2] / 2 < split and w not in title_words and not is_rule(w)]
        if right:
            table.append(Line(right))
    out = [Line(title_words)] if title_words else []
    if head:
        out.append(Line(head))
    return out + table + rest
