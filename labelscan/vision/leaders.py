"""Dot leaders ("Magnesium ........ 76 mg") found and painted over before OCR: tesseract reads a line of dots
into the words beside it ("MACHOSMUIM ... 76 mg", "Magnesium vice 122mg")."""

from __future__ import annotations

import cv2
import numpy as np

INK_BLOCK = 3.0
"""Neighbourhood of the local threshold that finds the dots, in x-heights."""
INK_OFFSET = 15
"""Gray levels below its neighbourhood's mean a pixel must be to count as ink."""
MAX_DOT = 0.5
"""A dot is at most this many x-heights wide and high (a leader's dots sit on the baseline, smaller than any
letter of the same text)..."""
MIN_FILL = 0.5
"""...and fills at least this share of its box (a solid round or square dot; small letters have holes or
strokes)."""
MAX_GAP = 1.2
"""Dots of one leader stand at most this many x-heights apart..."""
MIN_DOTS = 5
"""...at least this many in a row..."""
MAX_OFF_LINE = 0.15
"""...on one straight baseline (sloping with the line): no dot's centre lies further from it, in x-heights..."""
EVEN = 0.3
"""...evenly: gaps and sizes within this share of their median..."""
MOST = 0.75
"""...for at least this share of them (a dot the threshold missed leaves a double gap). Small print whose
letters happen to be dot-sized varies in both."""
BAND, OVERLAP = 8.0, 2.0
"""The image is searched in bands this many x-heights high, overlapping by this many."""


def leader_dots(gray: np.ndarray, x_height: float) -> np.ndarray:
    """A mask of the dots of the image's dot leaders: runs of MIN_DOTS or more small filled dots, evenly
    spaced and alike in size, along one baseline (`x_height`: the body text's, in the image's pixels)."""
    mask = np.zeros(gray.shape, bool)
    for top, bottom in _bands(gray.shape[0], x_height):
        mask[top:bottom] |= _band_dots(gray[top:bottom], x_height, top > 0, bottom < gray.shape[0])
    return mask


def _bands(height: int, x_height: float) -> list[tuple[int, int]]:
    """Overlapping bands of rows the image is searched in (a prepared page can have 60 million pixels: whole,
    its label images would take gigabytes). Every dot lies wholly inside one band."""
    size, overlap = max(64, int(BAND * x_height)), int(OVERLAP * x_height) + 2
    bands, top = [], 0
    while True:
        bands.append((top, min(height, top + size)))
        if top + size >= height:
            return bands
        top += size - overlap


def _band_dots(gray: np.ndarray, x_height: float, cut_above: bool, cut_below: bool) -> np.ndarray:
    """leader_dots in one band; shapes touching an edge where the band cuts the image are left to the next."""
    block = max(15, int(INK_BLOCK * x_height) | 1)
    ink = cv2.adaptiveThreshold(gray, 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV, block, INK_OFFSET)
    count, labels, stats, centres = cv2.connectedComponentsWithStats(ink, connectivity=8)
    x0, y0, w, h, area = stats[:, 0], stats[:, 1], stats[:, 2], stats[:, 3], stats[:, 4]
    small = ((w <= MAX_DOT * x_height) & (h <= MAX_DOT * x_height) & (w <= 2.5 * h) & (h <= 2.5 * w)
             & (area >= MIN_FILL * w * h) & (area >= 2))
    if cut_above:
        small &= y0 > 0
    if cut_below:
        small &= y0 + h < gray.shape[0]
    small[0] = False
    if np.count_nonzero(small) < MIN_DOTS:
        return np.zeros(gray.shape, bool)
    dots = small[labels].astype(np.uint8)
    # each dot reaches out along its row to the next within MAX_GAP (a few rows up or down: a line may slope)
    reach = max(3, int(MAX_GAP * x_height))
    runs = cv2.dilate(dots, cv2.getStructuringElement(cv2.MORPH_RECT, (reach, 3)))
    run_count, run_labels = cv2.connectedComponents(runs, connectivity=8)
    ids = np.flatnonzero(small)
    run_of = run_labels[centres[ids, 1].astype(int), centres[ids, 0].astype(int)]
    keep = np.zeros(count, bool)
    for run in np.flatnonzero(np.bincount(run_of, minlength=run_count) >= MIN_DOTS):
        members = ids[run_of == run]
        members = members[np.argsort(centres[members, 0])]
        x, y = centres[members, 0], centres[members, 1]
        if run == 0 or np.ptp(x) < 1:
            continue
        slope, offset = np.polyfit(x, y, 1)
        gaps, sizes = np.diff(x), w[members].astype(np.float64)
        if np.abs(y - (slope * x + offset)).max() <= MAX_OFF_LINE * x_height and _even(gaps) and _even(sizes):
            keep[members] = True
    return keep[labels]


def _even(values: np.ndarray) -> bool:
    """Whether MOST of the values lie within EVEN of their median."""
    median = float(np.median(values))
    return median > 0 and np.mean(np.abs(values - median) <= EVEN * median) >= MOST


def without_leaders(gray: np.ndarray, x_height: float) -> np.ndarray:
    """The image with its dot leaders (see `leader_dots`) painted in the paper's shade round them; the image
    itself when it has none."""
    out = gray
    side = max(3, int(x_height) | 1)
    for top, bottom in _bands(gray.shape[0], x_height):
        band = gray[top:bottom]
        mask = _band_dots(band, x_height, top > 0, bottom < gray.shape[0])
        if not mask.any():
            continue
        if out is gray:
            out = gray.copy()
        mask = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
        paper = cv2.morphologyEx(band, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_RECT, (side, side)))
        out[top:bottom][mask] = paper[mask]
    return out
