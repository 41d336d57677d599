"""Flatten a label wrapped round a bottle: follow its curved text lines, fit a cylinder and remap them straight."""

from __future__ import annotations

import math
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

WORK_SIDE = 1600
"""Long side (px) of the copy the text lines are traced on."""
THRESHOLD = (41, 12)
"""(block size, offset) of the local threshold that separates ink from label."""
MIN_INK_HEIGHT = 5
"""Pixels (work copy); smaller blobs are specks."""
MAX_INK_HEIGHT = 0.06
"""Ink blobs taller than this share of the work copy's long side are pictures or rules, not text."""
MAX_INK_ASPECT = 25
"""Blobs up to this many times wider than tall are kept (a word run together, a curved rule)..."""
INK_FILL = (0.1, 0.8)
"""...when their ink fills this share of their box (not a thin ring or frame, not a solid block)."""
MIN_LINE_PIECES = 4
"""A traced text line must hold at least this many pieces (letters, or word slices about a letter wide)."""
LINK_REACH = 0.8
"""Two pieces are neighbours in a line when the gap between them is at most this many piece heights..."""
LINK_RISE = (0.2, 0.4)
"""...and their centres differ in height by at most a + b × their horizontal distance (curved lines slope)."""
FOLLOW_RISE = 0.3
"""With a first fit to follow, a neighbour's centre must lie within this many piece heights of the fitted curve."""
MIN_LINES = 3
"""Fewer traced lines than this: too little text to tell a curve."""
PAPER_REACH = 15
"""An ink piece's paper is the brightest pixel within this many work pixels of its centre..."""
MIN_CONTRAST = 0.5
"""...and a traced line is print, not texture beside the bottle (wood grain, fabric, which trace long lines
that no cylinder bends), when its pieces stand out from their paper by at least this share of what the
lines that stand out most (CONTRAST_QUANTILE over the lines) do."""
CONTRAST_QUANTILE = 0.9
"""The quantile, over the traced lines, of their contrast that stands for the clearest print."""
MIN_PRINT_ON_BOTTLE = 0.25
"""A bottle holds its label's print: a fit whose span (see SPAN) holds less than this share of the points of
the lines that stand out like print is of texture beside a flat label (wavy wood grain fitted by a narrow
cylinder at the photo's edge, the label's print outside it: 6 % seen), not a bottle (48 % the least seen on
120 bottle photos, whose backgrounds also trace lines)."""
HUBER = 0.25
"""Residuals beyond this many x-heights are down-weighted (descenders, capitals, seal lettering)."""
COARSE_AXES = np.linspace(0.0, 1.0, 11)
"""Bottle axis positions tried first, as shares of the image width."""
COARSE_RADII = np.array([0.3, 0.45, 0.65, 0.9, 1.3, 2.0, math.inf])
"""Bottle radii tried first, as shares of the image width (infinite: a parabola)."""
REFINE_STEPS = (0.04, 0.02, 0.01, 0.005)
"""Local refinement: the axis moves by ±step × width, the radius by ±3 × step of itself..."""
REFINE_ROUNDS = 2
"""...this many rounds per step."""
BOW_QUANTILE = 0.75
"""The bow of the lines is taken at this quantile over them (short lines hardly bow)."""
MIN_BOW = 0.02
"""The warp is applied only when the fit bends the traced lines by at least this many x-heights over their length..."""
MIN_GAIN = 2.4
"""...and fits them this many times better (in truncated squared residuals) than straight lines do (flat photos
give at most 1.7 on 300 photos of two authors' labels, a flat label seen at an angle 3.2 before straight lines
could slope by where they stand across it, now 1.1; a bottle photographed level with its label's middle, whose
lines bend only near its top and bottom, 2.8; 110 other bottle photos 3.3 and up)."""
CLEAR_GAIN = 3.0
"""A coarse first fit this many times better than straight lines is refined as it is; a weaker one, even one
that shows a curve, is searched again without the lines no cylinder holds first (refined from a weak start,
the fit of a bottle on wood stopped at a poorer cylinder and cut the panel's left edge off)."""
SHADE_QUANTILE = 90
"""The paper's brightness in a column of the flattened label: this percentile of the column..."""
SHADE_SMOOTH = 0.08
"""...smoothed over this share of the width (a cylinder's shading changes slowly round it)..."""
MAX_BRIGHTEN = 3.0
"""...and a column is brightened at most this many times to match the brightest."""
SHADE_BAND = 256
"""Rows brightened at a time."""
OFF_LINE = 2 * HUBER
"""A traced line's point lies off the fitted cylinder when, flattened, it lies this many x-heights from its line..."""
MAX_OFF_LINE = 0.25
"""...and a line with more of its points off, or more outside the bottle's span, is not on the label: texture
beside the bottle (wood grain, fabric) traces straight lines that no cylinder bends, and would make straight
lines look the better fit. Such lines are dropped and the cylinder fitted again..."""
MAX_PRUNES = 2
"""...at most this many times."""
SPAN = 0.97
"""Share of the bottle's radius either side of its axis where the label's text can lie."""
MAX_ANGLE = math.radians(75.0)
"""Print turned further round the bottle than this is left out of the flattened image (too foreshortened)."""
MAX_GROWTH = 2.0
"""A fit that would make the flattened image this many times wider or taller than the photo is implausible."""


@dataclass
class LinePoints:
    """Points along traced text lines, in work-copy pixels, with the line each belongs to."""

    x: np.ndarray
    y: np.ndarray
    line: np.ndarray
    x_height: float
    width: int
    height: int

    def subset(self, keep: np.ndarray) -> LinePoints:
        """The points where `keep` is true, their lines numbered afresh from 0."""
        _, line = np.unique(self.line[keep], return_inverse=True)
        return LinePoints(self.x[keep], self.y[keep], line, self.x_height, self.width, self.height)


@dataclass
class CylinderFit:
    """The bottle's shape in the image, in the image's pixels, and the evidence for it.

    The label line at height v of the flattened image shows in the image at
    y = v + (curve + curve_slope·c)·φ(d) + (tilt + tilt_slope·c)·d, where d = (x − axis_x) / norm,
    c = (v − height/2) / height and φ(d) is how far a circle of radius/norm falls from its tangent (d²/2 for
    an infinite radius); the flattened column u shows at x = axis_x + radius·sin((u − axis_x) / radius).
    """

    axis_x: float
    """The column of the bottle's axis."""
    radius: float
    """The bottle's radius in pixels (infinite: lines bow like parabolas and columns are not widened)."""
    curve: float
    curve_slope: float
    tilt: float
    tilt_slope: float
    norm: float
    height: float
    x_height: float
    bow: float = 0.0
    """How far the fitted curves bend the traced lines over their length, in x-heights (the evidence of a curve)."""
    gain: float = 0.0
    """Squared residuals of straight lines ÷ those of the cylinder (how much better the curve explains the text)."""
    origin: tuple[float, float] = (0.0, 0.0)
    """(u, v) of the flattened image's top-left pixel (set by flatten_cylinder)."""
    widened: bool = False
    """Whether the flattened image's columns were widened back round the bottle (set by flatten_cylinder)."""
    print_box: tuple[float, float, float, float] | None = None
    """(left, top, right, bottom) of the print traced on the bottle: image columns of the outermost pieces of
    letters (their middles) and label lines v of the highest and lowest line (None when no line stands out
    like print)."""

    def scaled(self, k: float) -> CylinderFit:
        """The same fit for the image scaled by k."""
        lengths = (self.axis_x, self.radius, self.curve, self.curve_slope, self.tilt, self.tilt_slope, self.norm,
                   self.height, self.x_height)
        box = None if self.print_box is None else (
            self.print_box[0] * k, self.print_box[1] * k, self.print_box[2] * k, self.print_box[3] * k)
        return CylinderFit(*(value * k for value in lengths), bow=self.bow, gain=self.gain, print_box=box)

    def source_x(self, u: np.ndarray) -> np.ndarray:
        """The image column of flattened column u (the bottle's foreshortening undone)."""
        if not math.isfinite(self.radius):
            return u
        return self.axis_x + self.radius * np.sin((u - self.axis_x) / self.radius)

    def source_y(self, x: np.ndarray, v: np.ndarray) -> np.ndarray:
        """The image row of label line v at image column x."""
        d = (x - self.axis_x) / self.norm
        p = _sag(d, self.radius / self.norm)
        c = (v - self.height / 2) / self.height
        return v + (self.curve + self.curve_slope * c) * p + (self.tilt + self.tilt_slope * c) * d

    def flat_v(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """The label line v through image pixel (x, y): source_y solved for v (it is linear in v)."""
        d = (x - self.axis_x) / self.norm
        p = _sag(d, self.radius / self.norm)
        k = (self.curve_slope * p + self.tilt_slope * d) / self.height
        return (y - self.curve * p - self.tilt * d + k * self.height / 2) / (1 + k)

    def photo_point(self, column: np.ndarray, row: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Where a pixel (column, row) of the flattened image came from in the photo (e.g. to map word boxes back)."""
        u = np.asarray(column, np.float64) + self.origin[0]
        x = self.source_x(u) if self.widened else u
        return x, self.source_y(x, np.asarray(row, np.float64) + self.origin[1])

    def slope(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """dy/dx of the label line through image pixel (x, y)."""
        v = self.flat_v(x, y)
        return self.source_y(x + 0.5, v) - self.source_y(x - 0.5, v)


def _sag(d: np.ndarray, radius: float) -> np.ndarray:
    """How far a circle of `radius` falls away from its tangent at distance d (d²/2 for an infinite one)."""
    if not math.isfinite(radius):
        return 0.5 * d * d
    q = np.clip(d / radius, -0.995, 0.995)
    return radius * radius * (1.0 - np.sqrt(1.0 - q * q))


def _work_copy(image: Image.Image) -> tuple[np.ndarray, float]:
    """A grayscale copy at most WORK_SIDE px long, and its scale."""
    gray = np.asarray(image.convert("L"))
    f = min(1.0, WORK_SIDE / max(gray.shape))
    return (cv2.resize(gray, None, fx=f, fy=f, interpolation=cv2.INTER_AREA) if f < 1.0 else gray), f


def _ink_pieces(gray: np.ndarray) -> dict[str, np.ndarray]:
    """Text-sized ink blobs cut into slices about as wide as they are tall: each slice's ink centre lies on its
    text line even where a whole word is one blob and the line slopes. Keys: x0, x1, y0, y1 (box), cx, cy (centre),
    contrast (how much darker the piece's ink is than its paper, see PAPER_REACH)."""
    ink = cv2.adaptiveThreshold(cv2.medianBlur(gray, 3), 255, cv2.ADAPTIVE_THRESH_MEAN_C, cv2.THRESH_BINARY_INV,
                                *THRESHOLD)
    _, labels, stats, _ = cv2.connectedComponentsWithStats(ink, connectivity=8)
    x, _, w, h, area = (stats[:, i] for i in range(5))
    keep = ((h >= MIN_INK_HEIGHT) & (h <= MAX_INK_HEIGHT * max(gray.shape)) & (w <= MAX_INK_ASPECT * h)
            & (area >= INK_FILL[0] * w * h) & (area <= INK_FILL[1] * w * h))
    keep[0] = False
    ys, xs = np.nonzero(ink)
    blob = labels[ys, xs]
    on = keep[blob]
    ys, xs, blob = ys[on], xs[on], blob[on]
    paper = cv2.dilate(gray, np.ones((2 * PAPER_REACH + 1, 2 * PAPER_REACH + 1), np.uint8))
    slices = w // np.maximum(h, 1) + 1
    first = np.concatenate([[0], np.cumsum(slices)])
    key = first[blob] + (xs - x[blob]) // np.maximum(h[blob], 1)
    n = int(first[-1])
    count = np.bincount(key, minlength=n)
    pieces = {"cx": np.bincount(key, xs, n), "cy": np.bincount(key, ys, n),
              "contrast": np.bincount(key, paper[ys, xs].astype(np.float64) - gray[ys, xs], n)}
    pieces["y0"] = np.full(n, np.iinfo(np.int64).max)
    pieces["x0"] = np.full(n, np.iinfo(np.int64).max)
    pieces["y1"] = np.full(n, -1)
    pieces["x1"] = np.full(n, -1)
    np.minimum.at(pieces["y0"], key, ys)
    np.minimum.at(pieces["x0"], key, xs)
    np.maximum.at(pieces["y1"], key, ys + 1)
    np.maximum.at(pieces["x1"], key, xs + 1)
    ok = count >= 3
    pieces["cx"] = pieces["cx"] / np.maximum(count, 1)
    pieces["cy"] = pieces["cy"] / np.maximum(count, 1)
    pieces["contrast"] = pieces["contrast"] / np.maximum(count, 1)
    return {k: v[ok].astype(np.float64) for k, v in pieces.items()}


def _link_lines(pieces: dict[str, np.ndarray],
                model: CylinderFit | None = None) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Chain the pieces into text lines: each piece joins its closest right-hand neighbour of similar height at
    about its level (at most one piece joins from the left). Without a model, "about its level" allows for any
    slope up to LINK_RISE; with one, the neighbour must lie where the model's curve through the piece goes.
    The pieces sorted by x0, and each one's line number."""
    order = np.argsort(pieces["x0"], kind="stable")
    p = {k: v[order] for k, v in pieces.items()}
    x0, x1, cx, cy = p["x0"], p["x1"], p["cx"], p["cy"]
    h = p["y1"] - p["y0"]
    slope = model.slope(cx, cy) if model is not None else np.zeros_like(cx)
    n = len(x0)
    best = np.full(n, -1)
    best_cost = np.full(n, np.inf)
    for shift in range(1, n):
        a = np.arange(n - shift)
        b = a + shift
        gap = x0[b] - x1[a]
        if np.all(gap > LINK_REACH * h.max()):
            break
        tall = np.maximum(h[a], h[b])
        dx = cx[b] - cx[a]
        dy = np.abs(cy[b] - cy[a] - 0.5 * (slope[a] + slope[b]) * dx)
        allowed = (FOLLOW_RISE * tall) if model is not None else (LINK_RISE[0] * tall + LINK_RISE[1] * dx)
        ok = ((dx > 0) & (gap >= -2) & (gap <= LINK_REACH * tall) & (np.minimum(h[a], h[b]) >= 0.5 * tall)
              & (dy <= allowed))
        cost = dy + np.maximum(gap, 0)
        better = ok & (cost < best_cost[a])
        best[a[better]] = b[better]
        best_cost[a[better]] = cost[better]
    parent = np.arange(n)

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    joined = np.zeros(n, dtype=bool)
    for i in np.argsort(best_cost):
        j = best[i]
        if j < 0 or joined[j]:
            continue
        joined[j] = True
        parent[root(i)] = root(j)
    _, line = np.unique([root(i) for i in range(n)], return_inverse=True)
    return p, line


def _trace_lines(pieces: dict[str, np.ndarray], size: tuple[int, int], model: CylinderFit | None = None,
                 print_only: bool = False) -> LinePoints | None:
    """The centres of the ink pieces that stand in text lines of at least MIN_LINE_PIECES (None: too few lines);
    with `print_only`, only of the lines that stand out like print (see MIN_CONTRAST). `size` is the work copy's
    (width, height)."""
    if len(pieces["cx"]) < 2 * MIN_LINE_PIECES:
        return None
    p, line = _link_lines(pieces, model)
    count = np.bincount(line)
    long_enough = count >= MIN_LINE_PIECES
    if np.count_nonzero(long_enough) < MIN_LINES:
        return None
    if print_only:
        contrast = np.bincount(line, p["contrast"]) / count
        long_enough &= contrast >= MIN_CONTRAST * np.quantile(contrast[long_enough], CONTRAST_QUANTILE)
        if np.count_nonzero(long_enough) < MIN_LINES:
            return None
    good = long_enough[line]
    _, line = np.unique(line[good], return_inverse=True)
    x_height = float(np.median((p["y1"] - p["y0"])[good]))
    return LinePoints(p["cx"][good], p["cy"][good], line, x_height, size[0], size[1])


def _fit_at(pts: LinePoints, axis_x: float, radius: float, curved: bool = True,
            iterations: int = 3) -> tuple[float, np.ndarray, np.ndarray]:
    """For a given axis and radius (work px), the least-squares curve and tilt coefficients (Huber-weighted); with
    `curved` false, straight lines instead, each sloping by where it stands up and across the label. Returns
    (truncated squared residuals, [curve, curve_slope, tilt, tilt_slope], each line's level at the axis)."""
    n_lines = int(pts.line.max()) + 1
    d = (pts.x - axis_x) / pts.width
    p = _sag(d, radius / pts.width)
    counts = np.bincount(pts.line, minlength=n_lines)
    level = np.bincount(pts.line, pts.y, n_lines) / counts
    weight = np.ones_like(pts.x)
    cap = HUBER * pts.x_height
    coef = np.zeros(4)
    residual = pts.y - level[pts.line]
    middle = (np.bincount(pts.line, d, n_lines) / counts)[pts.line]
    for _ in range(iterations):
        c = ((level - pts.height / 2) / pts.height)[pts.line]
        # straight lines slope by where they stand: up or down the label (c), and across it (their middle), as
        # lines converging on a near vanishing point do in a photo taken at an angle: two lines at the same
        # height, left and right, slope differently, which a curve fits in part and one slope per height does not
        columns = [p, c * p, d, c * d] if curved else [d, c * d, middle * d]
        X = np.stack(columns, axis=1)
        total = np.bincount(pts.line, weight, n_lines)
        X_mean = np.stack([np.bincount(pts.line, weight * col, n_lines) for col in X.T], axis=1) / total[:, None]
        y_mean = np.bincount(pts.line, weight * pts.y, n_lines) / total
        Xd, yd = X - X_mean[pts.line], pts.y - y_mean[pts.line]
        root_w = np.sqrt(weight)
        solution, *_ = np.linalg.lstsq(Xd * root_w[:, None], yd * root_w, rcond=None)
        residual = yd - Xd @ solution
        level = y_mean - X_mean @ solution
        weight = np.minimum(1.0, cap / np.maximum(np.abs(residual), 1e-9))
        coef = solution if curved else np.concatenate([[0.0, 0.0], solution[:2]])
    cost = float(np.sum(np.minimum(residual * residual, (2 * cap) ** 2)))
    return cost, coef, level


def _model(pts: LinePoints, axis_x: float, radius: float, coef: np.ndarray) -> CylinderFit:
    """A CylinderFit in work pixels (its evidence fields still zero)."""
    return CylinderFit(axis_x, radius, *coef, float(pts.width), float(pts.height), pts.x_height)


def _search(pts: LinePoints, axes: np.ndarray, radii: np.ndarray, start: tuple[float, float] | None = None,
            steps: tuple[float, ...] = ()) -> tuple[float, CylinderFit]:
    """The axis and radius (work px) whose cylinder fits the lines best: on a grid (shares of the width; an
    infinite radius is a parabola), then refined by local steps. Returns (cost, model)."""
    W = pts.width
    trials = [(a * W, r * W) for a in axes for r in radii]
    if start is not None:
        trials.append(start)
    best = (math.inf, 0.0, math.inf, np.zeros(4))
    for axis, radius in trials:
        cost, coef, _ = _fit_at(pts, axis, radius)
        if cost < best[0]:
            best = (cost, axis, radius, coef)
    for step in steps:
        for _ in range(REFINE_ROUNDS):
            _, axis, radius, _ = best
            for da in (-step * W, 0.0, step * W):
                for fr in (1 - 3 * step, 1.0, 1 + 3 * step):
                    if da == 0.0 and fr == 1.0:
                        continue
                    cost, coef, _ = _fit_at(pts, axis + da, radius * fr)
                    if cost < best[0]:
                        best = (cost, axis + da, radius * fr, coef)
    return best[0], _model(pts, best[1], best[2], best[3])


def _bow(pts: LinePoints, model: CylinderFit) -> float:
    """How far the model bends the traced lines away from their chords, in x-heights: the BOW_QUANTILE, over the
    lines, of each line's bow over its own length (the evidence that the text is curved at all)."""
    n = int(pts.line.max()) + 1
    left = np.full(n, np.inf)
    right = np.full(n, -np.inf)
    np.minimum.at(left, pts.line, pts.x)
    np.maximum.at(right, pts.line, pts.x)
    level = np.bincount(pts.line, model.flat_v(pts.x, pts.y), n) / np.bincount(pts.line, minlength=n)
    ends = model.source_y(left, level), model.source_y(right, level)
    middle = model.source_y((left + right) / 2, level)
    return float(np.quantile(np.abs(middle - (ends[0] + ends[1]) / 2), BOW_QUANTILE)) / pts.x_height


def fit_cylinder(image: Image.Image) -> CylinderFit | None:
    """The cylinder that straightens the image's text lines, in the image's pixels, with its evidence (bow, gain);
    None when too few text lines are found, or when the curve found lies beside the print (see
    MIN_PRINT_ON_BOTTLE). When every traced line finds no clear curve (see CLEAR_GAIN), the lines that stand out
    like print are fitted on their own (texture beside a bottle can outnumber the label's lines; see
    MIN_CONTRAST), and that fit is taken when it shows a curve more clearly."""
    gray, f = _work_copy(image)
    size = (gray.shape[1], gray.shape[0])
    pieces = _ink_pieces(gray)
    model = _fit_lines(pieces, size)
    if model is not None and model.gain < CLEAR_GAIN:
        print_model = _fit_lines(pieces, size, print_only=True)
        if (print_model is not None and _curved(print_model)
                and (not _curved(model) or print_model.gain > model.gain)):
            model = print_model
    if model is None:
        return None
    if _curved(model):
        share, model.print_box = _print_on_bottle(pieces, size, model)
        if share < MIN_PRINT_ON_BOTTLE:
            return None
    return model.scaled(1 / f)


def _print_on_bottle(pieces: dict[str, np.ndarray], size: tuple[int, int],
                     model: CylinderFit) -> tuple[float, tuple[float, float, float, float] | None]:
    """The share of the points of the lines that stand out like print that lie within the bottle's span, and
    the box of those points (see CylinderFit.print_box)."""
    pts = _trace_lines(pieces, size, print_only=True)
    if pts is None:
        return 1.0, None
    inside = _in_span(pts, model)
    if not inside.any():
        return 0.0, None
    x, v = pts.x[inside], model.flat_v(pts.x[inside], pts.y[inside])
    return float(inside.mean()), (float(x.min()), float(v.min()), float(x.max()), float(v.max()))


def _fit_lines(pieces: dict[str, np.ndarray], size: tuple[int, int], print_only: bool = False) -> CylinderFit | None:
    """The cylinder for the traced lines (work pixels; see `_trace_lines`). A quick coarse fit first: when it
    finds no clear curve (see CLEAR_GAIN), it is tried again without the lines it cannot hold (texture beside a
    bottle, see `_pruned_search`), and when that finds none either, the first fit is refined if it shows a
    curve at all, else returned as it is."""
    pts = _trace_lines(pieces, size, print_only=print_only)
    if pts is None:
        return None
    model = _fit_all(pts)
    pruned = False
    if model.gain < CLEAR_GAIN:
        pruned_model = _pruned_search(pts)
        if _curved(pruned_model):
            model, pruned = pruned_model, True
        elif not _curved(model):
            return model
    followed = _trace_lines(pieces, size, model, print_only)
    if followed is None:
        return model
    start = (model.axis_x, model.radius)
    return _pruned_search(followed, start, REFINE_STEPS) if pruned else _fit_all(followed, start, REFINE_STEPS)


def _curved(model: CylinderFit) -> bool:
    """Whether a fit's evidence shows a curve (see MIN_GAIN, MIN_BOW)."""
    return model.gain >= MIN_GAIN and model.bow >= MIN_BOW


def _fit_all(pts: LinePoints, start: tuple[float, float] | None = None,
             steps: tuple[float, ...] = ()) -> CylinderFit:
    """The best cylinder for every traced line (see `_search`), with its evidence against straight lines."""
    straight, _, _ = _fit_at(pts, pts.width / 2, math.inf, curved=False)
    cost, model = _search(pts, COARSE_AXES, COARSE_RADII, start, steps)
    model.gain, model.bow = straight / max(cost, 1e-9), _bow(pts, model)
    return model


def _pruned_search(pts: LinePoints, start: tuple[float, float] | None = None,
                   steps: tuple[float, ...] = ()) -> CylinderFit:
    """The best cylinder (see `_search`), fitted again without the lines it cannot hold (see `_lines_on`), with
    its evidence over the lines kept that lie within the bottle's span (see `_evidence`)."""
    _, model = _search(pts, COARSE_AXES, COARSE_RADII, start, steps)
    for _ in range(MAX_PRUNES):
        kept = _lines_on(pts, model)
        if kept is None or len(kept.x) == len(pts.x):
            break
        pts = kept
        _, model = _search(pts, COARSE_AXES, COARSE_RADII, (model.axis_x, model.radius), steps)
    model.gain, model.bow = _evidence(pts, model)
    return model


def _lines_on(pts: LinePoints, model: CylinderFit) -> LinePoints | None:
    """The traced lines that lie on the fitted cylinder: within the bottle's span, and straight once flattened
    (see MAX_OFF_LINE); None when fewer than MIN_LINES are."""
    n = int(pts.line.max()) + 1
    count = np.bincount(pts.line, minlength=n)
    v = model.flat_v(pts.x, pts.y)
    level = np.bincount(pts.line, v, n) / count
    off = np.bincount(pts.line, np.abs(v - level[pts.line]) > OFF_LINE * pts.x_height, n) / count
    outside = np.bincount(pts.line, ~_in_span(pts, model), n) / count
    on = (off <= MAX_OFF_LINE) & (outside <= MAX_OFF_LINE)
    if np.count_nonzero(on) < MIN_LINES:
        return None
    return pts.subset(on[pts.line])


def _in_span(pts: LinePoints, model: CylinderFit) -> np.ndarray:
    """Which points lie within SPAN of the bottle's radius from its axis (all, for a parabola)."""
    if not math.isfinite(model.radius):
        return np.ones(len(pts.x), dtype=bool)
    return np.abs(pts.x - model.axis_x) < SPAN * model.radius


def _evidence(pts: LinePoints, model: CylinderFit) -> tuple[float, float]:
    """(gain, bow) of the model over the traced lines within the bottle's span, those straight lines are
    compared on (texture beside a bottle is fitted at no cost by straight lines, by no cylinder)."""
    inside = _in_span(pts, model)
    count = np.bincount(pts.line[inside], minlength=int(pts.line.max()) + 1)
    keep = inside & (count[pts.line] >= MIN_LINE_PIECES)
    if np.count_nonzero(count >= MIN_LINE_PIECES) < MIN_LINES:
        return 0.0, 0.0
    held = pts.subset(keep)
    straight, _, _ = _fit_at(held, held.width / 2, math.inf, curved=False)
    cost, _, _ = _fit_at(held, model.axis_x, model.radius)
    return straight / max(cost, 1e-9), _bow(held, model)


def flattening_maps(fit: CylinderFit, size: tuple[int, int],
          widen: bool = True) -> tuple[np.ndarray, np.ndarray, tuple[float, float]]:
    """cv2.remap maps (float32) of the flattened image and the (u, v) of its top-left pixel: its columns span the
    bottle within MAX_ANGLE of the camera (and the image), widened back round it (or the image's own columns
    unless `widen`), its rows every label line that shows anywhere in the image."""
    W, H = size
    if widen and math.isfinite(fit.radius):
        def turn(x: float) -> float:
            return math.asin(max(-1.0, min(1.0, (x - fit.axis_x) / fit.radius)))
        lo = fit.axis_x + fit.radius * max(-MAX_ANGLE, turn(0.0))
        hi = fit.axis_x + fit.radius * min(MAX_ANGLE, turn(W))
    else:
        lo, hi = 0.0, float(W)
    u = np.arange(math.floor(lo), math.ceil(hi), dtype=np.float64)
    if u.size == 0:
        u = np.array([0.0])
    x = fit.source_x(u) if widen else u
    v_top = fit.flat_v(x, np.zeros_like(x)).min()
    v_bottom = fit.flat_v(x, np.full_like(x, H)).max()
    v_top, v_bottom = max(v_top, -MAX_GROWTH * H), min(v_bottom, (1 + MAX_GROWTH) * H)
    v = np.arange(math.floor(v_top), max(math.ceil(v_bottom), math.floor(v_top) + 1), dtype=np.float32)
    # source_y is linear in v for each column: y = v·slope(x) + offset(x)
    y0 = fit.source_y(x, np.zeros_like(x)).astype(np.float32)
    slope = fit.source_y(x, np.ones_like(x)).astype(np.float32) - y0
    map_y = v[:, None] * slope[None, :] + y0[None, :]
    map_x = np.broadcast_to(x.astype(np.float32)[None, :], map_y.shape)
    return np.ascontiguousarray(map_x), map_y, (float(u[0]), float(v[0]))


def even_shading(pixels: np.ndarray) -> np.ndarray:
    """Undo the bottle's shading in a flattened label: light falls off round a cylinder, so once flattened the
    paper darkens column by column toward the edges (which flattening also widens), and tesseract's global
    threshold loses the text there. Every column is brightened so its paper matches the brightest column's."""
    gray = pixels if pixels.ndim == 2 else cv2.cvtColor(pixels, cv2.COLOR_RGB2GRAY)
    step = max(1, max(gray.shape) // 800)
    paper = np.percentile(gray[::step, ::step], SHADE_QUANTILE, axis=0).astype(np.float32)
    k = max(3, int(SHADE_SMOOTH * paper.size) | 1)
    paper = cv2.medianBlur(paper.reshape(1, -1), 5).ravel() if paper.size > 5 else paper
    paper = cv2.GaussianBlur(paper.reshape(1, -1), (k, 1), 0).ravel()
    gain = np.clip(paper.max() / np.maximum(paper, 1.0), 1.0, MAX_BRIGHTEN)
    gain = cv2.resize(gain.reshape(1, -1), (gray.shape[1], 1), interpolation=cv2.INTER_LINEAR).ravel()
    band = np.ascontiguousarray(np.broadcast_to(gain.reshape((1, -1) + (1,) * (pixels.ndim - 2)),
                                                (min(SHADE_BAND, pixels.shape[0]),) + pixels.shape[1:]))
    out = np.empty_like(pixels)
    for top in range(0, pixels.shape[0], SHADE_BAND):  # in bands: a float copy of a large photo is costly
        rows = pixels[top:top + SHADE_BAND]
        out[top:top + SHADE_BAND] = cv2.multiply(rows, band[:rows.shape[0]], dtype=cv2.CV_8U)
    return out


def flatten_cylinder(image: Image.Image, *, widen: bool = True,
                     even_light: bool = True) -> tuple[Image.Image, CylinderFit] | None:
    """The label flattened and the fit, or None when the text lines are already straight (a flat label, a scan)
    or too few text lines are found. Flattened: the text lines straight and level; with `widen`, the letters
    squeezed toward the bottle's edges widened back; with `even_light`, the bottle's shading evened out.
    The result is "L" for an "L" image, else "RGB"."""
    fit = fit_cylinder(image)
    if fit is None or not _curved(fit):
        return None
    map_x, map_y, fit.origin = flattening_maps(fit, image.size, widen)
    fit.widened = widen
    if map_x.shape[0] > MAX_GROWTH * image.height or map_x.shape[1] > MAX_GROWTH * image.width:
        return None
    if image.mode not in ("L", "RGB"):
        image = image.convert("RGB")
    flat = cv2.remap(np.asarray(image), map_x, map_y, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    if even_light:
        flat = even_shading(flat)
    return Image.fromarray(flat), fit
