"""Capture conditions applied to the rendered scan: name -> function(image, rng[, ctx]) -> (image, info).

    scan      the clean artwork (identity)
    photo     the printed label lying on a textured surface, shot with a phone: perspective tilt
              up to 20°, rotation ±8°, defocus or motion blur, uneven light, sensor noise,
              sometimes a specular glare blob (rarely a full washout), JPEG 60–90, long side 2–3k px
    bottle    the label wrapped round a cylinder (several diameters) seen from slightly above or
              below, shaded toward the sides, on a blurred surface; lighter photo effects
    sideways  a mild photo turned 90° or 270° (sometimes 180°)
    lowres    a mild photo downscaled so the long side is ~1,000 px (x-height 7–10 px), JPEG

`ctx` (optional) tells a condition where things are on the label, so it can follow them into
the photo: {"regions": {"panel": [x, y, w, h], "seal:<program>": [...], "self-claim:<id>": [...]},
"body_px": <panel body font size>, "overrides": {param: value}}.  `overrides` pins parameters
(tests use it for a clean photo).  `info` is a dict:

    params       every parameter drawn (what make_samples writes as "condition_params")
    jpeg_quality the quality to save with (None: lossless PNG)
    bbox_photo   region -> [x, y, w, h] in the photo (None when the region is out of view)
    quad_photo   region -> four corners in the photo (flat conditions) or None
    visible      regions readable in the photo
    occluded     regions whose print is washed out by glare (the evidence there may be gone)
    hidden       regions turned away from the camera (bottle) — not readable at all

Everything is deterministic for the rng handed in.
"""

from __future__ import annotations

import math
import random
from typing import Callable

import cv2
import numpy as np
from PIL import Image

from . import photo as ph

Condition = Callable[..., tuple[Image.Image, dict]]

PAPER = (246, 244, 238)
OCCLUDED_AT = 0.85       # glare mix at which print is gone (ink and paper both near white)
OCCLUDED_SHARE = 0.02    # share of a region's area that must be gone for it to count as occluded
READABLE_DEG = 62.0      # bottle: print further round than this is too foreshortened to read


def scan(image: Image.Image, rng: random.Random, ctx: dict | None = None) -> tuple[Image.Image, dict]:
    return image, {"params": {}, "jpeg_quality": None}


# ------------------------------------------------------------------ shared flat-photo pipeline
PHOTO = dict(tilt=(0, 20), rot=(-8, 8), coverage=(0.62, 0.88), long=(2000, 3000), light=(0.6, 1.0),
             sigma=(0.5, 1.5), motion=(3, 9), p_motion=0.35, noise=(1.5, 5.0), glare=0.55, washout=0.18,
             jpeg=(60, 90))
MILD = dict(tilt=(0, 8), rot=(-4, 4), coverage=(0.7, 0.9), long=(2000, 2600), light=(0.75, 1.0),
            sigma=(0.4, 0.9), motion=(3, 5), p_motion=0.15, noise=(1.2, 3.5), glare=0.0, washout=0.0,
            jpeg=(70, 90))


def _pick(rng: random.Random, ov: dict, key: str, draw):
    """Draw a parameter (always consuming the rng, so overrides don't shift other draws)."""
    v = draw()
    return ov.get(key, v)


def _regions(ctx: dict | None) -> dict:
    return dict((ctx or {}).get("regions") or {})


def _local_scale(H: np.ndarray, x: float, y: float) -> float:
    """Photo pixels per label pixel around label point (x, y) (sqrt of the Jacobian determinant)."""
    e = 1.0
    p = ph.apply_h(H, [[x, y], [x + e, y], [x, y + e]])
    J = np.array([p[1] - p[0], p[2] - p[0]])
    return math.sqrt(abs(np.linalg.det(J)))


def _flat_photo(image: Image.Image, rng: random.Random, ctx: dict | None, cfg: dict,
                scale_target: float | None = None) -> tuple[np.ndarray, dict]:
    """Composite the label onto a surface under a random camera; returns float RGB and info."""
    ov = dict((ctx or {}).get("overrides") or {})
    label = np.asarray(image.convert("RGB"), np.uint8)
    h0, w0 = label.shape[:2]
    margin = _pick(rng, ov, "margin_px", lambda: int(rng.uniform(0.0, 0.025) * max(w0, h0)))
    if margin:
        label = cv2.copyMakeBorder(label, margin, margin, margin, margin, cv2.BORDER_CONSTANT, value=PAPER)
    h, w = label.shape[:2]
    tilt = _pick(rng, ov, "tilt_deg", lambda: rng.uniform(*cfg["tilt"]))
    tilt_dir = _pick(rng, ov, "tilt_dir_deg", lambda: rng.uniform(0, 360))
    rot = _pick(rng, ov, "rotation_deg", lambda: rng.uniform(*cfg["rot"]))
    H0 = ph.plane_homography(w, h, tilt, tilt_dir, rot)
    quad = ph.apply_h(H0, ph.box_corners([0, 0, w, h]))
    long_side = _pick(rng, ov, "long_side", lambda: rng.randint(*cfg["long"]))
    qw, qh = np.ptp(quad[:, 0]), np.ptp(quad[:, 1])
    W, Hh = (long_side, long_side * 3 // 4) if qw >= qh else (long_side * 3 // 4, long_side)
    coverage = _pick(rng, ov, "coverage", lambda: rng.uniform(*cfg["coverage"]))
    if scale_target is not None:  # choose the coverage that gives this many photo px per label px
        A1 = ph.fit_into(quad, W, Hh, 1.0, random.Random(0))
        s1 = _local_scale(A1 @ H0, w / 2, h / 2)
        coverage = float(np.clip(scale_target / s1, 0.5, 0.95))
    A = ph.fit_into(quad, W, Hh, coverage, rng)
    Hp = A @ H0                                       # padded label -> photo
    pad = np.array([[1, 0, margin], [0, 1, margin], [0, 0, 1]], np.float64)
    H = Hp @ pad                                      # original label -> photo
    s_centre = _local_scale(Hp, w / 2, h / 2)

    # warp (pre-shrink with area averaging when the label gets much smaller, to avoid aliasing)
    src, Hs = label, Hp
    if s_centre < 0.8:
        k = s_centre / 0.9
        src = cv2.resize(label, (max(1, round(w * k)), max(1, round(h * k))), interpolation=cv2.INTER_AREA)
        Hs = Hp @ np.diag([w / src.shape[1], h / src.shape[0], 1.0])
    warped = cv2.warpPerspective(src, Hs, (W, Hh), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_CONSTANT)
    mask = cv2.warpPerspective(np.full(src.shape[:2], 255, np.uint8), Hs, (W, Hh), flags=cv2.INTER_LINEAR,
                               borderMode=cv2.BORDER_CONSTANT)

    bg, bg_info = ph.background(rng, Hh, W, ov.get("background"))
    # the sheet lifts a little off the surface: a soft contact shadow offset away from the light
    sh_sigma = rng.uniform(0.004, 0.012) * long_side
    sh_dx, sh_dy = (rng.uniform(-0.006, 0.006) * long_side for _ in range(2))
    q4 = (max(1, W // 4), max(1, Hh // 4))  # the shadow is soft: made at quarter size
    shadow = cv2.resize(mask, q4, interpolation=cv2.INTER_AREA).astype(np.float32) / 255
    shadow = cv2.GaussianBlur(shadow, (0, 0), sh_sigma / 4)
    shadow = cv2.warpAffine(shadow, np.float32([[1, 0, sh_dx / 4], [0, 1, sh_dy / 4]]), q4)
    sh_k = rng.uniform(0.25, 0.5)
    shade = cv2.resize(1 - sh_k * shadow, (W, Hh), interpolation=cv2.INTER_LINEAR)
    m2 = mask.astype(np.float32) / 255
    img = cv2.blendLinear(warped, ph.to_uint8(bg), m2, (1 - m2) * shade).astype(np.float32)

    lo = _pick(rng, ov, "light_min", lambda: rng.uniform(*cfg["light"]))
    field, light_info = ph.light_field(rng, Hh, W, lo)
    img = cv2.multiply(img, field, dst=img)

    info = _geometry(H, _regions(ctx), W, Hh, (w0, h0))
    glare_info = None
    want_glare = rng.random() < cfg["glare"]
    washout = rng.random() < cfg["washout"]
    want_glare = ov.get("glare", want_glare)
    washout = ov.get("washout", washout) and want_glare
    if want_glare:
        img, glare_info = _glare(img, rng, info, washout, W, Hh, long_side, ov)

    if "blur_sigma" in ov:  # pin a defocus blur (tests)
        img, blur_info = ph.blur(img, rng, (ov["blur_sigma"],) * 2, None, 0.0)
    else:
        img, blur_info = ph.blur(img, rng, cfg["sigma"], cfg["motion"], cfg["p_motion"])
    img, noise_info = ph.sensor_noise(img, rng, cfg["noise"])
    q = _pick(rng, ov, "jpeg_quality", lambda: rng.randint(*cfg["jpeg"]))
    body = (ctx or {}).get("body_px")
    info["params"] = {
        "size": [W, Hh], "long_side": long_side, "background": bg_info["kind"],
        "margin_px": margin, "tilt_deg": ph.r2(tilt, 1), "tilt_dir_deg": ph.r2(tilt_dir, 1),
        "rotation_deg": ph.r2(rot, 1), "coverage": ph.r2(coverage), "scale": ph.r2(_local_scale(H, w0 / 2, h0 / 2), 3),
        "x_height_px": ph.r2(_local_scale(H, w0 / 2, h0 / 2) * body * ph.X_HEIGHT, 1) if body else None,
        "light": light_info, "shadow": {"sigma_px": ph.r2(sh_sigma, 1), "strength": ph.r2(sh_k)},
        "glare": glare_info, "blur": blur_info, "noise": noise_info, "jpeg_quality": q,
        "homography": [[ph.r2(v, 6) for v in row] for row in (H / H[2, 2])],
    }
    info["jpeg_quality"] = q
    return img, info


def _geometry(H: np.ndarray, regions: dict, W: int, Hh: int, label_size) -> dict:
    quads, boxes, visible, whole = {}, {}, [], True
    for name, b in [("label", [0, 0, *label_size])] + list(regions.items()):
        if not b:
            continue
        q = ph.apply_h(H, ph.box_corners(b))
        quads[name] = [[ph.r2(x, 1), ph.r2(y, 1)] for x, y in q]
        boxes[name] = ph.box_of(q, W, Hh)
        inside = (q[:, 0] >= 0).all() and (q[:, 0] <= W).all() and (q[:, 1] >= 0).all() and (q[:, 1] <= Hh).all()
        if inside and name != "label":
            visible.append(name)
        if name == "label":
            whole = bool(inside)
    return {"bbox_photo": boxes, "quad_photo": quads, "visible": visible, "occluded": [], "hidden": [],
            "label_whole_in_view": whole}


def _glare(img, rng, info, washout, W, Hh, long_side, overrides=None):
    """A specular reflection: a soft bright ellipse.  Mostly a sheen that lowers contrast; a washout
    (flat saturated core) erases the print under it — regions losing print there become occluded."""
    overrides = overrides or {}
    panel_q = info["quad_photo"].get("panel")
    over_panel = panel_q is not None and rng.random() < 0.5
    over_panel = panel_q is not None and overrides.get("glare_on_panel", over_panel)
    if washout:
        a = rng.uniform(0.035, 0.08) * long_side
        strength = 1.0
    else:
        a = rng.uniform(0.06, 0.16) * long_side
        strength = rng.uniform(0.3, 0.6)
    b = a * rng.uniform(0.45, 1.0)
    ang = rng.uniform(0, math.pi)
    if over_panel:
        q = np.array(panel_q)
        (x0, y0), (x1, y1) = q.min(0), q.max(0)
        cx = rng.uniform(x0 + 0.15 * (x1 - x0), x1 - 0.15 * (x1 - x0))
        cy = rng.uniform(y0 + 0.15 * (y1 - y0), y1 - 0.15 * (y1 - y0))
    else:
        cx, cy = rng.uniform(0.08, 0.92) * W, rng.uniform(0.08, 0.92) * Hh
    m, (x0, y0, x1, y1) = ph.glare_mask(Hh, W, cx, cy, a, b, ang, washout)
    m *= strength
    white = np.array([255, 255, 250], np.float32)
    win = img[y0:y1, x0:x1]
    win += (white - win) * m[..., None]
    bbox = ph.ellipse_bbox(cx, cy, a, b, ang, W, Hh, 1.8 if washout else 1.5)
    overlaps = [n for n, bb in info["bbox_photo"].items() if n != "label" and bb and bbox and _intersects(bb, bbox)]
    occluded = []
    for name in overlaps:
        q = np.array(info["quad_photo"][name], np.float32)
        region = np.zeros((Hh, W), np.uint8)
        cv2.fillConvexPoly(region, np.round(q).astype(np.int32), 1)
        area = int(region.sum())
        gone = int(((m >= OCCLUDED_AT) & (region[y0:y1, x0:x1] > 0)).sum())
        if area and gone / area >= OCCLUDED_SHARE:
            occluded.append(name)
    info["occluded"] = occluded
    return img, {"kind": "washout" if washout else "sheen", "strength": ph.r2(strength),
                 "center": [round(cx), round(cy)], "axes_px": [round(a), round(b)],
                 "angle_deg": ph.r2(math.degrees(ang), 1), "bbox": bbox, "aimed_at_panel": over_panel,
                 "overlaps_panel": "panel" in overlaps, "overlaps": overlaps}


def _intersects(a, b) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def _finish(img: np.ndarray) -> Image.Image:
    return Image.fromarray(ph.to_uint8(img), "RGB")


def _remap_info(info: dict, M: np.ndarray, W: int, Hh: int) -> None:
    """Follow a further 2-D transform M (3x3) of the photo: quads, boxes, glare box, homography."""
    for name, q in list(info["quad_photo"].items()):
        if q is None:
            continue
        nq = ph.apply_h(M, q)
        info["quad_photo"][name] = [[ph.r2(x, 1), ph.r2(y, 1)] for x, y in nq]
        info["bbox_photo"][name] = ph.box_of(nq, W, Hh)
    p = info["params"]
    if p.get("homography"):
        H = M @ np.array(p["homography"])
        p["homography"] = [[ph.r2(v, 6) for v in row] for row in (H / H[2, 2])]
    g = p.get("glare")
    if g and g.get("bbox"):
        g["bbox"] = ph.box_of(ph.apply_h(M, ph.box_corners(g["bbox"])), W, Hh)
        g["center"] = [round(v) for v in ph.apply_h(M, [g["center"]])[0]]


# ------------------------------------------------------------------ conditions
def photo(image: Image.Image, rng: random.Random, ctx: dict | None = None) -> tuple[Image.Image, dict]:
    img, info = _flat_photo(image, rng, ctx, PHOTO)
    return _finish(img), info


def sideways(image: Image.Image, rng: random.Random, ctx: dict | None = None) -> tuple[Image.Image, dict]:
    img, info = _flat_photo(image, rng, ctx, MILD)
    ov = dict((ctx or {}).get("overrides") or {})
    turn = _pick(rng, ov, "turn_deg", lambda: rng.choices([90, 270, 180], weights=[4, 4, 2])[0])
    Hh, W = img.shape[:2]
    k = {90: 3, 270: 1, 180: 2}[turn]  # np.rot90 turns counter-clockwise; turn_deg is clockwise
    img = np.ascontiguousarray(np.rot90(img, k))
    if turn == 90:      # clockwise: (x, y) -> (H-1-y, x)
        M = np.array([[0, -1, Hh - 1], [1, 0, 0], [0, 0, 1]], np.float64)
    elif turn == 270:   # counter-clockwise: (x, y) -> (y, W-1-x)
        M = np.array([[0, 1, 0], [-1, 0, W - 1], [0, 0, 1]], np.float64)
    else:
        M = np.array([[-1, 0, W - 1], [0, -1, Hh - 1], [0, 0, 1]], np.float64)
    nh, nw = img.shape[:2]
    _remap_info(info, M, nw, nh)
    info["params"]["turn_deg"] = turn
    info["params"]["size"] = [nw, nh]
    return _finish(img), info


def lowres(image: Image.Image, rng: random.Random, ctx: dict | None = None) -> tuple[Image.Image, dict]:
    ov = dict((ctx or {}).get("overrides") or {})
    target_long = _pick(rng, ov, "target_long_side", lambda: rng.randint(960, 1040))
    xh = _pick(rng, ov, "target_x_height_px", lambda: rng.uniform(7.0, 10.0))
    body = (ctx or {}).get("body_px")
    cfg = dict(MILD, long=(2000, 2000), jpeg=(200, 200))
    scale_target = None
    if body:  # photo px per label px (in the 2,000-px photo) giving the wanted x-height after downscaling
        scale_target = xh / (body * ph.X_HEIGHT) * 2000 / target_long
    img, info = _flat_photo(image, rng, ctx, cfg, scale_target=scale_target)
    Hh, W = img.shape[:2]
    k = target_long / max(W, Hh)
    nw, nh = round(W * k), round(Hh * k)
    img = cv2.resize(img, (nw, nh), interpolation=cv2.INTER_AREA)
    M = np.array([[nw / W, 0, 0], [0, nh / Hh, 0], [0, 0, 1]], np.float64)
    _remap_info(info, M, nw, nh)
    q = _pick(rng, ov, "jpeg_quality", lambda: rng.randint(65, 88))
    p = info["params"]
    p.update({"size": [nw, nh], "downscale": ph.r2(k, 4), "jpeg_quality": q, "target_x_height_px": ph.r2(xh, 1)})
    p["scale"] = ph.r2(p["scale"] * k, 3)
    if p.get("x_height_px"):
        p["x_height_px"] = ph.r2(p["x_height_px"] * k, 1)
    info["jpeg_quality"] = q
    return _finish(img), info


# ------------------------------------------------------------------ bottle
DIAMETERS_MM = [70, 85, 100, 115, 130, 150]
PX_PER_MM = 300 / 25.4
BOTTLES = [(238, 238, 234), (250, 250, 248), (60, 38, 22), (28, 28, 30), (235, 232, 222)]


def _u_range(b) -> tuple[float, float]:
    return float(b[0]), float(b[0] + b[2])


def _cylinder_maps(cyl: ph.Cylinder, h: int, w: int):
    """The inverse maps on a half-size grid (they are smooth), enlarged to the photo size."""
    f, cx, cy = cyl.f, cyl.cx, cyl.cy
    cyl.f, cyl.cx, cyl.cy = f / 2, (cx + 0.5) / 2 - 0.5, (cy + 0.5) / 2 - 0.5
    try:
        u, v, alpha, hit = cyl.inverse((h + 1) // 2, (w + 1) // 2)
    finally:
        cyl.f, cyl.cx, cyl.cy = f, cx, cy
    up = [cv2.resize(a, (w, h), interpolation=cv2.INTER_LINEAR) for a in (u, v, alpha, hit.astype(np.float32))]
    return up[0], up[1], up[2], up[3]


def bottle(image: Image.Image, rng: random.Random, ctx: dict | None = None) -> tuple[Image.Image, dict]:
    ov = dict((ctx or {}).get("overrides") or {})
    label = np.asarray(image.convert("RGB"), np.float32)
    Lh, Lw = label.shape[:2]
    regions = _regions(ctx)
    read = math.radians(READABLE_DEG)
    # diameters: the label may wrap at most ~330° round the bottle (it must not overlap itself)
    sizes = [d for d in DIAMETERS_MM if Lw / (d / 2 * PX_PER_MM) <= 0.92 * 2 * math.pi] or [DIAMETERS_MM[-1]]
    d_mm = _pick(rng, ov, "diameter_mm", lambda: rng.choice(sizes))
    panel = regions.get("panel")
    marks = {k: v for k, v in regions.items() if k.startswith(("seal:", "self-claim:"))}
    # the stretch of label that must face the camera: the panel and every mark
    need = [_u_range(b) for b in ([panel] if panel else []) + list(marks.values())] or [(0.0, float(Lw))]
    span = (min(a for a, _ in need), max(b for _, b in need))
    panel_span = _u_range(panel) if panel else span
    chosen, keep_all = d_mm, False
    for d in [x for x in DIAMETERS_MM if x >= d_mm]:
        if (span[1] - span[0]) / 2 <= (d / 2 * PX_PER_MM) * read * 0.97:
            chosen, keep_all = d, True
            break
    if not keep_all:  # the panel alone must still fit: take the smallest diameter that allows it
        chosen = next((x for x in DIAMETERS_MM if x >= d_mm and (panel_span[1] - panel_span[0]) / 2
                       <= (x / 2 * PX_PER_MM) * read * 0.97), DIAMETERS_MM[-1])
    R = chosen / 2 * PX_PER_MM
    target = span if keep_all else panel_span
    if not keep_all:  # widen the view to the marks nearest the panel while they still fit
        centre = (panel_span[0] + panel_span[1]) / 2
        for b in sorted(marks.values(), key=lambda b: abs(b[0] + b[2] / 2 - centre)):
            lo, hi = min(target[0], b[0]), max(target[1], b[0] + b[2])
            if (hi - lo) / 2 <= R * read * 0.97:
                target = (lo, hi)
    slack = max(0.0, R * read * 0.97 - (target[1] - target[0]) / 2)
    u_c = (target[0] + target[1]) / 2 + rng.uniform(-0.6, 0.6) * slack
    dist = rng.uniform(4.0, 7.0)
    pitch = _pick(rng, ov, "pitch_deg", lambda: rng.choice([-1, 1]) * rng.uniform(4, 14))
    cyl = ph.Cylinder(R, u_c, Lh / 2, dist, pitch)

    # frame the readable part of the label
    a_lim = min(cyl.alpha_horizon, math.radians(80))
    u_lo, u_hi = max(0.0, u_c - a_lim * R), min(float(Lw), u_c + a_lim * R)
    uu, vv = np.meshgrid(np.linspace(u_lo, u_hi, 40), np.linspace(0, Lh, 20))
    x, y, _ = cyl.forward(uu.ravel(), vv.ravel())
    pts = np.column_stack([x, y])
    long_side = _pick(rng, ov, "long_side", lambda: rng.randint(2000, 3000))
    bw, bh = np.ptp(pts[:, 0]), np.ptp(pts[:, 1])
    W, Hh = (long_side, long_side * 3 // 4) if bw >= bh else (long_side * 3 // 4, long_side)
    coverage = rng.uniform(0.72, 0.9)
    A = ph.fit_into(pts, W, Hh, coverage, rng)
    cyl.f, cyl.cx, cyl.cy = A[0, 0], A[0, 2], A[1, 2]

    u, v, alpha, cover = _cylinder_maps(cyl, Hh, W)
    hit = cover > 0.5
    on_label = hit & (u >= 0) & (u < Lw) & (v >= 0) & (v < Lh)
    warped = cv2.remap(label, u, v, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    body_col = np.array(rng.choice(BOTTLES), np.float32)
    img = np.where(on_label[..., None], warped, body_col)
    # shading: Lambert light from near the camera, plus a vertical gloss stripe
    light_az = rng.uniform(-35, 35)
    la = math.radians(light_az)
    lam = np.clip(np.cos(alpha - la), 0, 1) ** 0.8
    amb = rng.uniform(0.25, 0.4)
    shade = amb + (1 - amb) * lam
    img = img * shade[..., None]
    gloss_a = la / 2 + rng.uniform(-0.1, 0.1)
    gloss_w = rng.uniform(0.05, 0.12)
    gloss_k = rng.uniform(0.12, 0.35)
    gloss = gloss_k * np.exp(-0.5 * ((alpha - gloss_a) / gloss_w) ** 2)
    img = img + (255 - img) * gloss[..., None]
    # silhouette: soften the edge, then put the bottle on its background
    cover = cv2.GaussianBlur(cover, (0, 0), 0.7)[..., None]
    bg, bg_info = ph.background(rng, Hh, W, ov.get("background"))
    bg_sigma = rng.uniform(2.0, 5.0)
    bg = cv2.GaussianBlur(bg, (0, 0), bg_sigma) * rng.uniform(0.7, 0.95)
    img = bg * (1 - cover) + np.where(hit[..., None], img, bg) * cover

    lo = _pick(rng, ov, "light_min", lambda: rng.uniform(0.78, 1.0))
    field, light_info = ph.light_field(rng, Hh, W, lo)
    img = img * field
    img, blur_info = ph.blur(img, rng, (0.4, 1.0), (3, 5), 0.1)
    img, noise_info = ph.sensor_noise(img, rng, (1.5, 4.0))
    q = _pick(rng, ov, "jpeg_quality", lambda: rng.randint(75, 92))

    # where the regions went (forward mapping of their outlines)
    boxes, quads, visible, hidden = {}, {}, [], []
    for name, b in [("label", [0, 0, Lw, Lh])] + list(regions.items()):
        if not b:
            continue
        bu0, bu1 = _u_range(b)
        au0, au1 = (bu0 - u_c) / R, (bu1 - u_c) / R
        su = np.linspace(bu0, bu1, 41)
        sv = np.linspace(b[1], b[1] + b[3], 21)
        ring = np.concatenate([np.column_stack([su, np.full_like(su, sv[0])]),
                               np.column_stack([su, np.full_like(su, sv[-1])]),
                               np.column_stack([np.full_like(sv, su[0]), sv]),
                               np.column_stack([np.full_like(sv, su[-1]), sv])])
        fx, fy, vis = cyl.forward(ring[:, 0], ring[:, 1])
        boxes[name] = ph.box_of(np.column_stack([fx, fy])[vis], W, Hh)
        quads[name] = None
        if name == "label":
            continue
        readable = max(abs(au0), abs(au1)) <= read and boxes[name] is not None
        (visible if readable else hidden).append(name)
    s_centre = cyl.f / (cyl.D - R)  # photo px per label px at the middle of the facing side
    body = (ctx or {}).get("body_px")
    params = {
        "size": [W, Hh], "long_side": long_side, "background": bg_info["kind"],
        "diameter_mm": chosen, "diameter_drawn_mm": d_mm, "radius_px": ph.r2(R, 1),
        "wrap_deg": ph.r2(math.degrees(Lw / R), 1), "facing_u_px": round(u_c),
        "visible_arc_deg": ph.r2(2 * math.degrees(read), 1), "camera_distance_r": ph.r2(dist),
        "pitch_deg": ph.r2(pitch, 1), "coverage": ph.r2(coverage), "scale": ph.r2(s_centre, 3),
        "x_height_px": ph.r2(s_centre * body * ph.X_HEIGHT, 1) if body else None,
        "bottle_color": [int(c) for c in body_col], "shading": {"ambient": ph.r2(amb), "light_az_deg": ph.r2(light_az, 1)},
        "gloss": {"angle_deg": ph.r2(math.degrees(gloss_a), 1), "width_deg": ph.r2(math.degrees(gloss_w), 1),
                  "strength": ph.r2(gloss_k)},
        "background_blur_sigma": ph.r2(bg_sigma), "light": light_info, "glare": None,
        "blur": blur_info, "noise": noise_info, "jpeg_quality": q, "all_marks_in_view": keep_all,
    }
    info = {"params": params, "jpeg_quality": q, "bbox_photo": boxes, "quad_photo": quads,
            "visible": visible, "hidden": hidden, "occluded": [],
            "label_whole_in_view": u_c - read * R <= 0 and u_c + read * R >= Lw}
    return _finish(img), info


CONDITIONS: dict[str, Condition] = {
    "scan": scan,
    "photo": photo,
    "bottle": bottle,
    "sideways": sideways,
    "lowres": lowres,
}
