"""Certification marks and look-alike self-claim badges, drawn on a Canvas.

Generic renditions only (no real logo artwork): round marks with the programme words
set character by character along the ring, a short centre word, shields and plain
rounded badges.  Self-claims get the same treatment, because on real bottles they
are designed to look like seals.
"""

from __future__ import annotations

import math
import random

from .canvas import Canvas

CHECK = "<check>"

# id: (top arc, centre word, bottom arc, straight lines for shield/badge, colour)
SEALS: dict[str, tuple[str, str, str, list[str], tuple[int, int, int]]] = {
    "usp-verified": ("DIETARY SUPPLEMENT", "USP", "VERIFIED", ["USP", "VERIFIED", "Dietary Supplement"], (0, 61, 112)),
    "nsf-certified-for-sport": ("CERTIFIED", "NSF", "FOR SPORT", ["NSF", "Certified for Sport®"], (0, 84, 150)),
    "nsf-contents-certified": ("CONTENTS CERTIFIED", "NSF", "NSF/ANSI 173", ["NSF", "Contents Certified", "NSF/ANSI 173"], (0, 84, 150)),
    "informed-sport": ("INFORMED", CHECK, "SPORT", ["INFORMED", "SPORT"], (196, 24, 48)),
    "informed-choice": ("INFORMED CHOICE", CHECK, "TRUSTED BY SPORT", ["INFORMED CHOICE", "Trusted by Sport"], (0, 110, 180)),
    "bscg-certified-drug-free": ("CERTIFIED", "BSCG", "DRUG FREE", ["BSCG", "Certified Drug Free®"], (0, 118, 62)),
    "consumerlab-approved": ("CONSUMERLAB.COM", "CL", "APPROVED QUALITY", ["ConsumerLab.com", "APPROVED QUALITY"], (40, 40, 40)),
    "labdoor-tested": ("LABDOOR", CHECK, "TESTED", ["LABDOOR", "TESTED"], (18, 140, 190)),
    "ul-certified": ("DIETARY SUPPLEMENT", "UL", "CERTIFIED", ["UL", "CERTIFIED", "Dietary Supplement"], (190, 20, 30)),
    "nsf-gmp-registered": ("GMP REGISTERED", "NSF", "NSF.ORG", ["NSF", "GMP Registered"], (0, 84, 150)),
    "npa-gmp": ("NATURAL PRODUCTS ASSOCIATION", "NPA", "GMP CERTIFIED", ["NPA", "GMP Certified"], (0, 100, 70)),
    # self-claims dressed as seals
    "made-in-cgmp-facility": ("MADE IN A", "cGMP", "FACILITY", ["MADE IN A", "cGMP FACILITY"], (150, 115, 30)),
    "gmp-quality": ("GOOD MANUFACTURING PRACTICE", "GMP", "QUALITY", ["GMP", "QUALITY"], (30, 110, 60)),
    "third-party-tested": ("THIRD-PARTY", CHECK, "TESTED", ["THIRD-PARTY", "TESTED"], (20, 20, 20)),
    "fda-registered-facility": ("MADE IN AN", "FDA", "REGISTERED FACILITY", ["MADE IN AN", "FDA REGISTERED", "FACILITY"], (20, 60, 120)),
    "meets-usp-standards": ("FORMULATED TO MEET", "USP", "STANDARDS", ["Formulated to meet", "USP", "standards"], (120, 90, 20)),
}
# a sentence for self-claims printed as plain text instead of a badge
CLAIM_SENTENCES = {
    "made-in-cgmp-facility": "Made in a cGMP facility.",
    "gmp-quality": "GMP Quality - Good Manufacturing Practices.",
    "third-party-tested": "Third-party tested for purity and potency.",
    "fda-registered-facility": "Manufactured in an FDA registered facility.",
    "meets-usp-standards": "Formulated to meet USP standards.",
}
STYLES = ["ring", "ring", "disc", "ring-caption", "shield", "badge"]


def _fit(text: str, path: str, size: int, width: float, min_size: int = 10) -> int:
    while size > min_size and Canvas.width_of(text, path, size) > width:
        size -= 1
    return size


def arc_text(cv: Canvas, text: str, cx, cy, r, path, size, color, top=True, max_span=math.radians(150)) -> float:
    """Set `text` along a circle of radius r (to the letters' middle), each character turned to the tangent."""
    track = size * 0.08
    while True:
        widths = [Canvas.width_of(ch, path, size) + track for ch in text]
        total = sum(widths) - track
        if total / r <= max_span or size <= 10:
            break
        size -= 1
    span = total / r
    pos = 0.0
    for ch, w in zip(text, widths):
        mid = (pos + (w - track) / 2) / r
        pos += w
        if ch == " ":
            continue
        if top:
            a = -math.pi / 2 - span / 2 + mid
            rot = math.degrees(a) + 90
        else:
            a = math.pi / 2 + span / 2 - mid
            rot = math.degrees(a) - 90
        cv.char_rotated(cx + r * math.cos(a), cy + r * math.sin(a), ch, path, size, color, rot)
    return span


def check_mark(cv: Canvas, cx, cy, s, color) -> None:
    cv.polyline([(cx - 0.45 * s, cy), (cx - 0.12 * s, cy + 0.33 * s), (cx + 0.5 * s, cy - 0.38 * s)],
                color, max(3, s * 0.16))


def draw_seal(cv: Canvas, sid: str, x: float, y: float, d: float, style: str, fam, rng: random.Random,
              color=None, ink=None) -> tuple[float, float]:
    """Draw mark `sid` with its top-left at (x, y), diameter / width d; returns (width, height)."""
    top, centre, bottom, lines, base = SEALS[sid]
    color = color or base
    white = (255, 255, 255)
    bold = fam.condensed_bold if rng.random() < 0.6 else fam.bold
    if style in ("ring", "disc", "ring-caption"):
        R = d / 2
        cx, cy = x + R, y + R
        fg, bg = (white, color) if style == "disc" else (color, white)
        cv.ellipse(cx, cy, R, fill=bg, outline=color, width=max(3, d * 0.03))
        band = d * 0.2
        cv.ellipse(cx, cy, R - band, fill=None, outline=fg, width=max(2, d * 0.012))
        if style != "disc" and rng.random() < 0.5:
            cv.ellipse(cx, cy, R - d * 0.045, fill=None, outline=color, width=max(2, d * 0.008))
        fsize = int(d * 0.095)
        r_text = R - band / 2
        span = arc_text(cv, top, cx, cy, r_text, bold, fsize, fg, top=True, max_span=math.radians(200))
        arc_text(cv, bottom, cx, cy, r_text, bold, fsize, fg, top=False, max_span=math.radians(150))
        if span < math.radians(168):
            for side in (-1, 1):  # dots between the arcs
                cv.ellipse(cx + side * r_text, cy, d * 0.018, fill=fg)
        inner = 2 * (R - band) * 0.78
        if centre == CHECK:
            check_mark(cv, cx, cy, inner * 0.6, fg)
        else:
            cs = _fit(centre, fam.bold, int(d * 0.26), inner)
            asc, desc = Canvas.metrics(fam.bold, cs)
            cv.text_center(cx, cy + cs * 0.36, centre, fam.bold, cs, fg)
        cv.log(top)
        if centre != CHECK:
            cv.log(centre)
        cv.log(bottom)
        h = d
        if style == "ring-caption":
            cap = " ".join(lines).replace("®", "")
            cs = _fit(cap, fam.bold, int(d * 0.1), d * 1.1)
            cv.text_center(cx, y + d + cs * 1.2, cap, fam.bold, cs, ink or color)
            cv.log(cap)
            h = d + cs * 1.5
        return d, h
    if style == "shield":
        w, h = d, d * 1.15
        pts = [(x, y + h * 0.08), (x + w / 2, y), (x + w, y + h * 0.08), (x + w, y + h * 0.55),
               (x + w / 2, y + h), (x, y + h * 0.55)]
        cv.polygon(pts, fill=color, outline=color)
        inset = [(px + (x + w / 2 - px) * 0.08, py + (y + h * 0.5 - py) * 0.08) for px, py in pts]
        cv.polygon(inset, fill=None, outline=white, width=max(2, d * 0.015))
        yy = y + h * 0.2
        for i, line in enumerate(lines):
            big = i == 0 and len(line) <= 5
            s = _fit(line, bold, int(d * (0.26 if big else 0.1)), w * (0.72 if i < 2 else 0.6))
            yy += s * 1.05
            cv.text_center(x + w / 2, yy, line, bold, s, white)
            cv.log(line)
            yy += s * 0.2
        if centre == CHECK:
            check_mark(cv, x + w / 2, y + h * 0.75, w * 0.18, white)
        return w, h
    # badge: rounded rectangle with two or three lines of text
    w = d * rng.choice([1.1, 1.3, 1.5])
    sizes = []
    for i, line in enumerate(lines):
        big = i == 0 and len(line) <= 5
        sizes.append(_fit(line, bold, int(d * (0.22 if big else 0.11)), w * 0.85))
    h = sum(s * 1.25 for s in sizes) + d * 0.16
    filled = rng.random() < 0.5
    fg = white if filled else color
    cv.rect(x, y, x + w, y + h, fill=color if filled else white, outline=color, width=max(3, d * 0.025),
            radius=d * 0.08)
    yy = y + d * 0.08
    for line, s in zip(lines, sizes):
        yy += s * 1.02
        cv.text_center(x + w / 2, yy, line, bold, s, fg)
        cv.log(line)
        yy += s * 0.23
    return w, h
