"""Shield- and badge-shaped marks found by shape: compact convex outlines (pentagon-like shields, rounded boxes)."""

from __future__ import annotations

from dataclasses import dataclass

import cv2
import numpy as np

from ..model import BBox
from .seal_rings import Ring, channel_edges

WORK_SIZE = 1000
"""Long side (px) of the downscaled copy the outline search runs on."""
OUTLINE_CANNY = (40, 120)
"""Canny thresholds for a mark's outline."""
MIN_WIDTH = 0.04
"""Narrowest mark, as a share of the image's long side (a seal is some 5–30 % of a label's width, and a label
may fill only half a photo: a 123 px badge in a deskewed photo 2,880 px long, 4.3 %; the letters of a brand
name 48 px high in artwork 900 px wide, 3.6 %, can pass every other test of a badge's outline)..."""
LONG_SIDE_CAP = 1.4
"""...in a label unrolled from a bottle, that side taken as at most this many times the short one: unrolled
from a wide bottle, the photo's full height is some three times the label's width, and its seals are no
bigger for it. (In flat artwork as wide as three heights, the long side is the label's width: kept.)"""
MAX_WIDTH = 0.4
"""Widest mark, as a share of the image's width (wider is a panel, a band or the label itself)."""
MIN_ASPECT, MAX_ASPECT = 0.55, 4.0
"""Width / height of a mark: a shield stands a little taller than wide, a badge lies up to four times wider."""
MIN_SOLIDITY = 0.93
"""Area of the outline / area of its convex hull: a mark's outline is convex (letters and texture are not)."""
TIP_HEIGHT = 0.08
"""A shield's rounded tip: its corners lie within this share of the mark's height of the lowest one."""
POLY_EPSILON = 0.015
"""approxPolyDP tolerance, as a share of the outline's perimeter, for counting a mark's corners..."""
COARSE_POLY_EPSILON = 0.02
"""...and the coarser one tried when that leaves more than eight: a small shield's rounded shoulders and
curved sides, at a photo's low resolution, leave nine corners at the finer one (a 67 px shield seen: six
at this one)."""
SIDE_OVER_CORNER = 1.5
"""A rounded rectangle's four sides are each at least this many times longer than its other sides (the
short ones its rounded corners leave)..."""
CORNER_REACH = 0.15
"""...and where they meet lies within this share of its size outside its outline's box."""
MAX_OFF_POLYGON = 0.05
"""Mean distance of the outline from its polygon, as a share of the mark's size: the sides are straight."""
MIN_STRAIGHT = 0.7
"""Share of the outline's perimeter on sides at least SIDE_SHARE of it long: rounded rectangles and shields
have long straight sides, a circle or ellipse (left to the ring finder) has none."""
SIDE_SHARE = 0.09
"""Shortest side (share of the perimeter) counted as a straight side."""
MAX_ROUND_RESIDUAL = 0.025
"""Mean distance of the outline from the ellipse fitted to it, as a share of its size, below which the outline
is round: a ring or disc, left to the ring finder."""
FRAME_INSET = 0.08
"""The outline is pulled in by this share of the mark's size before its inside is looked at (drops the edge)."""
FRAME_SPAN = 0.75
"""An ink shape spanning this share of the inside both across and down is a frame line (a shield's inset
outline), not a letter."""
EDGE_LINE_SPAN = 0.4
"""An ink shape touching the trimmed edge and spanning this share of the mark one way is a piece of a frame
line (a tilted shield's inset outline, cut by the trim), not a letter."""
MAX_TOUCHING = 0.5
"""Most of a mark's letters stand clear of its edge (pulled in by FRAME_INSET): a word's own outline, its
letters merged by the edge finder, runs round them all."""
MIN_INK, MAX_INK = 0.02, 0.45
"""Share of a mark's inside covered by its letters: a mark is words on a plain ground."""
MAX_LINES = 6
"""Most lines of text a mark holds (a panel or a paragraph in a box holds more)."""
MIN_LINE_HEIGHT = 0.06
"""Height of a mark's main lines of words, as a share of its height (a panel's or a paragraph's are smaller)."""
LINE_VALLEY = 0.08
"""A row holding less ink than this share of the fullest row parts two lines (blurred or slightly tilted
lines touch, leaving no empty row between them)."""
MAX_LINE_HEIGHT = 0.5
"""Tallest line of a mark's words, as a share of its height (its big name in a shield stays well below)."""
GRID_CELL = 0.03
"""A hole of a frame line this share of the mark's area or larger is a cell: two make the frame a grid."""
MAX_SMALL_PRINT = 0.4
"""Share of a mark's ink that may lie in lines lower than MIN_LINE_HEIGHT ("Dietary Supplement" under the name)."""
MAX_OFF_CENTRE, CENTRE_SLACK = 0.4, 0.05
"""A mark's text lines are centred: left and right margins differ by at most MAX_OFF_CENTRE of their sum, or
by CENTRE_SLACK of the mark's width (a line that fills the width), or by MARGIN_PX: in a small mark photographed
at an angle, blur, the perspective and the trim move each margin by a few pixels (7 px seen in a 125 px badge,
9 px in a 196 px one); a paragraph's ragged lines in a box differ by tens of pixels (25 px and more seen)."""
MARGIN_PX = 12
MAX_WORD_GAP = 2.0
"""Widest gap inside a line of a mark's words, in line heights (wider ones part the columns of a table)."""
RULE_SPAN, RULE_ASPECT = 0.5, 8.0
"""A rule: an ink line at least RULE_SPAN of the mark long and RULE_ASPECT times longer than thick."""
WORD_HOLES = 2
"""A long thin shape enclosing this many holes or more is a word whose letters ran together ("o", "e", "a"
and "b" each enclose one, if only a pixel in small print), not a rule: a printed rule is solid."""
MAX_RULES = 1
"""A mark may hold a rule (a line under its name); a table holds more."""
THIN_PIECE = 4.0
"""A shape at least this many times taller than wide, touching the mark's edge at a line's end, is a piece of
a frame line's side (a mark's letters stand clear of its edge)."""
EDGE_SLIVER = 0.1
"""A 'line' this thin (a share of the mark's height) along the top or bottom of its inside is a sliver of the
frame (a small rounded badge squared on keeps one), not words."""
MINOR_LINE = 0.05
"""A 'line' holding less than this share of a mark's ink is a speck or a stray bit of the edge, not words."""


@dataclass(frozen=True)
class Badge:
    """A shield- or badge-shaped mark: its box and outline (image pixels), and which shape it was taken for."""

    bbox: BBox
    contour: np.ndarray
    """The outline polygon (N × 2, float32, image pixels)."""
    shape: str
    """'shield' (a pointed bottom) or 'badge' (a rectangle, maybe rounded or seen in perspective)."""
    quad: np.ndarray | None = None
    """A badge's four corners (4 × 2, image pixels), for undoing its perspective; None for a shield."""


def _polygon(hull: np.ndarray, perimeter: float) -> np.ndarray:
    """The outline's hull simplified to its corners (N × 2, float32): at POLY_EPSILON, or at
    COARSE_POLY_EPSILON when that leaves more than eight."""
    poly = cv2.approxPolyDP(hull, POLY_EPSILON * perimeter, True)
    if len(poly) > 8:
        poly = cv2.approxPolyDP(hull, COARSE_POLY_EPSILON * perimeter, True)
    return poly.reshape(-1, 2).astype(np.float32)


def _straight_share(poly: np.ndarray, perimeter: float) -> float:
    """Share of the perimeter that lies on long sides of the polygon."""
    sides = np.hypot(*(np.roll(poly, -1, axis=0) - poly).T)
    return float(sides[sides >= SIDE_SHARE * perimeter].sum() / max(perimeter, 1e-6))


def _shape_of(poly: np.ndarray) -> str:
    """'shield' when the lowest corner (or the corners of a rounded tip, all within TIP_HEIGHT of the lowest)
    stands alone near the middle, pointing down; else 'badge'."""
    ys = poly[:, 1]
    x0, x1 = poly[:, 0].min(), poly[:, 0].max()
    y0, y1 = ys.min(), ys.max()
    tip = ys >= y1 - TIP_HEIGHT * (y1 - y0)
    if tip.all():
        return "badge"
    tip_x = poly[tip, 0]  # a rounded tip's corners straddle the middle (one seen in perspective, not evenly)
    middle = abs(tip_x.mean() - (x0 + x1) / 2) < 0.2 * (x1 - x0) and np.ptp(tip_x) < 0.4 * (x1 - x0)
    alone = (y1 - ys[~tip].max()) > 0.2 * (y1 - y0)
    return "shield" if middle and alone else "badge"


def _off_polygon(contour: np.ndarray, poly: np.ndarray) -> float:
    """Mean distance (px) of the outline's points from the polygon's sides."""
    closed = poly.astype(np.float32).reshape(-1, 1, 2)
    points = contour.reshape(-1, 2).astype(np.float32)
    step = max(1, len(points) // 200)
    return float(np.mean([abs(cv2.pointPolygonTest(closed, (float(x), float(y)), True)) for x, y in points[::step]]))


def _round(contour: np.ndarray, size: float) -> bool:
    """Whether the outline is an ellipse (a round mark) rather than a polygon."""
    points = contour.reshape(-1, 2).astype(np.float32)
    if len(points) < 12:
        return False
    (ex, ey), (ew, eh), deg = cv2.fitEllipse(points)
    if min(ew, eh) <= 0:
        return False
    angle = np.radians(deg)
    dx, dy = points[:, 0] - ex, points[:, 1] - ey
    u = (dx * np.cos(angle) + dy * np.sin(angle)) / (ew / 2)
    v = (-dx * np.sin(angle) + dy * np.cos(angle)) / (eh / 2)
    residual = np.abs(np.hypot(u, v) - 1.0) * min(ew, eh) / 2
    return float(residual.mean()) < MAX_ROUND_RESIDUAL * size


def _text_lines(ink: np.ndarray) -> list[tuple[int, int]]:
    """(top, bottom) rows of the runs of rows holding more than a trace of ink (see LINE_VALLEY)."""
    counts = ink.sum(axis=1)
    if not counts.size:
        return []
    rows = counts > LINE_VALLEY * counts.max()
    edges = np.flatnonzero(np.diff(np.concatenate([[0], rows.astype(np.int8), [0]])))
    return [(int(a), int(b)) for a, b in zip(edges[::2], edges[1::2])]


def _corners(poly: np.ndarray) -> np.ndarray:
    """The four corners of a quadrilateral in the order top-left, top-right, bottom-right, bottom-left."""
    centre = poly.mean(axis=0)
    order = np.argsort(np.arctan2(poly[:, 1] - centre[1], poly[:, 0] - centre[0]))  # clockwise from the left
    quad = poly[order]
    start = int(np.argmin(quad.sum(axis=1)))  # the top-left corner has the smallest x + y
    return np.roll(quad, -start, axis=0).astype(np.float32)


def _crossing(a0: np.ndarray, a1: np.ndarray, b0: np.ndarray, b1: np.ndarray) -> np.ndarray | None:
    """Where the line through a0, a1 crosses the line through b0, b1 (None for parallel lines)."""
    da, db = a1 - a0, b1 - b0
    denominator = da[0] * db[1] - da[1] * db[0]
    if abs(denominator) < 1e-9:
        return None
    t = ((b0[0] - a0[0]) * db[1] - (b0[1] - a0[1]) * db[0]) / denominator
    return a0 + t * da


def _meeting_sides(poly: np.ndarray) -> np.ndarray | None:
    """The corners where the outline's four longest sides, extended, meet: a rounded rectangle's own corners,
    which the short sides its rounded corners leave cut off (squared on from those, the frame line runs into
    the words). None unless four sides stand out (see SIDE_OVER_CORNER) and their corners lie near the outline
    (see CORNER_REACH)."""
    n = len(poly)
    if n <= 4:
        return None
    lengths = np.hypot(*(np.roll(poly, -1, axis=0) - poly).T)
    ranked = np.sort(lengths)
    if ranked[-4] < SIDE_OVER_CORNER * ranked[-5]:
        return None
    sides = sorted(np.argsort(lengths)[-4:])  # in order round the outline
    corners = []
    for a, b in zip(sides, sides[1:] + sides[:1]):
        corner = _crossing(poly[a], poly[(a + 1) % n], poly[b], poly[(b + 1) % n])
        if corner is None:
            return None
        corners.append(corner)
    quad = np.array(corners, np.float32)
    low, high = poly.min(axis=0), poly.max(axis=0)
    reach = CORNER_REACH * float(min(high - low))
    if (quad < low - reach).any() or (quad > high + reach).any():
        return None
    return quad


NO_QUAD = np.zeros((0, 2), np.float32)
"""No way of squaring the outline on showed a mark's inside."""


def _quads(poly: np.ndarray) -> list[np.ndarray | None]:
    """The ways to square a badge's outline on, in turn: from the corners of the outline simplified to four
    (None when it does not come down to four: then from its box), and from where its four long sides meet
    (see `_meeting_sides`): squared on from the first, a small badge's thick frame is trimmed away well, but
    a larger one seen at an angle keeps a piece of it beside its words (seed 43); from the second, the other
    way round."""
    quads = [_quad(poly)]
    if (met := _meeting_sides(poly)) is not None:
        quads.append(met)
    return quads


def _quad(poly: np.ndarray) -> np.ndarray | None:
    """The four corners of a (maybe rounded, maybe foreshortened) rectangle: the outline simplified until
    four corners are left; None when it does not come down to four."""
    perimeter = cv2.arcLength(poly.reshape(-1, 1, 2), True)
    for share in (0.0, 0.03, 0.05, 0.08):
        quad = cv2.approxPolyDP(poly.reshape(-1, 1, 2), share * perimeter, True).reshape(-1, 2) if share else poly
        if len(quad) == 4:
            return quad.astype(np.float32)
        if len(quad) < 4:
            return None
    return None


def square_on(gray: np.ndarray, poly: np.ndarray, quad: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The mark turned square-on (the perspective of a badge's corners `quad` undone; without them, the
    outline's box as it stands: the page is already deskewed), and the mark's inside in that patch as a
    mask (255 inside)."""
    poly = poly.astype(np.float32)
    if quad is not None:
        tl, tr, br, bl = _corners(quad)
        width = (np.hypot(*(tr - tl)) + np.hypot(*(br - bl))) / 2
        height = (np.hypot(*(bl - tl)) + np.hypot(*(br - tr))) / 2
        source = np.array([tl, tr, br, bl], np.float32)
    else:  # a shield's minimum-area rectangle may lie along a slanting side: keep it as it stands
        x0, y0 = poly.min(axis=0)
        x1, y1 = poly.max(axis=0)
        width, height = x1 - x0, y1 - y0
        source = np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], np.float32)
    target = np.array([[0, 0], [width, 0], [width, height], [0, height]], np.float32)
    matrix = cv2.getPerspectiveTransform(source, target)
    size = (max(1, int(round(width))), max(1, int(round(height))))
    patch = cv2.warpPerspective(gray, matrix, size, flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    outline = cv2.perspectiveTransform(poly.reshape(-1, 1, 2), matrix).reshape(-1, 2)
    mask = np.zeros(patch.shape, np.uint8)
    cv2.fillPoly(mask, [np.round(outline).astype(np.int32)], 255)
    return patch, mask


def _holes(component: np.ndarray, min_area: float) -> int:
    """How many holes of at least `min_area` pixels a connected ink shape encloses."""
    contours, hierarchy = cv2.findContours(component.astype(np.uint8), cv2.RETR_CCOMP, cv2.CHAIN_APPROX_SIMPLE)
    if hierarchy is None:
        return 0
    return sum(1 for c, h in zip(contours, hierarchy[0]) if h[3] >= 0 and cv2.contourArea(c) >= min_area)


def _frames(ink: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool]:
    """Connected ink shapes: labels, stats, which are frame lines (spanning the mark both ways), and whether
    one of those is a grid (a table's ruling, enclosing several cells) rather than an outline round the words."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(ink.astype(np.uint8), connectivity=8)
    mh, mw = mask.any(axis=1).sum(), mask.any(axis=0).sum()
    frame = (stats[:, 2] >= FRAME_SPAN * mw) & (stats[:, 3] >= FRAME_SPAN * mh)
    frame[0] = False
    grid = any(_holes(labels == i, GRID_CELL * mh * mw) > 1 for i in np.flatnonzero(frame))
    return labels, stats, frame, grid


def _ink(crop: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, int, bool]:
    """The ink inside the mask (the minority side of an Otsu threshold there), the threshold, and whether the
    ground is the light side."""
    inside = crop[mask > 0]
    level, _ = cv2.threshold(inside.reshape(-1, 1), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    dark = (crop <= level) & (mask > 0)
    light_ground = dark.sum() <= 0.5 * inside.size
    return (dark if light_ground else (crop > level) & (mask > 0)), int(level), bool(light_ground)


def words_patch(gray: np.ndarray, badge: Badge, inset_share: float) -> np.ndarray | None:
    """The mark square-on as dark words on a light ground, for OCR: its outline trimmed off (`inset_share` of
    its size) and any frame line inside (a shield's inset outline, or the pieces of it the trim cut)
    painted over with the ground; None when too little is left."""
    patch, mask = square_on(gray, badge.contour, badge.quad)
    inset = max(1, int(inset_share * min(patch.shape)))
    mask = cv2.erode(mask, np.ones((2 * inset + 1, 2 * inset + 1), np.uint8), borderType=cv2.BORDER_CONSTANT,
                     borderValue=0)
    if (mask > 0).sum() < 100:
        return None
    ink, _, light_ground = _ink(patch, mask)
    ground_pixels = patch[(mask > 0) & ~ink]
    ground = int(np.median(ground_pixels)) if ground_pixels.size else 255 * light_ground
    labels, stats, frame, _ = _frames(ink, mask)
    edge = cv2.dilate(255 - mask, np.ones((3, 3), np.uint8), borderType=cv2.BORDER_CONSTANT, borderValue=255) > 0
    mh, mw = mask.any(axis=1).sum(), mask.any(axis=0).sum()
    long = (stats[:, 2] >= EDGE_LINE_SPAN * mw) | (stats[:, 3] >= EDGE_LINE_SPAN * mh)
    on_edge = np.zeros(len(stats), bool)
    on_edge[np.unique(labels[edge & ink])] = True
    frame |= long & on_edge
    frame[0] = False
    out = patch.copy()
    out[mask == 0] = ground
    if frame.any():
        out[cv2.dilate(frame[labels].astype(np.uint8), np.ones((5, 5), np.uint8)) > 0] = ground
    if not light_ground:
        out = 255 - out
    return cv2.normalize(out, None, 0, 255, cv2.NORM_MINMAX)


def holds_centred_words(gray: np.ndarray, poly: np.ndarray, quad: np.ndarray | None = None,
                        centred: bool = True) -> bool:
    """Whether the inside of the outline `poly` (image pixels) looks like a mark's: a plain ground with a few
    lines of letters, each centred (unless not `centred`), mostly clear of the edge. A panel, a paragraph in
    a box, a word's own outline or a patch of texture is not."""
    return inside_fault(gray, poly, quad, centred) is None


def _letters(crop: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, float, int]:
    """The letters inside the mask (its ink less any frame line spanning the mark, any thin piece of one left
    along the edge by the trim, see EDGE_LINE_SPAN, and any rule), those of them clear of the mask's edge,
    the share of them that touch it, and the number of rules (long thin lines across or down the mark, as a
    table has; a ruling grid counts as two)."""
    ink, _, _ = _ink(crop, mask)
    labels, stats, frame, grid = _frames(ink, mask)
    mh, mw = mask.any(axis=1).sum(), mask.any(axis=0).sum()
    cw, ch = stats[:, 2], stats[:, 3]
    rule = ~frame & (((cw >= RULE_SPAN * mw) & (cw >= RULE_ASPECT * ch))
                     | ((ch >= RULE_SPAN * mh) & (ch >= RULE_ASPECT * cw)))
    rule[0] = False
    for i in np.flatnonzero(rule):
        x, y, w, h = stats[i, :4]
        rule[i] = _holes(labels[y:y + h, x:x + w] == i, 0) < WORD_HOLES
    edge = cv2.dilate(255 - mask, np.ones((3, 3), np.uint8), borderType=cv2.BORDER_CONSTANT, borderValue=255) > 0
    touching = np.zeros(len(stats), bool)
    touching[np.unique(labels[edge & ink])] = True
    side = touching & (((ch >= EDGE_LINE_SPAN * mh) & (ch >= RULE_ASPECT * cw))
                       | ((cw >= EDGE_LINE_SPAN * mw) & (cw >= RULE_ASPECT * ch)))
    keep = ~frame & ~rule & ~side & (stats[:, 4] >= 3)
    keep[0] = False
    kept = stats[keep, 4].sum()
    return (keep[labels], (keep & ~touching)[labels], float(stats[keep & touching, 4].sum() / max(1, kept)),
            int((rule & ~side).sum()) + 2 * grid)  # a piece of the frame's side left by the trim is no rule


def _line_columns(band: np.ndarray, clear: np.ndarray) -> np.ndarray:
    """The columns where a line's words stand: its ink, less the shapes at either end of the line that touch
    the mark's edge and stand, together, more than a line height apart from the rest, or are thin upright
    strokes (pieces of a frame line cut by the trim, often several above one another, not letters)."""
    count, labels, stats, _ = cv2.connectedComponentsWithStats(band.astype(np.uint8), connectivity=8)
    left = stats[:, cv2.CC_STAT_LEFT]
    right = left + stats[:, cv2.CC_STAT_WIDTH] - 1
    shapes = sorted(range(1, count), key=lambda i: left[i])
    touching = [not clear[labels == i].any() for i in shapes]
    reach = band.shape[0]

    def apart(run: list[int], rest: list[int], gap: int) -> bool:
        """Pieces of a frame line: as far from the words as a line is high, or thin upright strokes."""
        thin = all(THIN_PIECE * stats[i, cv2.CC_STAT_WIDTH] <= stats[i, cv2.CC_STAT_HEIGHT] for i in run)
        return bool(run and rest) and (gap > reach or thin)

    start = next((k for k, t in enumerate(touching) if not t), len(shapes))  # the run of touching shapes at the left
    run, rest = shapes[:start], shapes[start:]
    if apart(run, rest, min((left[i] for i in rest), default=0) - max((right[i] for i in run), default=0)):
        shapes, touching = rest, touching[start:]
    end = next((k for k, t in enumerate(reversed(touching)) if not t), len(shapes))  # ...and at the right
    run, rest = shapes[len(shapes) - end:], shapes[:len(shapes) - end]
    if apart(run, rest, min((left[i] for i in run), default=0) - max((right[i] for i in rest), default=0)):
        shapes = rest
    return np.flatnonzero(np.isin(labels, shapes).any(axis=0))


def inside_fault(gray: np.ndarray, poly: np.ndarray, quad: np.ndarray | None = None,
                 centred: bool = True) -> str | None:
    """Why the inside of the outline is not a mark's (see `holds_centred_words`), or None when it is."""
    crop, mask = square_on(gray, poly, quad=quad)
    h, w = crop.shape
    if min(h, w) < 12:
        return "too small"
    inset = max(2, int(FRAME_INSET * min(w, h)))
    mask = cv2.erode(mask, np.ones((2 * inset + 1, 2 * inset + 1), np.uint8), borderType=cv2.BORDER_CONSTANT,
                     borderValue=0)
    if (mask > 0).sum() < 100:
        return "too small"
    letters, clear, touched, rules = _letters(crop, mask)
    if rules > MAX_RULES:
        return f"{rules} rules"
    share = letters.sum() / (mask > 0).sum()
    if not MIN_INK <= share <= MAX_INK:
        return f"ink {share:.3f}"
    if touched > MAX_TOUCHING:
        return f"touching {touched:.2f}"
    lines = _text_lines(letters)
    if not 1 <= len(lines) <= MAX_LINES:
        return f"{len(lines)} lines"
    total = letters.sum()
    mh, mw = mask.any(axis=1).sum(), mask.any(axis=0).sum()
    inside_rows = np.flatnonzero(mask.any(axis=1))
    small_print, big_lines = 0, 0
    for top, bottom in lines:
        band = letters[top:bottom]
        if band.sum() < MINOR_LINE * total:
            continue  # a speck, not a line of words
        if (top <= inside_rows[0] + 1 or bottom >= inside_rows[-1]) and bottom - top < EDGE_SLIVER * mh:
            continue  # a sliver of the frame along the inside's top or bottom edge (a small mark squared on)
        if bottom - top > MAX_LINE_HEIGHT * mh:
            return "lines run together"  # a paragraph or a table whose lines touch, not a mark's words
        if bottom - top < MIN_LINE_HEIGHT * mh:
            small_print += int(band.sum())
            continue
        big_lines += 1
        cols = _line_columns(band, clear[top:bottom])
        if len(cols) > 1 and np.diff(cols).max() > MAX_WORD_GAP * (bottom - top):
            return "table columns"
        inside_cols = np.flatnonzero(mask[top:bottom].any(axis=0))
        left, right = cols[0] - inside_cols[0], inside_cols[-1] - cols[-1]
        if centred and abs(left - right) > max(CENTRE_SLACK * mw, MAX_OFF_CENTRE * (left + right), MARGIN_PX):
            return f"off centre {left},{right}"
    if not big_lines:
        return "no line of words"
    if small_print > MAX_SMALL_PRINT * total:
        return "small print"
    return None


def _inside_ring(poly: np.ndarray, rings: list[Ring]) -> bool:
    """Whether the outline lies within a round mark (a box round its centre word): its corners all inside the
    ring. A ring found inside a shield (its inscribed circle) does not hide the shield."""
    return any(np.hypot(poly[:, 0] - r.cx, poly[:, 1] - r.cy).max() < r.outer * 1.1 for r in rings)


def find_badges(gray: np.ndarray, rings: list[Ring] | None = None, colour: np.ndarray | None = None,
                max_badges: int = 8, unrolled: bool = False) -> list[Badge]:
    """Shield- and badge-shaped marks of a grayscale image (its colour version, when given, helps find their
    outlines; `unrolled`: the image is a label unrolled from a bottle, see LONG_SIDE_CAP): closed convex
    outlines with a few straight sides, of a seal's size, holding a few centred lines
    of words, not inside a round mark already found. Nested outlines of one mark (its edge, an inset line)
    give one badge, the outermost."""
    scale = min(1.0, WORK_SIZE / max(gray.shape))
    source = colour if colour is not None else gray
    small = cv2.resize(source, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else source
    height, width = small.shape[:2]
    # closed outlines: edges of each channel (a blue badge on a navy label differs in hue, not brightness)
    contours, _ = cv2.findContours(channel_edges(small, 1.2, OUTLINE_CANNY), cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    long_side = min(max(height, width), LONG_SIDE_CAP * min(height, width)) if unrolled else max(height, width)
    min_w = max(20.0, MIN_WIDTH * long_side)
    candidates: list[tuple[float, tuple[int, int, int, int], np.ndarray]] = []
    for contour in contours:
        x, y, w, h = cv2.boundingRect(contour)
        if not (min_w <= w <= MAX_WIDTH * width and h <= MAX_WIDTH * 1.5 * height
                and MIN_ASPECT <= w / h <= MAX_ASPECT):
            continue
        area = cv2.contourArea(contour)
        hull = cv2.convexHull(contour)
        if area < MIN_SOLIDITY * cv2.contourArea(hull):
            continue
        perimeter = cv2.arcLength(hull, True)
        poly = _polygon(hull, perimeter)
        if not 4 <= len(poly) <= 8 or _straight_share(poly, perimeter) < MIN_STRAIGHT:
            continue
        if _off_polygon(contour, poly) > MAX_OFF_POLYGON * min(w, h) or _round(contour, min(w, h)):
            continue
        candidates.append((area, (x, y, w, h), poly))
    badges: list[Badge] = []
    for _, (x, y, w, h), poly in sorted(candidates, key=lambda c: -c[0]):  # outermost first
        bbox = (int(x / scale), int(y / scale), int(w / scale), int(h / scale))
        cx, cy = bbox[0] + bbox[2] / 2, bbox[1] + bbox[3] / 2
        if any(b.bbox[0] <= cx <= b.bbox[0] + b.bbox[2] and b.bbox[1] <= cy <= b.bbox[1] + b.bbox[3] for b in badges):
            continue  # another outline of a mark already taken
        full = poly / scale
        shape = _shape_of(poly)
        if rings and _inside_ring(full, rings):
            continue
        # a shield's outline is a seal's own (no box of text is shaped so); its emblem (a tick, a leaf) and
        # small words, squared on from a tilted photo, need not stand centred line by line
        quads = _quads(full) if shape == "badge" else [None]
        quad = next((q for q in quads if holds_centred_words(gray, full, q, shape != "shield")), NO_QUAD)
        if quad is NO_QUAD:
            continue
        badges.append(Badge(bbox, full, shape, quad))
        if len(badges) >= max_badges:
            break
    return badges
