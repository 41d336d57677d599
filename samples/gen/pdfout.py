"""PDF artwork with fpdf2: a text-layer PDF replayed from the Canvas operations, and an
image-only PDF (the PNG placed at 300 dpi)."""

from __future__ import annotations

import datetime
import io
import os

from fpdf import FPDF
from PIL import Image

from .canvas import Canvas

DPI = 300
MM = 25.4 / DPI  # one pixel in millimetres
FIXED_DATE = datetime.datetime(2024, 1, 1, tzinfo=datetime.timezone.utc)


def _pdf(w_px: int, h_px: int) -> FPDF:
    pdf = FPDF(unit="mm", format=(w_px * MM, h_px * MM))
    pdf.set_auto_page_break(False)
    pdf.set_margins(0, 0, 0)
    pdf.set_creation_date(FIXED_DATE)
    pdf.set_producer("labelscan sample generator")
    pdf.add_page()
    return pdf


def _fill(pdf, c):
    pdf.set_fill_color(*c)


def _draw(pdf, c):
    pdf.set_draw_color(*c)


def text_pdf(cv: Canvas, path: str) -> None:
    """Replay the recorded drawing operations: vector shapes and real (selectable) text."""
    pdf = _pdf(cv.w, cv.h)
    families: dict[str, str] = {}

    def use_font(fpath: str, size_px: int):
        if fpath not in families:
            name = f"F{len(families)}"
            pdf.add_font(name, "", fpath)
            families[fpath] = name
        pdf.set_font(families[fpath], size=size_px * 72 / DPI)

    for op in cv.ops:
        kind = op[0]
        if kind == "rect":
            _, x0, y0, x1, y1, fill, outline, width, radius = op
            if fill is None and outline is None:
                continue
            style = ("F" if outline is None else "DF") if fill is not None else "D"
            if fill is not None:
                _fill(pdf, fill)
            if outline is not None:
                _draw(pdf, outline)
                pdf.set_line_width(max(width, 1) * MM)
                # PIL strokes inside the box; PDF strokes on the path: inset by half a stroke
                inset = max(width, 1) / 2
                x0, y0, x1, y1 = x0 + inset, y0 + inset, x1 - inset, y1 - inset
            pdf.rect(x0 * MM, y0 * MM, (x1 - x0) * MM, (y1 - y0) * MM, style=style,
                     round_corners=bool(radius), corner_radius=radius * MM)
        elif kind == "ellipse":
            _, cx, cy, r, fill, outline, width = op
            style = ("F" if outline is None else "DF") if fill is not None else "D"
            if fill is not None:
                _fill(pdf, fill)
            rr = r
            if outline is not None:
                _draw(pdf, outline)
                pdf.set_line_width(max(width, 1) * MM)
                rr = r - max(width, 1) / 2
            pdf.ellipse((cx - rr) * MM, (cy - rr) * MM, 2 * rr * MM, 2 * rr * MM, style=style)
        elif kind == "polygon":
            _, pts, fill, outline, width = op
            if fill is not None:
                _fill(pdf, fill)
            if outline is not None:
                _draw(pdf, outline)
                pdf.set_line_width(max(width, 1) * MM)
            style = ("F" if outline is None else "DF") if fill is not None else "D"
            pdf.polygon([(x * MM, y * MM) for x, y in pts], style=style)
        elif kind == "polyline":
            _, pts, color, width = op
            _draw(pdf, color)
            pdf.set_line_width(width * MM)
            pdf.polyline([(x * MM, y * MM) for x, y in pts])
        elif kind == "text":
            _, x, y, s, fpath, size, color = op
            use_font(fpath, size)
            pdf.set_text_color(*color)
            pdf.text(x * MM, y * MM, s)
        elif kind == "char":
            _, cx, cy, ch, fpath, size, color, deg_cw = op
            use_font(fpath, size)
            pdf.set_text_color(*color)
            asc, desc = Canvas.metrics(fpath, size)
            w = Canvas.width_of(ch, fpath, size)
            with pdf.rotation(-deg_cw, cx * MM, cy * MM):  # fpdf2: +angle = counter-clockwise
                pdf.text((cx - w / 2) * MM, (cy + (asc - desc) / 2) * MM, ch)
    pdf.output(path)


def image_pdf(img: Image.Image, path: str) -> None:
    """The artwork as a single raster image on a page of the same physical size (300 dpi)."""
    pdf = _pdf(img.width, img.height)
    buf = io.BytesIO()
    img.save(buf, format="PNG")
    buf.seek(0)
    pdf.image(buf, x=0, y=0, w=img.width * MM, h=img.height * MM)
    pdf.output(path)
