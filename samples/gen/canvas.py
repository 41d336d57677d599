"""A drawing surface that paints with PIL and records every operation.

The recorded operations (in pixels, origin top-left) are replayed by `pdfout` with
fpdf2 so the text-layer PDF is the same artwork as the PNG.  `log()` collects the
label's printed lines in reading order for the `.txt` sample.
"""

from __future__ import annotations

from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

Color = tuple[int, int, int]


@lru_cache(maxsize=256)
def font(path: str, size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(path, max(6, int(size)))


class Canvas:
    def __init__(self, width: int, height: int, bg: Color = (255, 255, 255)):
        self.w, self.h, self.bg = width, height, bg
        self.img = Image.new("RGB", (width, height), bg)
        self.draw = ImageDraw.Draw(self.img)
        self.ops: list[tuple] = [("rect", 0, 0, width, height, bg, None, 0, 0)]
        self.lines: list[str] = []
        self.regions: list[dict] = []  # tagged boxes (seals, panel) for the ground truth
        self.bottom = 0  # lowest y painted so far

    # -- measuring -------------------------------------------------------------------
    @staticmethod
    def width_of(text: str, path: str, size: int) -> float:
        return font(path, size).getlength(text)

    @staticmethod
    def metrics(path: str, size: int) -> tuple[int, int]:
        return font(path, size).getmetrics()  # ascent, descent (positive)

    def wrap(self, text: str, path: str, size: int, width: float, rest_width: float | None = None) -> list[str]:
        """Greedy word wrap of `text` to `width` pixels (`rest_width` for lines after the first)."""
        out: list[str] = []
        for para in text.split("\n"):
            line = ""
            for word in para.split(" "):
                trial = f"{line} {word}" if line else word
                limit = width if not out or rest_width is None else rest_width
                if line and self.width_of(trial, path, size) > limit:
                    out.append(line)
                    line = word
                else:
                    line = trial
            out.append(line)
        return out

    def _grow(self, y: float) -> None:
        self.bottom = max(self.bottom, int(y + 0.999))

    # -- drawing ----------------------------------------------------------------------
    def rect(self, x0, y0, x1, y1, fill=None, outline=None, width=0, radius=0) -> None:
        box = [round(x0), round(y0), round(x1) - 1, round(y1) - 1]
        if radius:
            self.draw.rounded_rectangle(box, radius=round(radius), fill=fill, outline=outline,
                                        width=round(width))
        else:
            self.draw.rectangle(box, fill=fill, outline=outline, width=round(width))
        self.ops.append(("rect", x0, y0, x1, y1, fill, outline, width, radius))
        self._grow(y1)

    def rule(self, x0, y, x1, thickness, color=(0, 0, 0)) -> None:
        """A horizontal rule whose top edge is at y."""
        self.rect(x0, y, x1, y + max(1, round(thickness)), fill=color)

    def ellipse(self, cx, cy, r, fill=None, outline=None, width=0) -> None:
        self.draw.ellipse([round(cx - r), round(cy - r), round(cx + r), round(cy + r)], fill=fill,
                          outline=outline, width=round(width))
        self.ops.append(("ellipse", cx, cy, r, fill, outline, width))
        self._grow(cy + r)

    def polygon(self, pts, fill=None, outline=None, width=0) -> None:
        pts = [(round(x), round(y)) for x, y in pts]
        self.draw.polygon(pts, fill=fill, outline=outline, width=round(width))
        self.ops.append(("polygon", pts, fill, outline, width))
        self._grow(max(y for _, y in pts))

    def polyline(self, pts, color, width) -> None:
        pts = [(round(x), round(y)) for x, y in pts]
        self.draw.line(pts, fill=color, width=round(width), joint="curve")
        self.ops.append(("polyline", pts, color, width))
        self._grow(max(y for _, y in pts) + width / 2)

    def text(self, x, y, s: str, path: str, size: int, color: Color = (0, 0, 0)) -> float:
        """Draw `s` with its baseline-left point at (x, y); returns the advance width."""
        size = int(size)
        self.draw.text((round(x), round(y)), s, font=font(path, size), fill=color, anchor="ls")
        self.ops.append(("text", round(x), round(y), s, path, size, color))
        self._grow(y + self.metrics(path, size)[1])
        return self.width_of(s, path, size)

    def text_right(self, xr, y, s, path, size, color=(0, 0, 0)) -> float:
        w = self.width_of(s, path, int(size))
        self.text(xr - w, y, s, path, size, color)
        return w

    def text_center(self, xc, y, s, path, size, color=(0, 0, 0)) -> float:
        w = self.width_of(s, path, int(size))
        self.text(xc - w / 2, y, s, path, size, color)
        return w

    def char_rotated(self, cx, cy, ch: str, path: str, size: int, color: Color, deg_cw: float) -> None:
        """One character centred on (cx, cy), turned `deg_cw` degrees clockwise."""
        size = int(size)
        f = font(path, size)
        tile = 2 * size + 4
        mask = Image.new("L", (tile, tile), 0)
        ImageDraw.Draw(mask).text((tile / 2, tile / 2), ch, font=f, fill=255, anchor="mm")
        mask = mask.rotate(-deg_cw, resample=Image.BICUBIC, center=(tile / 2, tile / 2))
        self.img.paste(color, (round(cx - tile / 2), round(cy - tile / 2)), mask)
        self.ops.append(("char", cx, cy, ch, path, size, color, deg_cw))
        self._grow(cy + size)

    def mark(self, tag: dict, x0, y0, x1, y1) -> None:
        """Remember that `tag` (e.g. {"seal": "usp-verified"}) occupies the box x0,y0–x1,y1."""
        self.regions.append({**tag, "bbox": [round(x0), round(y0), round(x1 - x0), round(y1 - y0)]})

    def log(self, line: str) -> None:
        line = " ".join(line.split())
        if line:
            self.lines.append(line)

    # -- composing --------------------------------------------------------------------
    def paste(self, other: "Canvas", x: int, y: int) -> None:
        self.img.paste(other.img, (x, y))
        for op in other.ops:
            self.ops.append(_shift(op, x, y))
        self.lines.extend(other.lines)
        for r in other.regions:
            bx, by, bw, bh = r["bbox"]
            self.regions.append({**r, "bbox": [bx + x, by + y, bw, bh]})
        self._grow(y + other.h)

    def cropped(self, height: int) -> "Canvas":
        out = Canvas.__new__(Canvas)
        out.w, out.h, out.bg = self.w, height, self.bg
        out.img = self.img.crop((0, 0, self.w, height))
        out.draw = ImageDraw.Draw(out.img)
        out.ops = [("rect", 0, 0, self.w, height, self.bg, None, 0, 0)] + self.ops[1:]
        out.lines = list(self.lines)
        out.regions = list(self.regions)
        out.bottom = min(self.bottom, height)
        return out


def _shift(op: tuple, dx: int, dy: int) -> tuple:
    kind = op[0]
    if kind == "rect":
        _, x0, y0, x1, y1, *rest = op
        return ("rect", x0 + dx, y0 + dy, x1 + dx, y1 + dy, *rest)
    if kind == "ellipse":
        _, cx, cy, *rest = op
        return ("ellipse", cx + dx, cy + dy, *rest)
    if kind in ("polygon", "polyline"):
        _, pts, *rest = op
        return (kind, [(x + dx, y + dy) for x, y in pts], *rest)
    if kind in ("text", "char"):
        _, x, y, *rest = op
        return (kind, x + dx, y + dy, *rest)
    raise ValueError(kind)
