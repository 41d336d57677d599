"""Label artwork: a front panel and a back panel with the Supplement Facts box, composed
in one of several layouts.  Everything is drawn on `Canvas` objects (PIL + recorded ops).
"""

from __future__ import annotations

import random

import fonts

from .canvas import Canvas
from .product import DISCLAIMER, fmt_mg
from .seals import CLAIM_SENTENCES, STYLES, draw_seal

BLACK = (0, 0, 0)
WHITE = (255, 255, 255)
LIGHT_BG = [(255, 255, 255), (250, 246, 236), (238, 245, 250), (240, 248, 240), (246, 240, 250), (255, 250, 240)]
DARK_BG = [(18, 28, 58), (16, 16, 18), (58, 22, 70), (10, 62, 52), (92, 20, 32), (30, 40, 48)]
ACCENTS = [(0, 120, 140), (110, 60, 150), (200, 110, 20), (30, 120, 70), (190, 40, 60), (40, 80, 170),
           (212, 175, 55)]
CITIES = ["Boulder, CO 80301", "Austin, TX 78701", "Portland, OR 97205", "Madison, WI 53703",
          "Asheville, NC 28801", "Provo, UT 84601", "Burlington, VT 05401", "San Diego, CA 92101"]
LAYOUTS = ["front-left", "front-left", "front-top", "panel-only"]
TALL = 7000  # scratch height of a block before cropping


def choose_design(rng: random.Random, overrides: dict | None = None, product: dict | None = None) -> dict:
    fams = fonts.all_families()
    sans = fonts.sans_families()
    d = {
        "layout": rng.choice(LAYOUTS),
        "panel_style": "tabular" if rng.random() < 0.2 else "standard",
        "font": rng.choice(sans if rng.random() < 0.85 else fams).name,
        "front_font": rng.choice(fams).name,
        "body_px": rng.randint(40, 52),
        "panel_width": rng.randint(1150, 1500),
        "front_width": rng.randint(1100, 1450),
        "dark": rng.random() < 0.3,
        "seal_style": rng.choice(STYLES),
        "seal_px": rng.randint(300, 400),
        "seal_place": "front" if rng.random() < 0.75 else "back",
        "disclaimer_place": "front" if rng.random() < 0.5 else "back",
        "name_band": rng.random() < 0.4,
        "header": rng.choice(["split", "split", "columns"]),
        "bold_names": rng.random() < 0.3,
        "claims_as_text": rng.random() < 0.3,
    }
    if product is not None and len(product["rows"]) < 3:
        d["panel_style"] = "standard"  # a tabular box around one or two rows looks empty
    d.update(overrides or {})
    if d["layout"] == "panel-only":
        d["dark"] = False
        d["seal_place"] = "back"
        d["disclaimer_place"] = "back"
    return d


# ---------------------------------------------------------------------------- helpers
def _para(cv: Canvas, x, y, width, text, path, size, color, leading=1.22, bold_prefix=None, log=True) -> float:
    """Wrapped paragraph with its first baseline one ascent below y; returns the y below it."""
    asc, _ = Canvas.metrics(path, size)
    lines = cv.wrap(text, path, size, width)
    for i, line in enumerate(lines):
        base = y + asc + i * size * leading
        if i == 0 and bold_prefix and line.startswith(bold_prefix):
            w = cv.text(x, base, bold_prefix, bold_prefix_path(path), size, color)
            cv.text(x + w, base, line[len(bold_prefix):], path, size, color)
        else:
            cv.text(x, base, line, path, size, color)
        if log:
            cv.log(line)
    return y + asc + (len(lines) - 1) * size * leading + size * 0.45


_BOLD_OF: dict[str, str] = {}


def bold_prefix_path(path: str) -> str:
    if not _BOLD_OF:
        for f in fonts.all_families():
            _BOLD_OF.setdefault(f.regular, f.bold)
            _BOLD_OF.setdefault(f.condensed, f.condensed_bold)
            _BOLD_OF.setdefault(f.italic, f.bold)
    return _BOLD_OF.get(path, path)


def _fit(text, path, size, width, min_size=12):
    while size > min_size and Canvas.width_of(text, path, size) > width:
        size -= 1
    return size


def _amount_text(r: dict) -> str:
    return r["amount_text"] or f"{fmt_mg(r['amount'])} {r['unit']}"


def _dv_text(r: dict) -> str:
    if r["dv_percent"] is not None:
        return f"{r['dv_percent']}%"
    return "†" if r["amount"] is not None else ""


# ---------------------------------------------------------------------------- facts panel
def facts_panel(cv: Canvas, x0: float, y0: float, W: float, p: dict, d: dict) -> float:
    """The Supplement Facts box with its top-left at (x0, y0); returns the y of its bottom edge."""
    fam = fonts.families()[d["font"]]
    s = d["body_px"]
    border = max(3, round(s * 0.08))
    pad = round(s * 0.35)
    heavy = max(8, round(s * 0.32))
    thin = max(2, round(s * 0.05))
    xl, xr = x0 + border + pad, x0 + W - border - pad
    tabular = d["panel_style"] == "tabular"
    y = y0 + border + pad * 0.4

    def head_block(xa, xb, y, stacked):
        ts = _fit("Supplement Facts", fam.bold, int(s * 2.3), xb - xa) if not stacked else \
            _fit("Supplement", fam.bold, int(s * 1.9), xb - xa)
        asc, desc = Canvas.metrics(fam.bold, ts)
        for word in (["Supplement", "Facts"] if stacked else ["Supplement Facts"]):
            y += asc * 0.92
            cv.text(xa, y, word, fam.bold, ts)
            y += desc * 0.6
        cv.log("Supplement Facts")
        y += s * 0.15
        parts = [("Serving Size ", p["serving_size"]), ("Servings Per Container ", str(p["servings"]))]
        for label, value in parts:
            if stacked:
                y = _para(cv, xa, y, xb - xa, label + value, fam.regular, s, BLACK, 1.15)
            else:
                y += s * 1.0
                w = cv.text(xa, y, label, fam.regular, s)
                cv.text(xa + w, y, value, fam.regular, s)
                cv.log(label + value)
                y += s * 0.3
        return y

    if tabular:
        left_w = (xr - xl) * 0.3
        y_left = head_block(xl, xl + left_w, y, True)
        xl2 = xl + left_w + pad * 2
        vx = xl + left_w + pad
        y_right = y
        rows_xl = xl2
    else:
        y = head_block(xl, xr, y, False)
        y += s * 0.15
        cv.rule(x0 + border, y, x0 + W - border, heavy)
        y += heavy
        y_right = y
        rows_xl = xl

    # column positions
    dv_w = max(Canvas.width_of(t, fam.bold, s) for t in ["100%"] + [_dv_text(r) for r in p["rows"]])
    amt_w = max(Canvas.width_of(_amount_text(r), fam.regular, s) for r in p["rows"] if r["amount"] is not None)
    x_dv = xr
    x_amt = xr - dv_w - s * 0.8
    name_w = x_amt - amt_w - s * 0.7 - rows_xl

    # header
    hs = int(s * 0.82)
    y = y_right + hs * 1.15
    if d["header"] == "columns":
        cv.text_right(x_amt, y, "Amount Per Serving", fam.bold, hs)
        cv.text_right(x_dv, y, "% DV", fam.bold, hs)
        cv.log("Amount Per Serving % DV")
    else:
        cv.text(rows_xl, y, "Amount Per Serving", fam.bold, hs)
        cv.text_right(x_dv, y, "% Daily Value", fam.bold, hs)
        cv.log("Amount Per Serving % Daily Value")
    y += hs * 0.4
    rule_x0 = rows_xl - pad if tabular else x0 + border
    cv.rule(rule_x0, y, x0 + W - border, thin * 2)
    y += thin * 2

    name_font = fam.bold if d["bold_names"] else fam.regular
    lead = s * 1.2
    for i, r in enumerate(p["rows"]):
        asc, _ = Canvas.metrics(name_font, s)
        first_w = x_amt - Canvas.width_of(_amount_text(r), fam.regular, s) - s * 0.7 - rows_xl \
            if r["amount"] is not None else x_amt - rows_xl
        lines = cv.wrap(r["name"], name_font, s, min(first_w, name_w + s * 4), x_amt - rows_xl - s * 1.4)
        y += s * 0.3
        for j, line in enumerate(lines):
            base = y + asc * 0.95 + j * lead
            indent = s * 0.6 if j else 0
            cv.text(rows_xl + indent, base, line, name_font if not r["blend"] else fam.bold, s)
            printed = line
            if j == 0 and r["amount"] is not None:
                a = _amount_text(r)
                cv.text_right(x_amt, base, a, fam.regular, s)
                dv = _dv_text(r)
                cv.text_right(x_dv, base, dv, fam.regular, s)
                printed = f"{line} {a} {dv}"
            cv.log(printed)
        y = y + asc * 0.95 + (len(lines) - 1) * lead + s * 0.3
        for sub in r["sub"]:
            y = _para(cv, rows_xl + s * 0.6, y - s * 0.1, x_amt - rows_xl - s * 0.6, sub, fam.regular,
                      int(s * 0.9), BLACK, 1.15) - s * 0.1
        last = i == len(p["rows"]) - 1
        y += s * 0.12
        if last:
            cv.rule(rule_x0, y, x0 + W - border, heavy)
            y += heavy
        else:
            cv.rule(rows_xl, y, x0 + W - border - (0 if not tabular else 0), thin)
            y += thin
    if any(r["dagger"] for r in p["rows"]):
        y = _para(cv, rows_xl, y + s * 0.2, xr - rows_xl, "† Daily Value not established.", fam.regular,
                  int(s * 0.8), BLACK)
    bottom = y + pad * 0.6
    if tabular:
        bottom = max(bottom, y_left + pad)
        cv.rect(vx - heavy / 4, y0, vx + heavy / 4, bottom, fill=BLACK)
    cv.rect(x0, y0, x0 + W, bottom, fill=None, outline=BLACK, width=border)
    cv.mark({"panel": "supplement-facts"}, x0, y0, x0 + W, bottom)
    return bottom


# ---------------------------------------------------------------------------- blocks
def _seal_row(cv: Canvas, x, y, width, p, d, rng, fam, ink=None) -> float:
    marks = list(p["seals"])
    claims = list(p["self_claims"])
    plain_claims = d["claims_as_text"]
    if not plain_claims:
        marks += claims
    if not marks:
        return y
    rng.shuffle(marks)
    size = d["seal_px"]
    gap = size * 0.15
    cx, row_h = x, 0.0
    for m in marks:
        style = d["seal_style"] if m in p["seals"] else rng.choice(STYLES)
        # measure by drawing on a scratch canvas, then place
        seed = rng.random()
        probe = Canvas(int(size * 1.8), int(size * 1.8))
        w, h = draw_seal(probe, m, 0, 0, size, style, fam, random.Random(seed))
        if cx + w > x + width and cx > x:
            cx, y = x, y + row_h + gap
            row_h = 0
        draw_seal(cv, m, cx, y, size, style, fam, random.Random(seed), ink=ink)
        kind = "self-claim" if m in p["self_claims"] else "seal"
        cv.mark({kind: m, "style": style}, cx, y, cx + w, y + h)
        cx += w + gap
        row_h = max(row_h, h)
    return y + row_h + gap


def front_block(p: dict, d: dict, rng: random.Random, width: int) -> Canvas:
    dark = d["dark"]
    bg = rng.choice(DARK_BG if dark else LIGHT_BG)
    fg = rng.choice([(255, 255, 255), (245, 240, 225)]) if dark else rng.choice([(0, 0, 0), (20, 30, 60), (40, 40, 40)])
    accent = rng.choice(ACCENTS if dark else ACCENTS[:-1])  # no gold on light backgrounds
    fam = fonts.families()[d["front_font"]]
    pfam = fonts.families()[d["font"]]
    s = d["body_px"]
    cv = Canvas(width, TALL, bg)
    m = s * 0.9
    y = m
    # brand with a small logo mark
    bs = _fit(p["brand"].upper(), fam.bold, int(s * rng.uniform(1.2, 1.8)), width - 2 * m - s * 2)
    lx = m
    if rng.random() < 0.6:
        r = bs * 0.45
        cv.ellipse(m + r, y + bs * 0.45, r, fill=accent)
        cv.polygon([(m + r, y + bs * 0.12), (m + r * 1.5, y + bs * 0.5), (m + r, y + bs * 0.8), (m + r * 0.5, y + bs * 0.5)],
                   fill=bg)
        lx = m + 2 * r + s * 0.4
    brand = p["brand"].upper() if rng.random() < 0.6 else p["brand"]
    cv.text(lx, y + bs * 0.8, brand, fam.bold, bs, accent if not dark else fg)
    cv.log(brand)
    y += bs * 1.5
    # product name
    ns = int(s * rng.uniform(2.0, 2.8))
    lines = cv.wrap(p["product_name"], fam.bold, ns, width - 2 * m)
    while len(lines) > 2 and ns > s:
        ns -= 2
        lines = cv.wrap(p["product_name"], fam.bold, ns, width - 2 * m)
    band = d["name_band"]
    block_h = len(lines) * ns * 1.1 + ns * 0.4
    if band:
        cv.rect(0, y, width, y + block_h, fill=accent)
    name_color = WHITE if band else (fg if dark else accent if rng.random() < 0.4 else fg)
    yy = y + ns * 0.2
    for line in lines:
        yy += ns * 0.95
        cv.text(m, yy, line, fam.bold, ns, name_color)
        cv.log(line)
        yy += ns * 0.15
    y += block_h + s * 0.4
    if p["subtitle"]:
        ss = int(s * 1.15)
        cv.text(m, y + ss, p["subtitle"], fam.italic if rng.random() < 0.5 else fam.regular, ss, fg)
        cv.log(p["subtitle"])
        y += ss * 1.6
    if p["front_compound"]:
        t = f"{fmt_mg(p['compound_true'])} mg Magnesium L-Threonate per serving"
        y = _para(cv, m, y, width - 2 * m, t, fam.bold, int(s * 1.05), fg)
        y += s * 0.3
    # claims
    for c in p["claims"]:
        y = _para(cv, m, y, width - 2 * m, "• " + c, fam.regular, s, fg, 1.15)
    y += s * 0.5
    if d["seal_place"] == "front":
        y = _seal_row(cv, m, y, width - 2 * m, p, d, rng, pfam, ink=fg if dark else None)
    if d["disclaimer_place"] == "front" and p["has_disclaimer"]:
        y = _para(cv, m, y, width - 2 * m, DISCLAIMER, fam.regular, int(s * 0.72), fg, 1.18)
    y += s * 0.4
    # identity statement and net quantity, at the bottom
    ids = int(s * 1.1)
    sep = rng.choice(["  |  ", "  •  ", "   "])
    ident = p["identity"].upper() if rng.random() < 0.5 else p["identity"]
    line = f"{ident}{sep}{p['net_qty']}"
    if Canvas.width_of(line, fam.bold, ids) < width - 2 * m and rng.random() < 0.6:
        cv.text(m, y + ids, line, fam.bold, ids, fg)
        cv.log(line)
        y += ids * 1.6
    else:
        cv.text(m, y + ids, ident, fam.bold, ids, fg)
        cv.log(ident)
        y += ids * 1.4
        cv.text(m, y + ids, p["net_qty"], fam.bold, ids, fg)
        cv.log(p["net_qty"])
        y += ids * 1.6
    return cv.cropped(int(y + m * 0.5))


def back_block(p: dict, d: dict, rng: random.Random, width: int) -> Canvas:
    fam = fonts.families()[d["font"]]
    s = d["body_px"]
    cv = Canvas(width, TALL, WHITE)
    m = s * 0.8
    y = m
    if d["layout"] == "panel-only":
        y = _para(cv, m, y, width - 2 * m, f"{p['brand']} {p['product_name']}", fam.bold, int(s * 1.4), BLACK)
        if p["front_compound"]:
            y = _para(cv, m, y, width - 2 * m, f"{fmt_mg(p['compound_true'])} mg Magnesium L-Threonate per serving",
                      fam.regular, s, BLACK)
        y = _para(cv, m, y, width - 2 * m, f"{p['identity']} • {p['net_qty']}", fam.bold, s, BLACK)
        y += s * 0.3
    pw = min(d["panel_width"], width - 2 * m)
    y = facts_panel(cv, m, y, pw, p, d)
    y += s * 0.35
    small = int(s * 0.85)
    y = _para(cv, m, y, width - 2 * m, "Other ingredients: " + ", ".join(p["other_ingredients"]) + ".",
              fam.regular, small, BLACK, bold_prefix="Other ingredients:")
    if rng.random() < 0.4:
        y = _para(cv, m, y, width - 2 * m, "Contains no gluten, soy, dairy, or artificial colors.", fam.regular,
                  small, BLACK)
    y += s * 0.2
    y = _para(cv, m, y, width - 2 * m, p["directions"], fam.regular, small, BLACK,
              bold_prefix=p["directions"].split(":")[0] + ":" if ":" in p["directions"] else None)
    if rng.random() < 0.7:
        y = _para(cv, m, y, width - 2 * m, "Warning: Keep out of reach of children. Consult your healthcare "
                  "provider before use if pregnant, nursing, or taking medication.", fam.regular, small, BLACK,
                  bold_prefix="Warning:")
    if d["claims_as_text"]:
        for c in p["self_claims"]:
            y = _para(cv, m, y, width - 2 * m, CLAIM_SENTENCES[c], fam.bold, small, BLACK)
    if d["disclaimer_place"] == "back" and p["has_disclaimer"]:
        y += s * 0.2
        top = y
        y = _para(cv, m + s * 0.4, y + s * 0.3, width - 2 * m - s * 0.8, DISCLAIMER, fam.regular, int(s * 0.78), BLACK)
        cv.rect(m, top, width - m, y + s * 0.1, outline=BLACK, width=3)
        y += s * 0.5
    if d["seal_place"] == "back":
        y += s * 0.3
        y = _seal_row(cv, m, y, width - 2 * m, p, d, rng, fam)
    y = _para(cv, m, y + s * 0.2, width - 2 * m, f"Distributed by {p['brand']}, {rng.choice(CITIES)}",
              fam.regular, int(s * 0.75), BLACK)
    return cv.cropped(int(y + m))


def render_label(p: dict, d: dict, rng: random.Random) -> Canvas:
    """The whole label as one Canvas."""
    layout = d["layout"]
    bw = d["panel_width"] + int(d["body_px"] * 1.6)
    if layout == "panel-only":
        return back_block(p, d, rng, bw)
    if layout == "front-top":
        front = front_block(p, d, rng, bw)
        back = back_block(p, d, rng, bw)
        out = Canvas(bw, front.h + back.h, WHITE)
        out.paste(front, 0, 0)
        out.paste(back, 0, front.h)
        return out
    front = front_block(p, d, rng, d["front_width"])
    back = back_block(p, d, rng, bw)
    h = max(front.h, back.h)
    if front.h < h:  # stretch the front background to the full height
        grown = Canvas(front.w, h, front.bg)
        grown.paste(front, 0, 0)
        grown.ops = [("rect", 0, 0, front.w, h, front.bg, None, 0, 0)] + grown.ops[1:]
        front = grown
    out = Canvas(front.w + bw, h, WHITE)
    out.paste(front, 0, 0)
    out.paste(back, front.w, 0)
    return out
