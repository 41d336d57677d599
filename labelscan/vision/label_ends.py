"""Whether both ends of a label wrapped round a bottle show in the photo, so that none of it is round the back."""

from __future__ import annotations

import math

import cv2
import numpy as np
from PIL import Image

from .cylinder import CylinderFit, flattening_maps

STEP = 30.0
"""Colour difference (8-bit CIELAB) across a column that makes it an edge in one row: paper against a bottle's
body or a table; much less than between white paper and a dark, coloured or amber bottle."""
GAP, STRIP = 2, 7
"""Pixels: the two strips compared across a column lie GAP from it and are STRIP wide."""
STRAIGHT = 0.85
"""Share of the print's rows whose edge lies within SPREAD of the same column: an edge parallel to the bottle's
axis, as a label's end and the bottle's outline are (a letter's stroke or a seal's rim is not)."""
SPREAD = 4
"""Pixels."""
BAND_TRIM = 0.03
"""Share of the print's height left out at its top and bottom (the first and last lines' letters)."""
ROW_STEP = 2
"""Every this many rows of the print's band are compared."""
LIMB_TOLERANCE = 0.12
"""Share of the fitted radius by which the bottle's outline may lie from where the fit puts it."""


def both_ends_in_view(image: Image.Image, fit: CylinderFit) -> bool:
    """Whether the label's two ends show in the (upright) photo of a bottle whose `fit` flattens it: beyond the
    outermost print on each side, an edge the height of the print (the label's end), then a strip of the
    bottle's own surface, then a second such edge where the fit puts the bottle's outline. A label that wraps
    on round the back reaches the outline itself on that side, and its end cannot be seen; nor can it on a
    bottle the label's colour, or where the fit misplaces the outline. False whenever in doubt: the answer only lets
    what is missing from the label count as missing."""
    if fit.print_box is None or not math.isfinite(fit.radius):
        return False
    left, top, right, bottom = fit.print_box
    trim = BAND_TRIM * (bottom - top)
    map_x, map_y, (_, v0) = flattening_maps(fit, image.size, widen=False)
    rows = slice(max(0, int(top + trim - v0)), max(0, int(bottom - trim - v0)), ROW_STEP)
    if map_x[rows].shape[0] < 10:
        return False
    rgb = np.asarray(image.convert("RGB"))
    band = cv2.remap(rgb, map_x[rows], map_y[rows], cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    steps = _steps(band)
    margin = 1.5 * fit.x_height  # the outermost letters' own strokes, beyond their centres
    return (_end_then_outline(steps, int(left - margin), -1, fit.axis_x - fit.radius, fit.radius)
            and _end_then_outline(steps, int(right + margin), 1, fit.axis_x + fit.radius, fit.radius))


def _steps(band: np.ndarray) -> np.ndarray:
    """For each row and column of `band` (RGB), whether the colour steps across the column: the strips GAP
    from it on either side differ by STEP. Columns too near the sides to compare are False."""
    lab = cv2.GaussianBlur(cv2.cvtColor(band, cv2.COLOR_RGB2LAB).astype(np.float32), (0, 0), 1.2)
    mean = cv2.blur(lab, (STRIP, 1), borderType=cv2.BORDER_REPLICATE)  # of the STRIP columns centred on each
    reach = GAP + (STRIP + 1) // 2  # from a column to the middle of the strip on either side
    steps = np.zeros(band.shape[:2], dtype=bool)
    if band.shape[1] > 2 * reach:
        difference = mean[:, 2 * reach:] - mean[:, :-2 * reach]
        steps[:, reach:-reach] = np.einsum("ijk,ijk->ij", difference, difference) > STEP * STEP
    return steps


def _runs(row: np.ndarray, start: int, side: int) -> tuple[float, float] | None:
    """Distances from `start`, going toward `side` (-1 left, 1 right), of the middles of the first two runs of
    steps met in one row (the first taken whole if `start` lies inside it); None when there are not two."""
    ahead = (row[start::-1] if side < 0 else row[start:]).astype(np.int8)
    behind = (row[start:] if side < 0 else row[start::-1]).astype(np.int8)
    edges = np.flatnonzero(np.diff(ahead)) + 1  # where a run begins or ends
    bounds = ([0] if ahead[0] else []) + edges.tolist() + ([len(ahead)] if ahead[-1] else [])
    if len(bounds) < 4:
        return None
    back = int(np.argmin(behind)) - 1 if ahead[0] and not behind.all() else 0  # the first run's part behind start
    return (bounds[0] - back + bounds[1] - 1) / 2, (bounds[2] + bounds[3] - 1) / 2


def _straight(positions: np.ndarray, rows: int) -> float | None:
    """The median of `positions` when STRAIGHT of all `rows` lie within SPREAD of it, else None."""
    if len(positions) < STRAIGHT * rows:
        return None
    middle = float(np.median(positions))
    return middle if np.count_nonzero(np.abs(positions - middle) <= SPREAD) >= STRAIGHT * rows else None


def _end_then_outline(steps: np.ndarray, start: int, side: int, limb: float, radius: float) -> bool:
    """Whether, going from `start` toward `side` in every row, the first edge met is straight (the label's end),
    and so is the second, and that one lies within LIMB_TOLERANCE of `limb` (the bottle's outline)."""
    if not 0 <= start < steps.shape[1]:
        return False
    found = [runs for row in steps if (runs := _runs(row, start, side)) is not None]
    if not found:
        return False
    end, outline = np.array(found).T
    end, outline = _straight(end, steps.shape[0]), _straight(outline, steps.shape[0])
    if end is None or outline is None:
        return False
    return bool(abs(start + side * outline - limb) <= LIMB_TOLERANCE * radius)
