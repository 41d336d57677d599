"""Round seals: find rings (circles, or the ellipses a tilted photo makes of them), unwrap the arc text, crop the centre."""

from __future__ import annotations

from dataclasses import dataclass, replace

import cv2
import numpy as np

from ..model import BBox

WORK_SIZE = 900
"""Long side (px) of the downscaled copy the circle search runs on."""
MIN_RADIUS, READABLE_RADIUS = 0.03, 40
"""Smallest radius of a mark sought: MIN_RADIUS of the image's short side, or READABLE_RADIUS px of the image
if that is less (a label far from the camera fills a small part of a large photo, and a seal 80 px across
is still read), and never under 12 px of the search copy."""
SMALL_RADIUS = 0.02
"""After those, marks down to this share of the short side are sought too (a seal some 40 px across in a
low-resolution photo, whose initials may still be read): by a second classic search for radii up to twice the
first one's smallest (over that narrower range its votes pick out small circles the wide search passed over),
its circles fitted after every other one of the same channel (at most MAX_SMALL_FITS), so that they
never change how a larger mark is found there."""
MAX_SMALL_FITS = 40
CLASSIC_VOTES = 40
"""Votes (edge points pointing at one centre) the classic Hough search asks of a circle..."""
SMALL_VOTES = 30
"""...and the small-circle search, fewer: a 30 px dark disc in a low-resolution photo, its blurred rim some
90 px round, got 30 to 40 votes, so no mark was found and its label was given a confident "no seal" (seed 34)."""
LARGE_RADIUS = 100
"""Pixels of the search copy: the classic search seeks larger circles on a half-size copy of it. Its cost grows
with the largest radius sought times the edge pixels around each centre it weighs: on a clean scan's print, radii
up to half the copy's short side took 14 s of a 16 s ring search; split there, under one second in all."""
MIN_SUPPORT = 0.88
"""Share of a ring's circumference (circle or fitted ellipse) that must lie on an edge for it to count."""
UNROLLED_SUPPORT = 0.82
"""MIN_SUPPORT in a label unrolled from a bottle: the unrolling is exact only near the label's middle, so a
mark towards its edge comes out a slightly lopsided ellipse that no fit follows all round."""
COARSE_SUPPORT = 0.3
"""Share of a Hough circle on edges before it is worth fitting an ellipse to: a blurred or tilted ring
seen a few pixels off its true centre still has this much."""
MAX_FITS = 150
"""Most Hough circles fitted per image, best first (bounds the time on a cluttered photo)."""
ALT_PERFECTNESS = 0.8
"""How closely (0–1) a circle must follow its edges for Hough's alternative method to propose it..."""
MAX_ALT_FITS = 40
"""...and at most this many of its circles are fitted (after the classic method's), whatever their share on edges
(COARSE_SUPPORT is for the classic method's many: the alternative method proposes only circles that follow their
edges, a tilted seal's rim among them, Hough's circle round it a little off the ellipse)."""
MAX_RESEEDED = 40
"""Of those, the best ones that get more tries when the first fit does not hold (see `_best_outline`); the
alternative method's circles all do (they are few, and a ring seen at an angle, an ellipse, is often one)."""
MAX_REFITS = 3
"""Times a promising ring that does not hold yet is fitted again from its last fit (each fit starts from the
edges nearest its seed, so one begun a few px off the ring converges onto it step by step)."""
MIN_ALIGNED = 0.85
"""Share of a ring's outline where the brightness changes across the line (the gradient points along the
ring's normal), as it does at a drawn ring and seldom in text that happens to line up along a curve."""
RING_LINE_OUTSIDE = 1.06
"""When a fit holds on edges but fails MIN_ALIGNED (it follows arc letters), it is tried again from a radius
this much larger: the thin ring line just outside the letters."""
RIM_CANNY = (20, 60)
"""Canny thresholds for the colour channels' edges, used only to find the rings round a centre already found
(a dark disc's rim on a dark ground of another hue is a faint step in each channel)."""
SURE_SUPPORT = 0.97
"""A mark whose outline lies on an edge along less than this share of it (or that was found as a lone circle)
may have been fitted to its arc letters mixed with a ring line; a circle round it is then tried as its true
rim, and taken when it holds better (or, for a lone circle, when a second ring is found inside it)."""
RIM_BEYOND = 1.1
"""How much larger than a mark's outline a circle round it must be to be tried as its rim."""
MAX_RIM_TRIES = 3
"""Circles tried as the rim of one doubtful mark."""
EMPTY_BAND = 0.05
"""Share of the points on a circle in a band's middle that lie on an edge, below which (median over the
circles) the band holds no letters; arc text gives 0.5 or more."""
MIN_FLATTENING = 1.5
"""Pixels (in the search copy) by which the minor axis must fall short of the major one for a ring to be
treated as an ellipse: less is within the fit's own error, and turning a small mark by it only blurs it."""
LONE_BAND = 0.62
"""A ring without a second one inside holds its text from this share of its radius out."""
NARROW_BAND = 0.25
"""A text band narrower than this share of the outer radius may be the strip between a seal's rim and a thin
line just inside it; the band out from the next ring in is then read too."""
FINE_RADIUS = 60
"""Radius (px) at which a mark found small in the search copy has its outline fitted again on the image
itself (see `_refined`)..."""
FINE_GAIN = 1.5
"""...when that copy holds it at least this many times larger than the search copy did."""
MIN_RATIO = 0.8
"""Flattest ellipse (minor / major axis) taken as a tilted circle: a print turned about 37° from the camera."""
CENTRE_LINE_LEVELS = 20.0
"""Grey levels by which a circle inside the centre disc, taken over all its angles (the median), must differ from
the disc's ground to be a line drawn round the centre: a word's letters, even a wide one's, cover far fewer than
half the angles round it..."""
CENTRE_LINE_FROM = 0.6
"""...so lines are looked for from this share of the disc's radius outwards (the initials stand inside it)."""
CENTRE_LINE_MARGIN = 0.08
"""Share of a centre line's radius kept clear inside it: a ring's centre is found a pixel or two off."""


@dataclass(frozen=True)
class Ring:
    """A round mark: its centre, the outer radius, the inner radius bounding the arc text, in image pixels.
    In a tilted photo the mark is an ellipse: the radii are along its major axis, `ratio` is minor / major
    and `angle` (radians) the direction of the major axis."""

    cx: float
    cy: float
    outer: float
    inner: float
    support: float
    alternative: tuple[float, float] | None = None
    """Another (inner, outer) band to try: outside a lone circle (the text may lie outside it), or the wider
    band inside a narrow one (see NARROW_BAND)."""
    ratio: float = 1.0
    angle: float = 0.0
    lone: bool = False
    """Found as one circle, without a second ring inside it."""

    @property
    def reach(self) -> float:
        """The radius of the farthest band to read (the alternative one may lie outside the ring)."""
        return max(self.outer, self.alternative[1] if self.alternative else 0.0)

    @property
    def bbox(self) -> BBox:
        r = self.outer
        return (int(self.cx - r), int(self.cy - r), int(2 * r), int(2 * r))


Shape = tuple[float, float, float, float, float]
"""An outline: (cx, cy, major semi-axis, minor / major ratio, angle of the major axis in radians)."""

_ANGLES = np.linspace(0, 2 * np.pi, 180, endpoint=False)
_RAYS = np.linspace(0, 2 * np.pi, 72, endpoint=False)


def _directions(ratio: float, angle: float, params: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Offsets from the centre of the points of a unit-major-axis ellipse at the parameters `params`."""
    u, v = np.cos(params), ratio * np.sin(params)
    ca, sa = np.cos(angle), np.sin(angle)
    return u * ca - v * sa, u * sa + v * ca


def _on_edge(edges: np.ndarray, xs: np.ndarray, ys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which of the points (xs, ys) sit on an edge, and which lie inside the image at all."""
    inside = (xs >= 0) & (xs < edges.shape[1]) & (ys >= 0) & (ys < edges.shape[0])
    hits = np.zeros(xs.shape, dtype=bool)
    hits[inside] = edges[ys[inside], xs[inside]] > 0
    return hits, inside


def _supports(edges: np.ndarray, cx: float | np.ndarray, cy: float | np.ndarray, radii: np.ndarray,
              ratio: float = 1.0, angle: float = 0.0) -> np.ndarray:
    """For each radius (major semi-axis; with arrays of centres, one each), the share of points on that
    circle or ellipse that sit on an edge (0 when it leaves the image)."""
    dx, dy = _directions(ratio, angle, _ANGLES)
    cx, cy, radii = (np.asarray(v, dtype=float).reshape(-1, 1) for v in (cx, cy, radii))
    xs = np.round(cx + radii * dx).astype(int)
    ys = np.round(cy + radii * dy).astype(int)
    hits, inside = _on_edge(edges, xs, ys)
    share = hits.sum(axis=1) / len(_ANGLES)
    share[inside.mean(axis=1) < 0.9] = 0.0
    return share


def _coarse_supports(edges: np.ndarray, circles: np.ndarray) -> np.ndarray:
    """The edge share of many circles (rows x, y, r) at once."""
    xs = np.round(circles[:, :1] + circles[:, 2:3] * np.cos(_RAYS)).astype(int)
    ys = np.round(circles[:, 1:2] + circles[:, 2:3] * np.sin(_RAYS)).astype(int)
    return _on_edge(edges, xs, ys)[0].mean(axis=1)


def _residuals(points: np.ndarray, shape: Shape) -> np.ndarray:
    """Roughly how far (px) each point lies off the ellipse, measured along the ray from its centre."""
    cx, cy, a, ratio, angle = shape
    ca, sa = np.cos(angle), np.sin(angle)
    dx, dy = points[:, 0] - cx, points[:, 1] - cy
    along, across = dx * ca + dy * sa, -dx * sa + dy * ca
    return (np.hypot(along / a, across / (a * ratio)) - 1.0) * a


def _ellipse(points: np.ndarray) -> Shape | None:
    """(cx, cy, major semi-axis, ratio, angle) of the ellipse fitted to the points, refitted without the
    points far off the first fit (letters near the ring pull a plain least-squares fit off centre)."""
    shape = None
    for _ in range(2):
        if len(points) < 12:
            return None
        (ex, ey), (w, h), deg = cv2.fitEllipse(points)
        major, minor = max(w, h) / 2, min(w, h) / 2
        if minor <= 0 or not np.isfinite(major):
            return None
        shape = (float(ex), float(ey), float(major), float(minor / major), float(np.radians(deg if w >= h else deg + 90)))
        off = np.abs(_residuals(points, shape))
        points = points[off <= max(1.5, 2.0 * float(np.median(off)))]
    return shape


def _ray_hits(edges: np.ndarray, cx: float, cy: float, dx: np.ndarray, dy: np.ndarray, radii: np.ndarray) -> np.ndarray:
    """Edge hits (rays x radii) along rays from the centre in the directions (dx, dy)."""
    xs = np.round(cx + np.outer(dx, radii)).astype(int)
    ys = np.round(cy + np.outer(dy, radii)).astype(int)
    return _on_edge(edges, xs, ys)[0]


def _nearest_run_middles(hits: np.ndarray, centre: int) -> np.ndarray:
    """For each row of hits (at least one True), the middle index of the run of hits nearest `centre`: the
    middle of a (thickened) ring line, not its side nearest the current guess."""
    index = np.arange(hits.shape[1])
    distance = np.where(hits, np.abs(index - centre), hits.shape[1] + 1)
    nearest = distance.argmin(axis=1)
    starts = hits & ~np.pad(hits, ((0, 0), (1, 0)))[:, :-1]
    run = np.cumsum(starts, axis=1)
    same = hits & (run == run[np.arange(len(hits)), nearest][:, None])
    return (same * index).sum(axis=1) / same.sum(axis=1)


def _fit_ellipse(edges: np.ndarray, x: float, y: float, r: float) -> Shape | None:
    """(cx, cy, major semi-axis, ratio, angle) of the ring near the circle (x, y, r): along rays from the
    centre take the edge nearest the current estimate, fit an ellipse, repeat with a narrower window."""
    shape = (x, y, r, 1.0, 0.0)
    for window in (0.2, 0.08, 0.04):
        cx, cy, a, ratio, angle = shape
        reach = max(3.0, window * a)
        offsets = np.arange(-reach, reach + 0.5, 1.0)
        dx, dy = _directions(ratio, angle, _RAYS)
        hits = _ray_hits(edges, cx, cy, dx, dy, a + offsets)
        found = hits.any(axis=1)
        if found.mean() < 0.6:
            return None
        middle = a + offsets[0] + _nearest_run_middles(hits[found], int(np.argmin(np.abs(offsets))))
        points = np.stack([cx + dx[found] * middle, cy + dy[found] * middle], axis=1).astype(np.float32)
        fitted = _ellipse(points)
        if fitted is None:
            return None
        ex, ey, major, ratio, _ = fitted
        if ratio < MIN_RATIO or np.hypot(ex - x, ey - y) > 0.3 * r or not 0.7 * r < major < 1.3 * r:
            return None
        shape = fitted
    return shape


_NUDGES = np.array([(ox, oy, dr) for ox in range(-2, 3) for oy in range(-2, 3) for dr in range(-2, 3)], dtype=float)


def _polished(edges: np.ndarray, shape: Shape) -> tuple[Shape, float]:
    """The ellipse moved by up to 2 px (centre) and resized by up to 2 px to where most of it lies on an
    edge, with that support."""
    cx, cy, a, ratio, angle = shape
    support = _supports(edges, cx + _NUDGES[:, 0], cy + _NUDGES[:, 1], a + _NUDGES[:, 2], ratio, angle)
    best = int(np.argmax(support - 1e-6 * np.abs(_NUDGES).sum(axis=1)))  # ties: the smallest move
    ox, oy, dr = _NUDGES[best]
    return (cx + ox, cy + oy, a + dr, ratio, angle), float(support[best])


def _concentric(edges: np.ndarray, cx: float, cy: float, r: float, ratio: float = 1.0,
                angle: float = 0.0, min_support: float = MIN_SUPPORT) -> list[tuple[float, float]]:
    """Radii (with support) of the rings sharing this centre and shape, from 0.3r to 2.8r, local maxima only."""
    radii = np.arange(max(6.0, 0.3 * r), 2.8 * r, 1.0)
    support = _supports(edges, cx, cy, radii, ratio, angle)
    rings: list[tuple[float, float]] = []
    for i, value in enumerate(support):
        if value < min_support:
            continue
        lo, hi = max(0, i - 3), min(len(support), i + 4)
        if value >= support[lo:hi].max():
            if not rings or radii[i] - rings[-1][0] > 4:
                rings.append((float(radii[i]), float(value)))
    return rings


def _text_band(family: list[tuple[float, float]]) -> tuple[float, float, bool]:
    """(inner, outer) radii of the arc-text band of a mark whose rings are `family`: between the outermost
    ring and the next one in, or, with one ring, the outer part of its disc (see LONE_BAND); and whether the
    ring was alone."""
    outer = family[-1][0]
    inner_candidates = [rho for rho, _ in family if 0.4 * outer < rho < 0.85 * outer]
    if inner_candidates:
        return inner_candidates[-1], outer, False
    return LONE_BAND * outer, outer, True


def _wider_band(family: list[tuple[float, float]], inner: float, outer: float,
                scale: float) -> tuple[float, float] | None:
    """When the text band (inner, outer) is narrow and another ring lies further in, the band out from that
    ring, in image pixels: a thin line drawn just inside a seal's rim passes for the band's inner edge, and
    the arc letters lie across it."""
    if outer - inner >= NARROW_BAND * outer:
        return None
    further = [rho for rho, _ in family if 0.4 * outer < rho < inner]
    return (further[-1] / scale, outer / scale) if further else None


def _bands(family: list[tuple[float, float]], scale: float) -> tuple[float, float, tuple[float, float] | None, bool]:
    """The text band's inner and outer radii in image pixels of a mark whose rings, in a copy at `scale`, are
    `family` (see `_text_band`), the alternative band to try, and whether the ring was alone. Without a second
    ring inside, the text may also lie outside the circle found: the rim of a disc whose own edge does not
    stand out from the background."""
    inner, outer, lone = _text_band(family)
    alternative = (outer / scale, 1.6 * outer / scale) if lone else _wider_band(family, inner, outer, scale)
    return inner / scale, outer / scale, alternative, lone


def _edges(small: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The smoothed image and its (slightly thickened) edges."""
    blur = cv2.GaussianBlur(small, (5, 5), 1.5)
    return blur, cv2.dilate(cv2.Canny(blur, 50, 150), np.ones((3, 3), np.uint8))


def _gradient(blur: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The smoothed image's brightness gradient (x, y), for `_aligned`."""
    return cv2.Sobel(blur, cv2.CV_32F, 1, 0), cv2.Sobel(blur, cv2.CV_32F, 0, 1)


def _aligned(gradient: tuple[np.ndarray, np.ndarray], shape: Shape) -> float:
    """Share of rays on which, within 2 px of the outline, the strongest brightness change runs across the
    outline (along the ellipse's normal) rather than along it."""
    gx, gy = gradient
    cx, cy, a, ratio, angle = shape
    dx, dy = _directions(ratio, angle, _RAYS)
    # the normal of the ellipse at each point: the gradient of its implicit equation
    ca, sa = np.cos(angle), np.sin(angle)
    along, across = dx * ca + dy * sa, -dx * sa + dy * ca
    nu, nv = along, across / ratio**2
    nx, ny = nu * ca - nv * sa, nu * sa + nv * ca
    norm = np.hypot(nx, ny)
    nx, ny = nx / norm, ny / norm
    radii = a + np.arange(-2.0, 2.5, 1.0)
    xs = np.clip(np.round(cx + np.outer(dx, radii)).astype(int), 0, gx.shape[1] - 1)
    ys = np.clip(np.round(cy + np.outer(dy, radii)).astype(int), 0, gx.shape[0] - 1)
    vx, vy = gx[ys, xs], gy[ys, xs]
    strongest = np.hypot(vx, vy).argmax(axis=1)
    rows = np.arange(len(_RAYS))
    vx, vy = vx[rows, strongest], vy[rows, strongest]
    across_share = np.abs(vx * nx + vy * ny) / (np.hypot(vx, vy) + 1e-6)
    return float((across_share >= 0.8).mean())


def _holds(gradient: tuple[np.ndarray, np.ndarray], shape: Shape, support: float, needed: float) -> bool:
    """Whether an outline is a mark's: on edges along `needed` of its length, and drawn (see MIN_ALIGNED)."""
    return support >= needed and _aligned(gradient, shape) >= MIN_ALIGNED


def _outline(edges: np.ndarray, fit_to: np.ndarray, x: float, y: float, r: float) -> tuple[Shape, float]:
    """The circle (x, y, r) or, when it holds as well, the ellipse fitted to `fit_to` near it; with its
    support on `edges`."""
    shape = (x, y, r, 1.0, 0.0)
    support = float(_supports(edges, x, y, np.array([r]))[0])
    fitted = _fit_ellipse(fit_to, x, y, r)
    if fitted is not None:  # the fit follows the middle of the ring line: trust it when it holds
        fitted, fitted_support = _polished(edges, fitted)
        if fitted_support >= min(support, MIN_SUPPORT):
            shape, support = fitted, fitted_support
    return shape, support


def _best_outline(edges: np.ndarray, lines: np.ndarray | None, x: float, y: float, r: float) -> tuple[Shape, float]:
    """The outline (see `_outline`) of the Hough circle; when it does not hold and `lines` is given, the one
    fitted to the merged edges (a thick ring line gives two edges a fit may mix up), or that of another ring
    round the same centre (Hough gives one radius per centre, and in a tilted photo it may be no ring's)."""
    shape, support = _outline(edges, edges, x, y, r)
    if support >= MIN_SUPPORT or lines is None:
        return shape, support
    for _ in range(MAX_REFITS):  # Hough's centre may lie a few px off: fit again from the fit's own centre
        other, other_support = _outline(edges, edges, *shape[:3])
        if other_support <= support:
            break
        shape, support = other, other_support
        if support >= MIN_SUPPORT:
            return shape, support
    radii = np.arange(0.6 * r, 1.6 * r, 1.0)
    profile = _supports(edges, x, y, radii)
    peaks = [i for i in range(3, len(radii) - 3) if profile[i] >= 0.45 and profile[i] >= profile[i - 3:i + 4].max()
             and abs(radii[i] - r) > 4]
    seeds = [(fit_to, float(radii[i])) for i in sorted(peaks, key=lambda i: -profile[i])[:2] for fit_to in (edges, lines)]
    for fit_to, radius in [(lines, r), *seeds]:
        other, other_support = _outline(edges, fit_to, x, y, radius)
        if other_support > support:
            shape, support = other, other_support
        if support >= MIN_SUPPORT:
            break
    return shape, support


def _ring_line_outside(edges: np.ndarray, shape: Shape) -> tuple[Shape, float]:
    """For a fit that holds on edges but not on their direction (it follows a band of arc letters): the
    outline fitted from just outside it, where a thin ring line round the letters runs, with its support."""
    return _outline(edges, edges, shape[0], shape[1], shape[2] * RING_LINE_OUTSIDE)


def channel_edges(image: np.ndarray, sigma: float, thresholds: tuple[int, int]) -> np.ndarray:
    """Canny edges of each channel of the image (gray, or colour: a mark may differ from its ground in hue
    more than in brightness), smoothed by `sigma` first and joined across a pixel's gap."""
    channels = [image] if image.ndim == 2 else cv2.split(image)
    edges = np.zeros(image.shape[:2], np.uint8)
    for channel in channels:
        edges |= cv2.Canny(cv2.GaussianBlur(channel, (5, 5), sigma), *thresholds)
    return cv2.dilate(edges, np.ones((3, 3), np.uint8))


def _colour_edges(colour: np.ndarray, scale: float) -> np.ndarray:
    """Edges of each colour channel of the search copy, thickened like `_edges`: a mark's rim may differ from
    the ground in hue more than in brightness (a grey disc on a purple label)."""
    small = cv2.resize(colour, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else colour
    return channel_edges(small, 1.5, RIM_CANNY)


def _band_is_empty(edges: np.ndarray, cx: float, cy: float, inner: float, outer: float, ratio: float,
                   angle: float) -> bool:
    """Whether the middle of the band between two rings holds (almost) no edge: no letters there (its sides
    are the ring lines' own thickened edges)."""
    quarter = (outer - inner) / 4
    radii = np.arange(inner + quarter, outer - quarter + 0.5, 1.0)
    if not len(radii):
        return False
    return float(np.median(_supports(edges, cx, cy, radii, ratio, angle))) < EMPTY_BAND


def _silhouette_outlines(blur: np.ndarray, edges: np.ndarray, x: float, y: float,
                         r: float) -> list[tuple[Shape, float]]:
    """The outlines of the mark's silhouettes near the circle (x, y, r), outermost first, each with its support
    on `edges`: the ellipses fitted to the outer contours of the Otsu-thresholded patch (either polarity: a
    dark disc, and the light disc inside its ring). A filled disc's rim is its outermost silhouette whatever
    letters lie just inside it, where a fit along rays from a centre a few px off takes the letters' edges
    for the rim on one side."""
    _, binary = cv2.threshold(blur, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    shapes: list[Shape] = []
    for mask in (binary, 255 - binary):
        contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_NONE)
        for contour in contours:
            if len(contour) < 20:
                continue
            shape = _ellipse(contour.reshape(-1, 2).astype(np.float32))
            if shape is not None and shape[3] >= MIN_RATIO and np.hypot(shape[0] - x, shape[1] - y) <= 0.3 * r \
                    and 0.7 * r < shape[2] < 1.3 * r:
                shapes.append(shape)
    return [_polished(edges, shape) for shape in sorted(shapes, key=lambda shape: -shape[2])]


def _refined(channel: np.ndarray, ring: Ring, needed: float, scale: float) -> Ring:
    """A mark found small in the search copy (at `scale`) with its outline fitted again on its surroundings cut
    from the image, at up to FINE_RADIUS px of radius: a pixel of error in the search copy is several in the
    image, enough to cut the arc letters, and a tilted photo's ellipse too slight to tell there shows here.
    The finer outline is taken when it holds as well (`needed`); the bands keep their share of the radius.
    When the fit along rays does not hold, the mark's silhouettes are tried, outermost first (see
    `_silhouette_outlines`); when one holds, the search copy's centre was off, and so may its bands be: they
    are found again here."""
    factor = min(1.0, FINE_RADIUS / ring.outer)
    if factor < FINE_GAIN * scale:
        return ring
    margin = int(ring.outer * 1.3) + 4
    x0, y0 = max(0, int(ring.cx) - margin), max(0, int(ring.cy) - margin)
    patch = channel[y0:int(ring.cy) + margin + 1, x0:int(ring.cx) + margin + 1]
    if factor < 1:
        patch = cv2.resize(patch, None, fx=factor, fy=factor, interpolation=cv2.INTER_AREA)
    blur, edges = _edges(patch)
    gradient = _gradient(blur)
    seed = ((ring.cx - x0) * factor, (ring.cy - y0) * factor, ring.outer * factor)

    fitted = _fit_ellipse(edges, *seed)
    outline = None if fitted is None else _polished(edges, fitted)
    bands_moved = False
    if outline is None or not _holds(gradient, *outline, needed):
        outline = next((o for o in _silhouette_outlines(blur, edges, *seed) if _holds(gradient, *o, needed)), None)
        if outline is None:
            return ring
        bands_moved = True
    ex, ey, a, ratio, angle = outline[0]
    if (1.0 - ratio) * a < MIN_FLATTENING:
        ratio, angle = 1.0, 0.0
    grown = float(a / factor / ring.outer)
    inner, alternative, lone = ring.inner * grown, ring.alternative, ring.lone
    if alternative is not None:
        alternative = (alternative[0] * grown, alternative[1] * grown)
    if bands_moved and (family := _drawn(gradient, _concentric(edges, ex, ey, a, ratio, angle, needed),
                                         (ex, ey, ratio, angle))):
        # the outermost ring found is the outline itself, to within a pixel: scaled so it is exactly `a`
        inner, _, alternative, lone = _bands(family, factor * family[-1][0] / a)
    return replace(ring, cx=float(ex / factor + x0), cy=float(ey / factor + y0), outer=float(a / factor),
                   inner=float(inner), alternative=alternative, ratio=float(ratio), angle=float(angle), lone=lone)


def find_rings(gray: np.ndarray, max_rings: int = 8, colour: np.ndarray | None = None,
               min_support: float = MIN_SUPPORT) -> list[Ring]:
    """Round marks in a grayscale image: circles (or slightly flattened ellipses) whose outline is mostly
    edge, grouped by centre. Hough proposes circles; each promising one gets an ellipse fitted to the edges
    near it, which must then lie on an edge along MIN_SUPPORT of its length (with a looser `min_support`,
    the marks that hold only to that are added after those). The image's colour version, when given, is
    searched too, in its saturation (a blue or grey disc on a purple label hardly differs from it in
    brightness), for marks not found in gray; and asked for a mark's rim where the band inside the rings
    found is empty."""
    channels = [gray]
    if colour is not None:
        channels.append(np.ascontiguousarray(cv2.cvtColor(colour, cv2.COLOR_RGB2HSV)[..., 1]))
    rings: list[Ring] = []
    for channel in channels:
        _add_rings(channel, colour, min(min_support, MIN_SUPPORT), max_rings, rings)
    return rings


def _add_rings(channel: np.ndarray, colour: np.ndarray | None, min_support: float, max_rings: int,
               rings: list[Ring]) -> None:
    """The rings found in one channel (see `find_rings`) appended to `rings`, except those of marks already
    there, up to `max_rings` in all: first those that hold to MIN_SUPPORT, then those that hold only to a
    looser `min_support` (so a looser support adds marks but never moves one)."""
    scale = min(1.0, WORK_SIZE / max(channel.shape))
    small = cv2.resize(channel, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else channel
    blur, edges = _edges(small)
    gradient = _gradient(blur)
    lines = cv2.morphologyEx(edges, cv2.MORPH_CLOSE, cv2.getStructuringElement(cv2.MORPH_ELLIPSE, (7, 7)))
    min_r = max(12, int(min(min(small.shape) * MIN_RADIUS, READABLE_RADIUS * scale)))
    small_r = max(12, int(min(small.shape) * SMALL_RADIUS))
    circles, order, retried = _candidates(blur, edges, (small_r, min_r, int(min(small.shape) / 2)))
    if not order or len(rings) >= max_rings:
        return
    rims: np.ndarray | None = None

    def owner(x: float, y: float) -> int | None:
        """The mark already found that (x, y) in the search copy lies within (another circle of it), if any."""
        return next((index for index, k in enumerate(rings)
                     if np.hypot(x - k.cx * scale, y - k.cy * scale) < k.outer * scale * 0.6), None)

    def ring_of(shape: Shape, support: float, needed: float, replacing: int | None = None) -> Ring | None:
        """The ring of this outline when it holds to `needed` and is a new mark (or the one it is `replacing`)."""
        nonlocal rims
        if support >= needed and _aligned(gradient, shape) < MIN_ALIGNED:
            shape, support = _ring_line_outside(edges, shape)
        if not _holds(gradient, shape, support, needed):
            return None
        ex, ey, a, ratio, angle = shape
        if (1.0 - ratio) * a < MIN_FLATTENING:  # too little to tell from a circle: take it as one
            ratio, angle = 1.0, 0.0
        if owner(ex, ey) not in (None, replacing):
            return None
        family = _drawn(gradient, _concentric(edges, ex, ey, a, ratio, angle, needed), (ex, ey, ratio, angle))
        if not family:
            return None
        inner, outer, lone = _text_band(family)
        if colour is not None and _band_is_empty(edges, ex, ey, inner, outer, ratio, angle):
            # Nothing between the rings found: the mark's true rim may show only in colour (a grey disc on
            # a purple label), its inner ring passing for the outline. Look for the rings there once.
            if rims is None:
                rims = edges | _colour_edges(colour, scale)
            family = (_drawn(gradient, _concentric(rims, ex, ey, a, ratio, angle, needed), (ex, ey, ratio, angle))
                      or family)
        inner, outer, alternative, lone = _bands(family, scale)
        ring = Ring(float(ex / scale), float(ey / scale), outer, inner, support, alternative,
                    float(ratio), float(angle), lone)
        return _refined(channel, ring, needed, scale)

    looser: list[tuple[Shape, float]] = []
    rim_tries = [0] * max_rings
    for rank, i in enumerate(order):
        x, y, r = circles[i]
        if len(rings) >= max_rings:
            return
        if (k := owner(x, y)) is not None:
            # A mark found on a doubtful outline (a fit mixing arc letters and a ring line): a circle round
            # it may be its own rim, drawn all round. Tried a few times per mark, the best fits first.
            # So may one found as a lone circle (no second ring inside it): an ellipse through parts of a
            # double ring's two lines can hold on their edges all round.
            found = rings[k]
            lone = found.lone
            if ((found.support < SURE_SUPPORT or lone) and r > RIM_BEYOND * found.outer * scale
                    and rim_tries[k] < MAX_RIM_TRIES):
                rim_tries[k] += 1
                shape, support = _best_outline(edges, lines if i in retried else None, x, y, r)
                rim = ring_of(shape, support, MIN_SUPPORT, replacing=k) if lone or support >= found.support else None
                if rim is not None and rim.outer > found.outer and (support > found.support or not rim.lone):
                    rings[k] = rim
            continue
        reseeded = rank < MAX_RESEEDED or i in retried  # the alternative method's few circles all get tries
        shape, support = _best_outline(edges, lines if reseeded else None, x, y, r)
        if (ring := ring_of(shape, support, MIN_SUPPORT)) is not None:
            rings.append(ring)
        if min_support <= support < MIN_SUPPORT:
            looser.append((shape, support))
    for shape, support in looser:
        if len(rings) >= max_rings:
            return
        if (ring := ring_of(shape, support, min_support)) is not None:
            rings.append(ring)


def _hough(blur: np.ndarray, min_r: int, max_r: int, method: int = cv2.HOUGH_GRADIENT,
           votes: int = CLASSIC_VOTES) -> np.ndarray:
    """Hough's circles (rows x, y, r) with radii from min_r to max_r, at most 2,000: by the classic method
    (votes for centres), or by the "alternative" one (circles that fit their edges closely)."""
    threshold = votes if method == cv2.HOUGH_GRADIENT else ALT_PERFECTNESS
    found = cv2.HoughCircles(blur, method, dp=1, minDist=min_r, param1=150, param2=threshold,
                             minRadius=min_r, maxRadius=max_r)
    return np.zeros((0, 3)) if found is None else found[0][:2000].astype(np.float64)


def _classic(blur: np.ndarray, min_r: int, max_r: int) -> np.ndarray:
    """The classic method's circles from min_r to max_r: up to LARGE_RADIUS on the search copy, larger ones on a
    half-size copy of it (their centres and radii given in the search copy's pixels)."""
    if max_r <= LARGE_RADIUS:
        return _hough(blur, min_r, max_r)
    half = cv2.resize(blur, None, fx=0.5, fy=0.5, interpolation=cv2.INTER_AREA)
    large = _hough(half, max(min_r, LARGE_RADIUS) // 2, max_r // 2)
    if len(large):
        large[:, :2] = 2 * large[:, :2] + 0.5
        large[:, 2] *= 2
    return np.concatenate([_hough(blur, min_r, max(min_r, LARGE_RADIUS)), large])


def _candidates(blur: np.ndarray, edges: np.ndarray,
                radii: tuple[int, int, int]) -> tuple[np.ndarray, list[int], range]:
    """Hough's circles and which of them to fit, in order, `radii` being (small_r, min_r, max_r): the best (by
    their share on edges) of the classic method's from min_r to max_r (see `_classic`), then those of the
    alternative method (the classic one keeps one circle per centre, and a small seal's rim can lose to a larger,
    weaker circle round about the same centre; the alternative one finds it), then the best of the classic
    method's from small_r to 2 min_r (see SMALL_RADIUS); and the indices of the alternative method's circles."""
    small_r, min_r, max_r = radii
    parts = [_classic(blur, min_r, max_r), _hough(blur, min_r, max_r, cv2.HOUGH_GRADIENT_ALT)]
    if small_r < min_r:
        parts.append(_hough(blur, small_r, 2 * min_r, votes=SMALL_VOTES))
    order: list[int] = []
    offset = 0
    least_coarse = (COARSE_SUPPORT, 0.0, COARSE_SUPPORT)  # the alternative method's few circles all count
    for part, most, least in zip(parts, (MAX_FITS, MAX_ALT_FITS, MAX_SMALL_FITS), least_coarse):
        coarse = _coarse_supports(edges, part) if len(part) else np.zeros(0)
        order += [offset + int(i) for i in np.argsort(-coarse, kind="stable") if coarse[i] >= least][:most]
        offset += len(part)
    return np.concatenate(parts), order, range(len(parts[0]), len(parts[0]) + len(parts[1]))


def _drawn(gradient: tuple[np.ndarray, np.ndarray], family: list[tuple[float, float]],
           place: tuple[float, float, float, float]) -> list[tuple[float, float]]:
    """A mark's rings (see `_concentric`) without inner 'rings' that are no drawn line: the baseline of bold
    arc letters lines up on edges all round too, and taken for the band's inner edge it cuts the letters in
    half ("CONSIIMFRI"). `place`: the mark's (cx, cy, ratio, angle) in the search copy."""
    cx, cy, ratio, angle = place
    inner = [f for f in family[:-1] if _aligned(gradient, (cx, cy, f[0], ratio, angle)) >= MIN_ALIGNED]
    return inner + family[-1:]


def enlarged_around(gray: np.ndarray, ring: Ring, factor: float) -> tuple[np.ndarray, Ring]:
    """The mark and its surroundings (out to its farthest band) cut out and enlarged `factor` times (bicubic),
    with the ring in the enlarged patch's pixels: a small mark is turned square-on and unwrapped from this, so
    its few pixels are resampled once, smoothly, rather than twice over."""
    margin = int(ring.reach * 1.1) + 2
    x0, y0 = max(0, int(ring.cx) - margin), max(0, int(ring.cy) - margin)
    x1, y1 = min(gray.shape[1], int(ring.cx) + margin + 1), min(gray.shape[0], int(ring.cy) + margin + 1)
    patch = cv2.resize(gray[y0:y1, x0:x1], None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    alternative = (ring.alternative[0] * factor, ring.alternative[1] * factor) if ring.alternative else None
    return patch, replace(ring, cx=(ring.cx - x0) * factor, cy=(ring.cy - y0) * factor, outer=ring.outer * factor,
                          inner=ring.inner * factor, alternative=alternative)


def rectified(gray: np.ndarray, ring: Ring) -> tuple[np.ndarray, Ring]:
    """The mark and its surroundings (out to its farthest band) turned square-on: the ellipse stretched
    along its minor axis into a circle. Returns the patch and the ring in the patch's pixels (a circle as it is)."""
    if ring.ratio == 1.0:
        return gray, ring
    half = int(ring.reach * 1.05) + 2
    ca, sa = np.cos(ring.angle), np.sin(ring.angle)
    turn = np.array([[ca, -sa], [sa, ca]])
    stretch = turn @ np.diag([1.0, 1.0 / ring.ratio]) @ turn.T
    shift = np.array([half, half]) - stretch @ np.array([ring.cx, ring.cy])
    matrix = np.hstack([stretch, shift[:, None]])
    patch = cv2.warpAffine(gray, matrix, (2 * half, 2 * half), flags=cv2.INTER_LINEAR,
                           borderMode=cv2.BORDER_REPLICATE)
    return patch, replace(ring, cx=float(half), cy=float(half), ratio=1.0, angle=0.0)


def unwrap_band(gray: np.ndarray, ring: Ring, band: tuple[float, float] | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The arc text band of a circular ring (see `rectified`) as two straight strips: one reading clockwise
    with letters' tops outward (top arcs), one reading counter-clockwise with tops inward (bottom arcs).
    Each strip is doubled so a word that crosses the cut at angle 0 is whole in one copy."""
    inner, outer = band or (ring.inner, ring.outer)
    # One polar row per pixel of arc at the middle of the band, so letters there keep their proportions.
    circumference = int(2 * np.pi * (inner + outer) / 2)
    polar = cv2.warpPolar(gray, (int(outer), circumference), (ring.cx, ring.cy), outer,
                          cv2.WARP_POLAR_LINEAR + cv2.INTER_LINEAR + cv2.WARP_FILL_OUTLIERS)
    band_width = outer - inner
    lo = int(inner + band_width * 0.08)
    hi = int(outer - band_width * 0.08)
    strip = polar[:, lo:hi]
    top = cv2.rotate(strip, cv2.ROTATE_90_COUNTERCLOCKWISE)
    bottom = cv2.rotate(strip, cv2.ROTATE_90_CLOCKWISE)
    return np.hstack([top, top]), np.hstack([bottom, bottom])


def ring_parts(gray: np.ndarray, ring: Ring) -> tuple[list[np.ndarray], np.ndarray]:
    """A round mark turned square-on (see `rectified`), cut into what is read: its arc strips (both reading
    directions, the alternative band's after the band's) and its centre disc."""
    patch, square = rectified(gray, ring)
    strips = [*unwrap_band(patch, square)]
    if square.alternative is not None:
        strips.extend(unwrap_band(patch, square, square.alternative))
    return strips, centre_crop(patch, square)


def centre_crop(gray: np.ndarray, ring: Ring) -> np.ndarray:
    """The disc inside the inner ring of a circular ring, where the short mark name ("NSF", "USP") sits;
    outside the disc is filled with the disc's own background so the ring line does not confuse the OCR."""
    radius = _inside_centre_line(gray, ring, ring.inner * 0.9)
    x0, y0 = int(max(0, ring.cx - radius)), int(max(0, ring.cy - radius))
    x1, y1 = int(min(gray.shape[1], ring.cx + radius)), int(min(gray.shape[0], ring.cy + radius))
    crop = gray[y0:y1, x0:x1].copy()
    if crop.size == 0:
        return crop
    yy, xx = np.mgrid[y0:y1, x0:x1]
    outside = np.hypot(xx - ring.cx, yy - ring.cy) > radius
    inside_values = crop[~outside]
    if inside_values.size:
        crop[outside] = int(np.median(inside_values))
    return crop


def _inside_centre_line(gray: np.ndarray, ring: Ring, radius: float) -> float:
    """The radius of the centre disc to read: inside a circle drawn round the centre within `radius` (a disc's
    inner rule), where there is one; else `radius`. Such a line, read with the initials, makes tesseract read
    nothing ("NSF" inside a thin white rule on a blue disc)."""
    if radius < 8:
        return radius
    polar = cv2.warpPolar(gray, (int(radius), 360), (ring.cx, ring.cy), radius,
                          cv2.WARP_POLAR_LINEAR + cv2.INTER_LINEAR + cv2.WARP_FILL_OUTLIERS)
    start = int(CENTRE_LINE_FROM * polar.shape[1])
    profile = np.median(polar[:, start:], axis=0)
    lines = np.flatnonzero(np.abs(profile - np.median(profile)) > CENTRE_LINE_LEVELS)
    return float(start + lines[0]) * (1 - CENTRE_LINE_MARGIN) - 1 if lines.size else radius
