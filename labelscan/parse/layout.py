"""Page geometry: find the panel's anchors (title, column headers), its region, and rebuild visual rows."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from rapidfuzz import fuzz

from ..model import SAME_LINE, BBox, Evidence, Line, OcrPage, Word, shared_height, union_bbox
from ..textmatch import normalise
from .quantities import find_quantities
from .rows import PERCENT_ONLY, is_dagger_token
from .vocabulary import contains_phrase, vocabulary

ANCHOR_THRESHOLD = 85.0


@dataclass
class Anchor:
    """Words of one tesseract line that match a phrase (the title, a column header)."""

    words: list[Word]
    line: Line
    score: float

    @property
    def bbox(self) -> BBox:
        return union_bbox([w.bbox for w in self.words]) or (0, 0, 0, 0)


def evidence_of(words: list[Word]) -> Evidence | None:
    """Evidence for a run of words: their text, union box and mean confidence."""
    if not words:
        return None
    text = " ".join(w.text for w in words)
    # leaders ("—___", "....") and a table rule read as "|" are not text: neither its confidence nor its box
    read = [w for w in words if any(c.isalnum() for c in w.text)] or words
    # nor is a dagger read as a letter after the amount ("1,500 mg t" at 23 %): a mark, its shape guessed at
    if len(read) > 2 and _dagger_after_amount(read):
        read = read[:-1]
    conf = sum(w.confidence for w in read) / len(read)
    return Evidence(text=text, bbox=union_bbox([w.bbox for w in read]), confidence=conf)


def _dagger_after_amount(words: list[Word]) -> bool:
    """Whether the last word is the dagger † as OCR reads it ("t", "+"), not a digit, after a number."""
    last = words[-1].text
    return (is_dagger_token(last) and not any(c.isdigit() for c in last)
            and any(c.isdigit() for w in words[:-1] for c in w.text))


_LOW = (100 - ANCHOR_THRESHOLD) / (100 + ANCHOR_THRESHOLD)
"""fuzz.ratio(a, b) >= ANCHOR_THRESHOLD needs |len a - len b| <= _LOW * (len a + len b)."""


@lru_cache(maxsize=8192)
def _normalise_word(text: str) -> str:
    return normalise(text)


def _reachable(a: int, b: int) -> bool:
    return abs(a - b) <= _LOW * (a + b)


def _window_score(words: list[Word], phrase: str) -> float:
    joined = normalise(" ".join(w.text for w in words))
    if not joined:
        return 0.0
    return max(fuzz.ratio(joined, phrase), fuzz.ratio(joined.replace(" ", ""), phrase.replace(" ", "")))


def find_anchors(lines: list[Line], phrases: list[str], max_words: int = 4) -> list[Anchor]:
    """For each line, its best run of up to `max_words` words matching one of `phrases` (fuzzily)."""
    targets = [(p, p.replace(" ", "")) for p in phrases if p]
    longest = max((len(p) for p, _ in targets), default=0)
    too_long = longest * (1 + _LOW) / (1 - _LOW) + 1
    found: list[Anchor] = []
    for line in lines:
        best: Anchor | None = None
        words = line.words
        norms = [_normalise_word(w.text) for w in words]
        for i in range(len(words)):
            for n in range(1, max_words + 1):
                if i + n > len(words):
                    break
                joined = " ".join(t for t in norms[i:i + n] if t)
                if not joined:
                    continue
                if len(joined) > too_long and len(joined) - joined.count(" ") > too_long:
                    break
                tight = joined.replace(" ", "")
                for phrase, phrase_tight in targets:
                    if not (_reachable(len(joined), len(phrase)) or _reachable(len(tight), len(phrase_tight))):
                        continue
                    score = max(fuzz.ratio(joined, phrase), fuzz.ratio(tight, phrase_tight))
                    if score >= ANCHOR_THRESHOLD and (best is None or score > best.score):
                        best = Anchor(words[i:i + n], line, score)
        if best is not None:
            found.append(best)
    return found


def _top(a: Anchor) -> int:
    return a.bbox[1]


def find_stacked(lines: list[Line], phrases: list[str], max_words: int = 3) -> list[Anchor]:
    """A phrase printed over two lines, left-aligned ("Supplement" above "Facts" in a narrow column): the
    words starting one line's run and a run of a line just below it that starts at the same x."""
    words = [w for ln in lines for w in ln.words]
    h = median_height(words)
    found: list[Anchor] = []
    for phrase in phrases:
        parts = phrase.split()
        for k in range(1, len(parts)):
            head, tail = " ".join(parts[:k]), " ".join(parts[k:])
            for top in find_anchors(lines, [head], max_words):
                x, y1 = top.bbox[0], top.bbox[1] + top.bbox[3]
                below = [ln for ln in lines if ln is not top.line
                         and any(abs(w.bbox[0] - x) <= h and y1 - 0.5 * h <= w.bbox[1] <= y1 + h for w in ln.words)]
                for low in find_anchors(below, [tail], max_words):
                    if abs(low.bbox[0] - x) <= h and y1 - 0.5 * h <= low.bbox[1] <= y1 + h:
                        found.append(Anchor(top.words + low.words, top.line, min(top.score, low.score)))
    return found


def locate_anchors(page: OcrPage) -> tuple[Anchor | None, Anchor | None, Anchor | None]:
    """The title, the "Amount Per Serving" header and the "% Daily Value" header, where found."""
    vocab = vocabulary()
    lines = page.lines()
    titles = find_anchors(lines, vocab.title, 3) or find_stacked(lines, vocab.title)
    title = max(titles, key=lambda a: (round(a.score), -len(a.line.words)), default=None)
    floor = _top(title) - 0.5 * median_height(title.words) if title else -10**9
    headers = [a for a in find_anchors(lines, vocab.header_amount, 4) if _top(a) >= floor]
    header = min(headers, key=_top, default=None)
    dv_lines = [ln for ln in lines if not contains_phrase(ln.text, vocab.footnote_dagger + vocab.footnote_percent)]
    dvs = [a for a in find_anchors(dv_lines, vocab.header_dv, 3) if _top(a) >= floor]
    if header is not None:
        hy0, hy1 = header.bbox[1], header.bbox[1] + header.bbox[3]
        same_row = [a for a in dvs if a.bbox[1] < hy1 and a.bbox[1] + a.bbox[3] > hy0]
        dvs = same_row or dvs
    dv = min(dvs, key=_top, default=None)
    return title, header, dv


def median_height(words: list[Word]) -> float:
    """The median word height (a text-size unit for margins), at least 1."""
    return max(1.0, statistics.median([w.bbox[3] for w in words])) if words else 1.0


def panel_words(page: OcrPage, title: Anchor | None, headers: list[Anchor], dv: Anchor | None = None) -> list[Word]:
    """The words of the panel region: below its top anchor, not left of it, and within its x-range
    where the page has real columns (several tesseract blocks, or real geometry with a "% Daily Value"
    header marking the right edge). Plain text (synthetic boxes) keeps whole lines."""
    words = [w for w in page.words if w.text.strip()]
    anchors = [a for a in [title, *headers] if a is not None]
    if not anchors or not words:
        return []
    h = median_height(words)
    top = _top(title) - 0.5 * h if title else min(_top(a) for a in anchors) - 5 * h
    x0 = min(a.bbox[0] for a in anchors) - h
    x1 = max(a.bbox[0] + a.bbox[2] for a in anchors) + h
    limit_right = len({w.block for w in words}) > 1 or (dv is not None and page.engine != "text")
    if not limit_right:
        x1 = float("inf")
    inside: list[Word] = []
    for w in words:
        if w.bbox[1] + w.bbox[3] / 2 < top:
            continue
        width = max(1, w.bbox[2])
        overlap = min(x1, w.bbox[0] + width) - max(x0, w.bbox[0])
        if overlap >= 0.5 * width:
            inside.append(w)
    # A tesseract line never crosses columns: a line of the panel's own blocks that starts inside
    # the region keeps its words beyond the right edge (a row wider than the headers). Unless a "% Daily
    # Value" heading marks the right edge, the region is only the title's or "Amount Per Serving"'s width,
    # and rows (their amounts beyond it) may sit in blocks of their own.
    blocks = {w.block for a in anchors for w in a.words} if dv is not None else {w.block for w in inside}
    starts = {w.line for w in inside if w.block in blocks}
    kept = set(map(id, inside))
    extra = [w for w in words if id(w) not in kept and w.block in blocks and w.line in starts
             and w.bbox[0] >= x0 and w.bbox[1] + w.bbox[3] / 2 >= top]
    edge = x1 if dv is not None else float("inf")  # "% Daily Value" ends the panel's rows
    extra = _run_on_lines(inside, extra, COLUMN_GAP * h, edge, EDGE_GAP * h)
    if not headers and x1 != float("inf"):
        extra += _run_on(words, inside + extra, x1, 3 * h)
    if dv is None and x1 != float("inf"):
        extra += _amounts_beyond(words, inside + extra, x1)
    return inside + extra


COLUMN_GAP = 2.5
"""Word heights: a gap this wide in a line, past the panel region's right edge, parts the panel from a column
beside it that tesseract read into the same line ("Magnesium (as" ... "Do not use if safety seal is")."""

EDGE_GAP = 1.0
"""Word heights: past the right edge of a "% Daily Value" heading (the panel's last column), a gap this wide before
a word that is not an amount parts the panel from the column beside it ("38%" ... "physician before use")."""


_AMOUNT_LIKE = re.compile(r"[\d%†‡*]")


def _run_on_lines(inside: list[Word], beyond: list[Word], gap: float, edge: float = float("inf"),
                  edge_gap: float = float("inf")) -> list[Word]:
    """The words past the region's edge (`beyond`) that run on from their line's words before them without
    a gap wider than `gap`, or across one to an amount, or to words that go on to an amount: a row wider than
    the headers, not the next column. Past `edge` (the "% Daily Value" heading's right edge, when there is
    one) a gap wider than `edge_gap` before a word that is not an amount already parts the columns."""
    kept: list[Word] = []
    for line in {w.line for w in beyond}:
        words = sorted([w for w in inside + beyond if w.line == line], key=lambda w: w.bbox[0])
        right = None
        for index, word in enumerate(words):
            space = word.bbox[0] - right if right is not None else 0.0
            if word in beyond and not _AMOUNT_LIKE.search(word.text) and (
                    (word.bbox[0] > edge and space > edge_gap)
                    or (space > gap and not find_quantities(" ".join(w.text for w in words[index:])))
                    or (index > 0 and not _level(words[index - 1], word))):
                # a column of amounts stands apart too, but begins with a number (or a %DV, a †); a row set apart
                # from the words left of it (a panel whose rows stand beside its title) goes on to its amount
                break
            if word in beyond:
                kept.append(word)
            right = max(right or 0, word.bbox[0] + word.bbox[2])
    return kept


def _level(left: Word, right: Word) -> bool:
    """Whether two neighbouring words of a tesseract line stand on one printed line, sharing at least SAME_LINE of
    the lower one's height (a small "a" beside "Store" shares all of its own): tesseract at times runs a row on
    into a line of the column beside it printed half a line higher ("L-threonate) … 156 mg" + "place. Do not
    use if" of "Store in a cool, dry / place. Do not use if / safety seal is broken.")."""
    return shared_height(left.bbox, right.bbox) >= SAME_LINE * min(left.bbox[3], right.bbox[3])


_NUMBER = re.compile(r"\d[\d,.]*")
_GLUED_AMOUNT = re.compile(r"(\d[\d,.]*)([a-zA-Zµ]+)")


def _amounts_beyond(words: list[Word], inside: list[Word], x1: float) -> list[Word]:
    """An amount standing past the region's right edge `x1` on a line of the region that has none
    ("Magnesium (as Magtein®)" ... "89 mg", or "89mg" read as one word), when no "% Daily Value" heading marks
    the panel's right edge and the amount column lies beyond the title's width: the words past the edge on that
    line, when they are only a number and its unit (with a %DV or a dagger after them). A line with anything
    else there (the label's next column, "2,000 mg Magnesium L-Threonate per serving") is left as it is."""
    units = vocabulary().units
    kept = set(map(id, inside))
    beyond = sorted((w for w in words if id(w) not in kept and w.bbox[0] >= x1), key=lambda w: w.bbox[0])
    out: list[Word] = []
    for row in build_rows(inside):
        if any(_NUMBER.fullmatch(w.text) for w in row.words):
            continue  # it has its amount (or part of one) already
        box = row.bbox
        if box is None:
            continue
        on_line = [w for w in beyond if box[1] <= w.bbox[1] + w.bbox[3] / 2 <= box[1] + box[3]]
        if not on_line:
            continue
        glued = _GLUED_AMOUNT.fullmatch(on_line[0].text)  # "151mg", the space lost
        if glued and glued.group(2).lower() in units:
            amount = 1
        elif len(on_line) >= 2 and _NUMBER.fullmatch(on_line[0].text) and on_line[1].text.lower() in units:
            amount = 2
        else:
            continue
        if len(on_line) == amount or (len(on_line) == amount + 1 and (PERCENT_ONLY.fullmatch(on_line[-1].text)
                                                                    or is_dagger_token(on_line[-1].text))):
            out.extend(on_line)
    return out


def _run_on(words: list[Word], inside: list[Word], x1: float, max_gap: float) -> list[Word]:
    """Words past the right edge `x1` that continue a row of the region closely (a %DV beyond a narrow title
    when no column header marks the panel's right edge): each within `max_gap` of the word before it."""
    reach: dict[int, float] = {}
    for w in inside:
        reach[w.line] = max(reach.get(w.line, -1.0), w.bbox[0] + w.bbox[2])
    out: list[Word] = []
    kept = set(map(id, inside))
    for w in sorted((w for w in words if id(w) not in kept and w.line in reach and w.bbox[0] + w.bbox[2] > x1),
                    key=lambda w: w.bbox[0]):
        if w.bbox[0] - reach[w.line] <= max_gap:
            out.append(w)
            reach[w.line] = w.bbox[0] + w.bbox[2]
    return out


GHOST_COVER = 0.6
"""Share of a word's box that another line's word covering it must hold for it to be a second reading of the same
print: type does not overlap, but tesseract sometimes reads a row twice, as two lines, the second in fragments."""


def without_ghosts(words: list[Word]) -> list[Word]:
    """The words without those that another line's word, read with more confidence, mostly covers: the fragments of
    a row read twice ("h", "6", "89%" over "L-threonate) 160 mg 38%"). Every pair at once (a dense panel has hundreds
    of words, and the panel is parsed once per reading of it)."""
    if len(words) < 2:
        return list(words)
    box = np.array([w.bbox for w in words], dtype=float)
    x0, y0, x1, y1 = box[:, 0], box[:, 1], box[:, 0] + box[:, 2], box[:, 1] + box[:, 3]
    across = np.clip(np.minimum(x1[:, None], x1[None, :]) - np.maximum(x0[:, None], x0[None, :]), 0, None)
    down = np.clip(np.minimum(y1[:, None], y1[None, :]) - np.maximum(y0[:, None], y0[None, :]), 0, None)
    covered = across * down / np.maximum(1.0, box[:, 2] * box[:, 3])[:, None]  # [i, j]: share of word i under j
    confidence = np.array([w.confidence for w in words])
    line = np.array([w.line for w in words])
    ghost = ((covered >= GHOST_COVER) & (line[:, None] != line[None, :])
             & (confidence[None, :] > confidence[:, None])).any(axis=1)
    return [w for w, is_ghost in zip(words, ghost) if not is_ghost]


def build_rows(words: list[Word]) -> list[Line]:
    """Visual rows: words grouped by vertical overlap (not by tesseract line ids), each sorted left to right."""
    ordered = sorted(words, key=lambda w: (w.bbox[1] + w.bbox[3] / 2, w.bbox[0]))
    rows: list[tuple[list[float], list[Word]]] = []  # band [sum y0, sum y1, n], words
    for word in ordered:
        wy0, wy1 = word.bbox[1], word.bbox[1] + max(1, word.bbox[3])
        best, best_overlap = None, 0.0
        for band, members in rows[-6:]:
            by0, by1 = band[0] / band[2], band[1] / band[2]
            overlap = min(wy1, by1) - max(wy0, by0)
            if overlap >= 0.5 * min(wy1 - wy0, by1 - by0) and overlap > best_overlap:
                best, best_overlap = (band, members), overlap
        if best is None:
            rows.append(([float(wy0), float(wy1), 1.0], [word]))
        else:
            best[0][0] += wy0
            best[0][1] += wy1
            best[0][2] += 1
            best[1].append(word)
    rows.sort(key=lambda r: r[0][0] / r[0][2])
    return [Line(sorted(members, key=lambda w: w.bbox[0])) for _, members in rows]


LEADER_HEIGHT = 0.3
"""A word less than this share of the panel's median word height is dot leaders that OCR read as letters
("bebe eeeeenenees", 6 px high among 45 px words): dots are as high as a stroke is wide, no letter is."""
_KEPT_MARKS = set("*†‡")
"""Small marks that mean something in a row: footnote symbols."""


def without_leader_dots(row: Line, text_height: float) -> Line:
    """The row without words far shorter than the panel's text, `text_height` (see LEADER_HEIGHT); a row of
    only such words is kept as it is."""
    limit = LEADER_HEIGHT * text_height
    kept = [w for w in row.words if w.bbox[3] >= limit or _KEPT_MARKS & set(w.text)]
    return row if len(kept) in (0, len(row.words)) else Line(kept)


def gap_before(prev: Line, row: Line) -> float:
    """The vertical gap between two rows in units of their text height (a blank line is about 1)."""
    pb, rb = prev.bbox, row.bbox
    if pb is None or rb is None:
        return 0.0
    h = max(1.0, min(median_height(prev.words), median_height(row.words)))
    return (rb[1] - (pb[1] + pb[3])) / h



def panel_anchor_centres(page: OcrPage) -> list[tuple[float, float]]:
    """The centres of the panel's title, column headings and serving lines as far as they were read:
    whole phrases ("Supplement Facts", "Amount Per Serving", "Serving Size"), so that "Dietary Supplement"
    or "per serving" on the front of the label do not count."""
    vocab = vocabulary()
    lines = page.lines()
    anchors = [a for a in locate_anchors(page) if a is not None]
    for phrases in (vocab.serving_size, vocab.servings_per_container):
        anchors.extend(find_anchors(lines, phrases, 4))
    return [(a.bbox[0] + a.bbox[2] / 2, a.bbox[1] + a.bbox[3] / 2) for a in anchors]
