"""Phone-photo rendering of a flat label artwork: backgrounds, camera geometry, optics, sensor.

Everything here is a pure function of its arguments and of the `random.Random` it is given,
so a condition is deterministic for a seed.  Images are numpy float32 RGB arrays in 0..255
while they are being worked on; the conditions in `conditions.py` hand PIL images in and out.

Geometry is recorded so the ground truth can follow the label into the photo:
`Homography` maps label pixels to photo pixels (flat photos), and `cylinder_*` map label
pixels onto a bottle (forward) and photo pixels back onto the label (inverse, for resampling).
"""

from __future__ import annotations

import math
import random

import cv2
import numpy as np

X_HEIGHT = 0.52  # x-height / em of the sans faces the panels use (Liberation/Free Sans ≈ 0.52)


# ------------------------------------------------------------------ small helpers
def nprng(rng: random.Random) -> np.random.Generator:
    return np.random.default_rng(rng.getrandbits(63))


def r2(x: float, n: int = 2) -> float:
    return round(float(x), n)


def smooth_noise(g: np.random.Generator, h: int, w: int, cells_y: int, cells_x: int) -> np.ndarray:
    """Low-frequency noise in about -1..1: random cells upsampled with cubic interpolation."""
    small = g.standard_normal((max(2, cells_y), max(2, cells_x))).astype(np.float32)
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC) * 0.6


def fractal(g: np.random.Generator, h: int, w: int, base: int, octaves: int = 4) -> np.ndarray:
    out = np.zeros((h, w), np.float32)
    amp, total = 1.0, 0.0
    for o in range(octaves):
        c = base * 2 ** o
        out += amp * smooth_noise(g, h, w, max(2, c * h // max(h, w)), max(2, c * w // max(h, w)))
        total += amp
        amp *= 0.5
    return out / total


# ------------------------------------------------------------------ backgrounds
WOODS = [(176, 132, 88), (120, 82, 52), (202, 168, 122), (150, 105, 70), (92, 62, 44)]
FABRICS = [(64, 84, 120), (150, 146, 138), (196, 184, 160), (110, 46, 50), (60, 60, 64)]
TABLES = [(214, 212, 206), (180, 178, 172), (70, 70, 72), (228, 222, 210), (140, 150, 146)]


def background(rng: random.Random, h: int, w: int, kind: str | None = None) -> tuple[np.ndarray, dict]:
    """A procedurally textured surface (wood, fabric or table top) of h x w pixels."""
    kind = kind or rng.choice(["wood", "fabric", "table"])
    H, W = h, w
    h, w = (h + 1) // 2, (w + 1) // 2  # textures are made at half size (feature sizes halved), then enlarged
    g = nprng(rng)
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == "wood":
        base = np.array(rng.choice(WOODS), np.float32)
        vertical = rng.random() < 0.5
        along, across = (yy, xx) if vertical else (xx, yy)
        plank = rng.uniform(0.18, 0.35) * max(h, w)
        slow = (lambda n_along, n_across: (n_along, n_across) if vertical else (n_across, n_along))
        warp = smooth_noise(g, h, w, *slow(3, 6)) * rng.uniform(10, 30)
        period = rng.uniform(8, 22)
        # growth rings: a sine across the grain whose phase wanders (uneven spacing, gently wavy lines)
        phase = (across + warp + 0.01 * along) / period + 0.8 * smooth_noise(g, h, w, *slow(3, 14))
        rings = (np.sin(phase * 2 * math.pi) * 0.5 + 0.5) ** 2
        # fibres: noise stretched along the grain (slow along it, fast across it)
        sy, sx = (int(h / 60), int(w / 2.5)) if vertical else (int(h / 2.5), int(w / 60))
        streak = cv2.resize(g.standard_normal((max(2, sy), max(2, sx))).astype(np.float32), (w, h),
                            interpolation=cv2.INTER_CUBIC)
        board = np.floor(across / plank)
        board_tone = (np.sin(board * 12.9898) * 43758.5453) % 1.0 - 0.5  # a tone per plank
        seam = np.exp(-(((across % plank) - 1.0) ** 2) / 1.5)
        tone = 1 + 0.14 * board_tone - 0.10 * rings + 0.05 * streak + 0.08 * fractal(g, h, w, 3, 3)
        tone = tone * (1 - 0.45 * seam)
        img = tone[..., None] * base
    elif kind == "fabric":
        base = np.array(rng.choice(FABRICS), np.float32)
        p = rng.uniform(2.2, 4.0)
        ang = math.radians(rng.uniform(-20, 20))
        u = xx * math.cos(ang) + yy * math.sin(ang)
        v = -xx * math.sin(ang) + yy * math.cos(ang)
        weave = np.sin(u / p * 2 * math.pi) * np.sin(v / p * 2 * math.pi)
        thread = g.standard_normal((h, w)).astype(np.float32)
        thread = cv2.GaussianBlur(thread, (0, 0), 0.7)
        folds = fractal(g, h, w, 2, 3)
        tone = 1 + 0.10 * weave + 0.10 * thread + 0.15 * folds
        img = tone[..., None] * base
    else:
        kind = "table"
        base = np.array(rng.choice(TABLES), np.float32)
        speck = g.standard_normal((h, w)).astype(np.float32)
        speck = cv2.GaussianBlur(speck, (0, 0), 0.5)
        marble = fractal(g, h, w, 3, 5)
        veins = np.abs(np.sin((xx * 0.008 + yy * 0.004 + marble * 3.0) * math.pi * rng.uniform(1, 3)))
        tone = 1 + 0.06 * speck + 0.08 * marble - 0.10 * (veins < 0.05) * rng.random()
        img = tone[..., None] * base
    tint = 1 + cv2.resize(g.standard_normal((3, 3, 3)).astype(np.float32) * 0.008, (w, h),
                          interpolation=cv2.INTER_CUBIC)
    img = np.clip(img * tint, 0, 255).astype(np.float32)
    return cv2.resize(img, (W, H), interpolation=cv2.INTER_CUBIC), {"kind": kind}


# ------------------------------------------------------------------ flat geometry (homography)
def rot_x(a):
    c, s = math.cos(a), math.sin(a)
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]])


def rot_y(a):
    c, s = math.cos(a), math.sin(a)
    return np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


def rot_z(a):
    c, s = math.cos(a), math.sin(a)
    return np.array([[c, -s, 0], [s, c, 0], [0, 0, 1]])


def plane_homography(w: int, h: int, tilt_deg: float, tilt_dir_deg: float, rot_deg: float,
                     distance: float = 1.7) -> np.ndarray:
    """Label pixels -> normalised image plane of a pinhole camera looking at the tilted label.

    The label (w x h) is centred at the origin, turned `rot_deg` in its plane, then tilted
    `tilt_deg` about an in-plane axis perpendicular to `tilt_dir_deg`, at `distance` x its
    long side from the camera (focal length 1)."""
    t, d = math.radians(tilt_deg), math.radians(tilt_dir_deg)
    R = rot_x(t * math.sin(d)) @ rot_y(t * math.cos(d)) @ rot_z(math.radians(rot_deg))
    z0 = distance * max(w, h)
    M = np.column_stack([R[:, 0], R[:, 1], [0, 0, z0]])
    centre = np.array([[1, 0, -w / 2], [0, 1, -h / 2], [0, 0, 1]])
    return M @ centre


def fit_into(points: np.ndarray, out_w: int, out_h: int, coverage: float, rng: random.Random) -> np.ndarray:
    """Affine (scale + shift) placing `points` (N x 2) in an out_w x out_h frame, covering `coverage`."""
    x0, y0 = points.min(0)
    x1, y1 = points.max(0)
    s = coverage * min(out_w / (x1 - x0), out_h / (y1 - y0))
    slack_x = out_w - s * (x1 - x0)
    slack_y = out_h - s * (y1 - y0)
    ox = slack_x * rng.uniform(0.3, 0.7) - s * x0
    oy = slack_y * rng.uniform(0.3, 0.7) - s * y0
    return np.array([[s, 0, ox], [0, s, oy], [0, 0, 1]])


def apply_h(H: np.ndarray, pts) -> np.ndarray:
    p = np.asarray(pts, np.float64).reshape(-1, 2)
    q = np.column_stack([p, np.ones(len(p))]) @ H.T
    return q[:, :2] / q[:, 2:3]


def box_corners(b) -> np.ndarray:
    x, y, w, h = b
    return np.array([[x, y], [x + w, y], [x + w, y + h], [x, y + h]], np.float64)


def box_of(pts: np.ndarray, W: int, H: int) -> list[int] | None:
    if len(pts) == 0:
        return None
    x0, y0 = np.floor(pts.min(0))
    x1, y1 = np.ceil(pts.max(0))
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(W, x1), min(H, y1)
    if x1 <= x0 or y1 <= y0:
        return None
    return [int(x0), int(y0), int(x1 - x0), int(y1 - y0)]


# ------------------------------------------------------------------ optics and sensor
def light_field(rng: random.Random, h: int, w: int, lo: float) -> tuple[np.ndarray, dict]:
    """A smooth multiplier in lo..1: a linear gradient in a random direction times a vignette."""
    ang = rng.uniform(0, 2 * math.pi)
    H, W = h, w
    k = 8  # smooth: computed on a coarse grid, then enlarged
    h, w = (h + k - 1) // k, (w + k - 1) // k
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    xn, yn = (xx - w / 2) / max(w, h), (yy - h / 2) / max(w, h)
    grad = xn * math.cos(ang) + yn * math.sin(ang)  # about -0.5..0.5
    grad = (grad - grad.min()) / max(1e-6, float(grad.max() - grad.min()))
    vig_k = rng.uniform(0.4, 1.0)
    vig = 1 - vig_k * (xn ** 2 + yn ** 2) / 0.4
    share = rng.uniform(0.4, 0.8)  # how much of the drop comes from the gradient vs the vignette
    f = 1 - (1 - lo) * (share * (1 - grad) + (1 - share) * np.clip(1 - vig, 0, 1) / max(1e-6, vig_k))
    f = np.clip(f, lo, 1.0)
    warm = rng.uniform(-0.04, 0.05)  # colour temperature of the light
    tint = np.array([1 + warm, 1.0, 1 - warm], np.float32)
    f = cv2.resize((f[..., None] * tint).astype(np.float32), (W, H), interpolation=cv2.INTER_LINEAR)
    return f, {"min": r2(lo), "direction_deg": r2(math.degrees(ang), 1),
                                 "vignette": r2(vig_k), "warmth": r2(warm, 3)}


def glare_mask(h: int, w: int, cx: float, cy: float, a: float, b: float, ang: float, washout: bool):
    """Soft ellipse in 0..1 and the window (x0, y0, x1, y1) it lives in; a washout has a flat
    saturated core, a sheen is Gaussian."""
    pad = 2.6 * max(a, b)
    x0, x1 = int(max(0, cx - pad)), int(min(w, cx + pad))
    y0, y1 = int(max(0, cy - pad)), int(min(h, cy + pad))
    x1, y1 = max(x0, x1), max(y0, y1)
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    dx, dy = xx - cx, yy - cy
    c, s = math.cos(ang), math.sin(ang)
    r2_ = ((dx * c + dy * s) / a) ** 2 + ((-dx * s + dy * c) / b) ** 2
    if washout:
        r = np.sqrt(r2_)
        m = np.clip(1.0 - np.maximum(0, r - 1.0) / 0.8, 0, 1) ** 2
    else:
        m = np.exp(-0.5 * r2_ * 2.2)
    return m.astype(np.float32), (x0, y0, x1, y1)


def ellipse_bbox(cx, cy, a, b, ang, W, H, reach: float) -> list[int] | None:
    A, B = a * reach, b * reach
    hx = math.sqrt((A * math.cos(ang)) ** 2 + (B * math.sin(ang)) ** 2)
    hy = math.sqrt((A * math.sin(ang)) ** 2 + (B * math.cos(ang)) ** 2)
    return box_of(np.array([[cx - hx, cy - hy], [cx + hx, cy + hy]]), W, H)


def motion_kernel(length: int, ang_deg: float) -> np.ndarray:
    k = np.zeros((length, length), np.float32)
    c = (length - 1) / 2
    a = math.radians(ang_deg)
    for t in np.linspace(-c, c, length * 4):
        x, y = c + t * math.cos(a), c + t * math.sin(a)
        k[int(round(y)), int(round(x))] += 1
    return k / k.sum()


def blur(img: np.ndarray, rng: random.Random, sigma_range, motion_range, p_motion: float) -> tuple[np.ndarray, dict]:
    if motion_range and rng.random() < p_motion:
        n = rng.randrange(motion_range[0], motion_range[1] + 1, 2)
        ang = rng.uniform(0, 180)
        out = cv2.filter2D(img, -1, motion_kernel(n, ang), borderType=cv2.BORDER_REFLECT)
        out = cv2.GaussianBlur(out, (0, 0), 0.4)
        return out, {"kind": "motion", "kernel_px": n, "angle_deg": r2(ang, 1)}
    sigma = rng.uniform(*sigma_range)
    return cv2.GaussianBlur(img, (0, 0), sigma, dst=img), {"kind": "defocus", "sigma": r2(sigma)}


def sensor_noise(img: np.ndarray, rng: random.Random, sigma_range) -> tuple[np.ndarray, dict]:
    """Read noise (constant) + shot noise (grows with brightness) + a little chroma noise."""
    g = nprng(rng)
    read = rng.uniform(*sigma_range)
    shot = rng.uniform(0.05, 0.15)
    h, w = img.shape[:2]
    lum = g.standard_normal((h, w), dtype=np.float32)
    chroma = cv2.resize(g.standard_normal((h // 4, w // 4, 3), dtype=np.float32) * np.float32(read * 0.35),
                        (w, h), interpolation=cv2.INTER_LINEAR)
    grey = cv2.cvtColor(img, cv2.COLOR_RGB2GRAY)
    sd = np.float32(read) + np.float32(shot) * np.sqrt(np.maximum(grey, 0))
    out = cv2.add(img, cv2.cvtColor(cv2.multiply(lum, sd), cv2.COLOR_GRAY2RGB), dst=img)
    out = cv2.add(out, chroma, dst=out)
    return out, {"read_sigma": r2(read), "shot": r2(shot, 3)}


def to_uint8(img: np.ndarray) -> np.ndarray:
    return cv2.add(img, 0.0, dtype=cv2.CV_8U)  # rounds and saturates


# ------------------------------------------------------------------ cylinder (bottle) geometry
class Cylinder:
    """A label wrapped round a vertical cylinder of radius R (label pixels), seen by a pinhole camera.

    Label coordinates (u, v): u along the circumference, v down the axis.  The label point
    u = u_c faces the camera; v = v_c is at the height the camera looks at.  The camera is at
    `dist` x R from the axis, pitched `pitch_deg` (positive: looking down from above)."""

    def __init__(self, R: float, u_c: float, v_c: float, dist: float, pitch_deg: float):
        self.R, self.u_c, self.v_c = R, u_c, v_c
        self.D = dist * R
        b = math.radians(pitch_deg)
        self.C = np.array([0.0, -self.D * math.sin(b), -self.D * math.cos(b)])
        self.fwd = np.array([0.0, math.sin(b), math.cos(b)])
        self.right = np.array([1.0, 0.0, 0.0])
        self.down = np.array([0.0, math.cos(b), -math.sin(b)])
        self.f, self.cx, self.cy = 1.0, 0.0, 0.0
        self.alpha_horizon = math.acos(min(1.0, R / self.D))  # silhouette angle seen from the camera

    def forward(self, u, v) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Label (u, v) -> photo (x, y) and whether the point faces the camera."""
        u, v = np.asarray(u, np.float64), np.asarray(v, np.float64)
        a = (u - self.u_c) / self.R
        P = np.stack([self.R * np.sin(a), v - self.v_c, -self.R * np.cos(a)], -1) - self.C
        x, y, z = P @ self.right, P @ self.down, P @ self.fwd
        visible = np.abs(a) < self.alpha_horizon
        return self.f * x / z + self.cx, self.f * y / z + self.cy, visible

    def inverse(self, h: int, w: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """For every photo pixel: label (u, v), the surface angle alpha and a hit mask."""
        ys, xs = np.mgrid[0:h, 0:w].astype(np.float32)
        px, py = (xs - self.cx) / self.f, (ys - self.cy) / self.f
        d = [self.fwd[i] + self.right[i] * px + self.down[i] * py for i in range(3)]
        Cx, Cz = self.C[0], self.C[2]
        A = d[0] ** 2 + d[2] ** 2
        B = 2 * (Cx * d[0] + Cz * d[2])
        Cc = Cx ** 2 + Cz ** 2 - self.R ** 2
        disc = B * B - 4 * A * Cc
        hit = disc > 0
        t = (-B - np.sqrt(np.maximum(disc, 0))) / (2 * A)
        X = Cx + t * d[0]
        Y = self.C[1] + t * d[1]
        Z = Cz + t * d[2]
        alpha = np.arctan2(X, -Z)
        u = self.u_c + alpha * self.R
        v = self.v_c + Y
        return u.astype(np.float32), v.astype(np.float32), alpha.astype(np.float32), hit
