"""The annotated image: evidence boxed and labelled by status, seals in blue, glare in magenta, a verdict banner."""

from __future__ import annotations

import os
import tempfile
from functools import lru_cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from labelscan.model import BBox, ScanResult
from labelscan.vision.glare import WASHED_OUT

RGB = tuple[int, int, int]
Rect = tuple[int, int, int, int]
"""(x0, y0, x1, y1), x1/y1 exclusive."""

STATUS_COLORS: dict[str, RGB] = {
    "pass": (22, 163, 74),
    "fail": (220, 38, 38),
    "unknown": (245, 158, 11),
    "not-applicable": (140, 140, 140),
}
VERDICT_COLORS: dict[str, RGB] = {
    "pass": STATUS_COLORS["pass"],
    "fail": STATUS_COLORS["fail"],
    "needs-review": STATUS_COLORS["unknown"],
    "error": (90, 90, 90),
}
SEAL_COLOR: RGB = (37, 99, 235)
GLARE_COLOR: RGB = (192, 38, 211)
DRAW_ORDER = ("not-applicable", "pass", "unknown", "fail")
"""Later statuses are drawn on top, so a failing box is never hidden under a passing one."""
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
TINT_ALPHA = 48
BANNER_ALPHA = 225


@lru_cache(maxsize=16)
def load_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans Bold (or Sans) at `size` px when installed, else PIL's default font at that size."""
    for name in ("DejaVuSans-Bold.ttf", "DejaVuSans.ttf"):
        try:
            return ImageFont.truetype(str(FONT_DIR / name), size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def scale(size: tuple[int, int]) -> tuple[int, int]:
    """(line width, font size) in pixels for an image of `size`, from its geometric mean side."""
    side = (size[0] * size[1]) ** 0.5
    return max(1, round(side / 400)), int(min(96, max(10, side / 50)))


def clip(bbox: BBox | None, size: tuple[int, int]) -> Rect | None:
    """The (x, y, w, h) box as a rectangle inside the image, or None if nothing of it is inside."""
    if bbox is None:
        return None
    x, y, w, h = bbox
    x0, y0 = max(0, x), max(0, y)
    x1, y1 = min(size[0], x + w), min(size[1], y + h)
    return (x0, y0, x1, y1) if x1 > x0 and y1 > y0 else None


def _text_color(fill: RGB) -> RGB:
    """Black on light fills (amber), white on dark ones."""
    return (0, 0, 0) if 0.299 * fill[0] + 0.587 * fill[1] + 0.114 * fill[2] > 160 else (255, 255, 255)


def _overlaps(a: Rect, b: Rect) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


class _Tags:
    """Places small filled text tags next to boxes, inside the image and clear of tags placed before."""

    def __init__(self, draw: ImageDraw.ImageDraw, size: tuple[int, int], font_size: int) -> None:
        self.draw = draw
        self.size = size
        self.font = load_font(max(9, round(font_size * 0.75)))
        self.pad = max(2, font_size // 6)
        self.placed: list[Rect] = []

    def _measure(self, text: str) -> tuple[int, int, int, int]:
        left, top, right, bottom = self.draw.textbbox((0, 0), text, font=self.font)
        return left, top, right - left + 2 * self.pad, bottom - top + 2 * self.pad

    def _fit(self, text: str) -> str:
        """Shorten the text with … until its tag fits the image width."""
        while len(text) > 1 and self._measure(text)[2] > self.size[0]:
            text = text[:-2] + "…"
        return text

    def _candidates(self, box: Rect, tw: int, th: int) -> list[tuple[int, int]]:
        x0, y0, x1, y1 = box
        spots = [(x0, y0 - th), (x0, y1), (x0, y0), (x1 - tw, y0 - th), (x1 - tw, y1)]
        for k in range(1, 8):
            spots += [(x0, y0 - th * (k + 1)), (x0, y1 + th * k)]
        width, height = self.size
        return [(min(max(0, x), max(0, width - tw)), min(max(0, y), max(0, height - th))) for x, y in spots]

    def place(self, text: str, box: Rect, fill: RGB) -> None:
        text = self._fit(text)
        left, top, tw, th = self._measure(text)
        spots = self._candidates(box, tw, th)
        free = (s for s in spots if not any(_overlaps((*s, s[0] + tw, s[1] + th), p) for p in self.placed))
        x, y = next(free, spots[0])
        self.placed.append((x, y, x + tw, y + th))
        self.draw.rectangle((x, y, x + tw - 1, y + th - 1), fill=fill)
        self.draw.text((x + self.pad - left, y + self.pad - top), text, font=self.font, fill=_text_color(fill))


def _banner_text(result: ScanResult) -> str:
    verdict = result.verdict.replace("-", " ").upper()
    if result.verdict == "error" or result.error:
        return f"{verdict} · {result.error or 'unknown error'}"
    counts = {s: sum(f.status == s for f in result.findings) for s in ("pass", "fail", "unknown")}
    tally = f"{counts['pass']} pass, {counts['fail']} fail, {counts['unknown']} unknown"
    return f"{verdict} · {tally} · {Path(result.source).name}"


Font = ImageFont.FreeTypeFont | ImageFont.ImageFont


def _draw_banner(
    base: Image.Image, overlay: ImageDraw.ImageDraw, result: ScanResult, font_size: int
) -> tuple[Rect, str, Font]:
    """Paints the banner background on the overlay; returns its rectangle, text and font for later."""
    font = load_font(font_size)
    pad = max(3, font_size // 3)
    measure = ImageDraw.Draw(base)
    text = _banner_text(result)
    while len(text) > 1 and measure.textlength(text, font=font) > base.width - 2 * pad:
        text = text[:-2] + "…"
    left, top, right, bottom = measure.textbbox((0, 0), text, font=font)
    rect = (0, 0, base.width, min(base.height, bottom - top + 2 * pad))
    color = VERDICT_COLORS.get(result.verdict, VERDICT_COLORS["error"])
    overlay.rectangle((0, 0, rect[2] - 1, rect[3] - 1), fill=(*color, BANNER_ALPHA))
    return rect, text, font


def draw(result: ScanResult, image: Image.Image, page: int = 0) -> Image.Image:
    """An RGB copy of the upright `image` (page `page` of the input) with the result drawn on it.

    Evidence and seals of this page are drawn: evidence boxed and tagged "<check id>: <status>", seals
    boxed in blue with their name, glare areas (where print may be lost) in magenta; a banner across the top
    gives the verdict and counts.
    """
    rgba = image.convert("RGBA")
    base = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
    size = base.size
    line, font_size = scale(size)

    boxes: list[tuple[Rect, RGB, str]] = []
    for status in DRAW_ORDER:
        for finding in (f for f in result.findings if f.status == status):
            for ev in finding.evidence:
                rect = clip(ev.bbox, size) if ev.page == page else None
                if rect:
                    boxes.append((rect, STATUS_COLORS[status], f"{finding.id}: {status}"))
    seals = result.label.seals if result.label else []
    for seal in seals:
        rect = clip(seal.bbox, size) if seal.page == page else None
        if rect:
            boxes.append((rect, SEAL_COLOR, seal.name or seal.program))
    glare = result.label.pages[page].glare if result.label and page < len(result.label.pages) else []
    for box in glare:
        if rect := clip(box, size):
            boxes.append((rect, GLARE_COLOR, WASHED_OUT))

    layer = Image.new("RGBA", size, (0, 0, 0, 0))
    overlay = ImageDraw.Draw(layer)
    for rect, color, _ in boxes:
        overlay.rectangle((rect[0], rect[1], rect[2] - 1, rect[3] - 1), fill=(*color, TINT_ALPHA))
    banner, banner_text, banner_font = _draw_banner(base, overlay, result, font_size)
    base = Image.alpha_composite(base, layer)

    pen = ImageDraw.Draw(base)
    for rect, color, _ in boxes:
        pen.rectangle((rect[0], rect[1], rect[2] - 1, rect[3] - 1), outline=color, width=line)
    tags = _Tags(pen, size, font_size)
    tags.placed.append(banner)
    for rect, color, text in reversed(boxes):
        tags.place(text, rect, color)
    left, top, _, _ = pen.textbbox((0, 0), banner_text, font=banner_font)
    pad = max(3, font_size // 3)
    pen.text((pad - left, pad - top), banner_text, font=banner_font, fill=(255, 255, 255))
    return base.convert("RGB")


def annotated_name(result: ScanResult, page: int | None = None) -> str:
    """`<stem>.annotated.png`; `<stem>.p<N>.annotated.png` (N = page index + 1) for a page of a PDF or multi-page input.

    `page` None means a single-page input; a PDF or multi-page label then still gets `.p1`.
    """
    stem = Path(result.source).stem
    if not stem or stem == "-":
        stem = "stdin"
    pages = len(result.label.pages) if result.label else 1
    if page is not None or result.source.lower().endswith(".pdf") or pages > 1:
        return f"{stem}.p{(page or 0) + 1}.annotated.png"
    return f"{stem}.annotated.png"


def write_annotated(result: ScanResult, image: Image.Image, out_dir: Path, page: int | None = None) -> Path:
    """Draws page `page` (None: the only page) of `result` on `image`, saves it atomically in `out_dir`.

    `out_dir` is created if missing; the file is written to a temp file beside it, then os.replace'd.
    Returns the path written.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / annotated_name(result, page)
    annotated = draw(result, image, page or 0)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=out_dir)
    try:
        with os.fdopen(fd, "wb") as fh:
            annotated.save(fh, format="PNG")
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return target
