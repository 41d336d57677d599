"""Lines of print that the OCR gave no words for: letter-shaped ink in a region that no word box covers."""

from __future__ import annotations

import cv2
import numpy as np

from ..model import BBox, Word, centre_within, union_bbox
from .leaders import leader_dots
from .prepare import estimate_x_height

DARK_GROUND = 110
"""A region whose median grey is below this is a dark ground with light print."""
WORD_MARGIN = 0.3
"""Ink this far (in word heights) round a word read is that word's (its box is glyph-tight; blur spreads it)."""
LETTER_HEIGHT = (0.35, 1.6)
"""A letter's height, in the median height of the words read: smaller is a speck or a rule's edge, taller a
frame or a picture."""
MAX_LETTER_WIDTH = 6.0
"""Widest letter-shaped piece, in word heights (letters run together by blur make a wide piece; a rule is wider)."""
MAX_FILL = 0.8
"""A piece filling more of its box than this is a bar or a block, not print."""
LINE_GAP = 1.2
"""Letters closer than this (in word heights) along a line belong to one run of print."""
X_HEIGHT_SHARE = 0.6
"""The body text's x-height as a share of the words' box height, where too little text is left to measure it."""
MIN_LETTERS, MIN_RUN = 4, 2.5
"""A run of print: at least MIN_LETTERS pieces over at least MIN_RUN word heights ("144 mg", "Magnesium"); fewer
is a footnote mark, a dagger or a stray glyph."""


RULE_LENGTH = 8.0
"""A table rule: a dark line at least this many word heights long..."""
RULE_THICKNESS = 0.6
"""...and at most this many word heights thick (the panel's heavy bars are a third of a line high or less)."""
RULE_START = 1.5
"""...that starts within this many word heights of the table's left edge (a rule of the panel, not of a column
beside it)."""


def table_right_edge(gray: np.ndarray, words: list[Word], region: BBox) -> int:
    """The right end of the longest horizontal rule that starts at the left edge of `region` (the panel's table
    as the words read span it) and runs right within its rows, out to the image's edge: a Supplement Facts
    panel is ruled across its full width, amounts and %DV included, which the words read may not reach (a column
    of amounts the OCR dropped). The region's own right edge when no such rule is found."""
    x0, y0, w, h = region
    inside = [wd for wd in words if wd.text.strip() and centre_within(wd.bbox, region)]
    right = x0 + w
    if not inside or h < 10:
        return right
    height = float(np.median([wd.bbox[3] for wd in inside]))
    top, bottom = max(0, y0), min(gray.shape[0], y0 + h)
    band = gray[top:bottom, max(0, x0):]
    if band.size == 0 or height < 6:
        return right
    if np.median(band) < DARK_GROUND:
        band = 255 - band
    ink = cv2.adaptiveThreshold(band, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, int(4 * height) | 1, 15)
    length = int(RULE_LENGTH * height)
    lines = cv2.morphologyEx(ink, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (length, 1)))
    count, _, stats, _ = cv2.connectedComponentsWithStats(lines, connectivity=8)
    ends = [int(stats[i, 0] + stats[i, 2]) for i in range(1, count)
            if stats[i, 0] <= RULE_START * height and stats[i, 3] <= RULE_THICKNESS * height]
    return max([right, *(max(0, x0) + end for end in ends)])


def unread_runs(gray: np.ndarray, words: list[Word], region: BBox) -> list[BBox]:
    """Runs of letter-shaped ink inside `region` of the page image `gray` that none of the page's `words`
    covers: a line of print the OCR lost altogether. Boxes in page pixels."""
    x0, y0 = max(0, region[0]), max(0, region[1])
    x1, y1 = min(gray.shape[1], region[0] + region[2]), min(gray.shape[0], region[1] + region[3])
    inside = [w for w in words if w.text.strip() and centre_within(w.bbox, (x0, y0, x1 - x0, y1 - y0))]
    if x1 - x0 < 20 or y1 - y0 < 20 or len(inside) < 3:
        return []
    height = float(np.median([w.bbox[3] for w in inside]))
    if height < 6:
        return []
    crop = gray[y0:y1, x0:x1]
    if np.median(crop) < DARK_GROUND:
        crop = 255 - crop  # light print on a dark panel
    block = int(4 * height) | 1
    ink = cv2.adaptiveThreshold(crop, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, 15)
    ink[leader_dots(crop, estimate_x_height(crop) or X_HEIGHT_SHARE * height)] = 0  # not read, and no print lost
    pad = round(WORD_MARGIN * height)
    for word in words:  # every word, not only those centred in the region: one may reach into it
        wx, wy, ww, wh = word.bbox
        ink[max(0, wy - y0 - pad):max(0, wy - y0 + wh + pad), max(0, wx - x0 - pad):max(0, wx - x0 + ww + pad)] = 0
    count, _, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    letters = [tuple(int(v) for v in stats[i, :4]) for i in range(1, count) if _letter_shaped(stats[i], height)]
    return [(x + x0, y + y0, w, h) for x, y, w, h in _runs(letters, height)]


def _letter_shaped(stat: np.ndarray, height: float) -> bool:
    _, _, w, h, area = (int(v) for v in stat)
    low, high = LETTER_HEIGHT
    return low * height <= h <= high * height and w <= MAX_LETTER_WIDTH * height and area <= MAX_FILL * w * h


def _runs(letters: list[tuple[int, ...]], height: float) -> list[BBox]:
    """Letters joined into runs along a line (a centre within half a word height, a gap under LINE_GAP)."""
    runs: list[list[int]] = []  # each: x0, y0, x1, y1, pieces
    for x, y, w, h in sorted(letters):
        for run in runs:
            if abs((run[1] + run[3]) / 2 - (y + h / 2)) <= height / 2 and x - run[2] <= LINE_GAP * height:
                run[0], run[1], run[2], run[3] = min(run[0], x), min(run[1], y), max(run[2], x + w), max(run[3], y + h)
                run[4] += 1
                break
        else:
            runs.append([x, y, x + w, y + h, 1])
    return [(r[0], r[1], r[2] - r[0], r[3] - r[1]) for r in runs
            if r[4] >= MIN_LETTERS and r[2] - r[0] >= MIN_RUN * height]


LOST_REACH = 4.0
"""How far (in word heights) beyond the words read a line of print may lie and still be the label's: a last
paragraph of small print (the FDA disclaimer) the OCR lost altogether lies below every word it read."""
BLOCK_GAP = 1.5
"""Runs closer than this (in word heights) one below the other are lines of one block of print."""


def lost_print_blocks(gray: np.ndarray, words: list[Word], skip: list[BBox]) -> list[BBox]:
    """Blocks of print on the page that the OCR gave no words for (runs of letter-shaped ink, see `unread_runs`,
    near the words read), each a box spanning its lines across the width of the words read, so a line the
    ink test found only in part is read whole. Runs centred in a `skip` box (the panel, which its own stage
    reads again; round marks, read on their own) are left out."""
    read = [w for w in words if w.text.strip()]
    region = union_bbox([w.bbox for w in read])
    if region is None or len(read) < 3:
        return []
    height = float(np.median([w.bbox[3] for w in read]))
    reach = round(LOST_REACH * height)
    x, y, w, h = region
    runs = [r for r in unread_runs(gray, words, (x - reach, y - reach, w + 2 * reach, h + 2 * reach))
            if not any(centre_within(r, box) for box in skip)]
    blocks: list[BBox] = []
    for run in sorted(runs, key=lambda r: r[1]):
        near = [b for b in blocks if run[1] <= b[1] + b[3] + BLOCK_GAP * height]
        if near:
            blocks.remove(near[-1])
            run = union_bbox([near[-1], run]) or run
        blocks.append(run)
    if not blocks:
        return []
    pad = round(height)
    left = max(0, min(x, *(b[0] for b in blocks)) - pad)
    right = min(gray.shape[1], max(x + w, *(b[0] + b[2] for b in blocks)) + pad)
    spans = [(max(0, top - pad), min(gray.shape[0], top + tall + pad)) for _, top, _, tall in blocks]
    return [(left, top, right - left, bottom - top) for top, bottom in spans]
