#!/usr/bin/env python3
"""A second, independently written generator of labelled test images (magnesium L-threonate labels).

Written in session 7 by a helper that had not read labelscan's code, its sample generator or its tests, so
that its label designs, fonts, seal drawings and photo distortions are not the ones the scanner was built
on. Kept as written (a test asset, not part of the package). It uses fonts the package's own generator does
not (Debian: apt-get install fonts-roboto fonts-lato fonts-open-sans fonts-noto-core
fonts-crosextra-carlito fonts-crosextra-caladea fonts-cantarell).

    python bench/independent_labels.py --seed 8 --out DIR [--n 12] [--jobs 2]
    python bench/accuracy.py DIR/set_photo      # and set_scan, set_sideways, set_lowres, set_bottle

Produces DIR/set_<condition>/NAME.{png,jpg} + NAME.json (the truth bench/accuracy.py reads) for the
conditions scan, photo, sideways, lowres, bottle (the same N label designs under each), plus a contact
sheet per condition.
"""
import argparse, json, math, os, random, sys
from multiprocessing import Pool

import numpy as np
import cv2
from PIL import Image, ImageDraw, ImageFont, ImageFilter

# ----------------------------------------------------------------------------- fonts
F = '/usr/share/fonts/truetype/'
FAMILIES = {
    'roboto':   (F + 'roboto/unhinted/RobotoTTF/Roboto-Regular.ttf', F + 'roboto/unhinted/RobotoTTF/Roboto-Bold.ttf', F + 'roboto/unhinted/RobotoTTF/Roboto-Black.ttf'),
    'robotoc':  (F + 'roboto/unhinted/RobotoCondensed-Regular.ttf', F + 'roboto/unhinted/RobotoCondensed-Bold.ttf', F + 'roboto/unhinted/RobotoCondensed-Bold.ttf'),
    'lato':     (F + 'lato/Lato-Regular.ttf', F + 'lato/Lato-Bold.ttf', F + 'lato/Lato-Black.ttf'),
    'opensans': (F + 'open-sans/OpenSans-Regular.ttf', F + 'open-sans/OpenSans-Bold.ttf', F + 'open-sans/OpenSans-ExtraBold.ttf'),
    'notosans': (F + 'noto/NotoSans-Regular.ttf', F + 'noto/NotoSans-Bold.ttf', F + 'noto/NotoSans-Bold.ttf'),
    'notoserif': (F + 'noto/NotoSerif-Regular.ttf', F + 'noto/NotoSerif-Bold.ttf', F + 'noto/NotoSerif-Bold.ttf'),
    'carlito':  (F + 'crosextra/Carlito-Regular.ttf', F + 'crosextra/Carlito-Bold.ttf', F + 'crosextra/Carlito-Bold.ttf'),
    'caladea':  (F + 'crosextra/Caladea-Regular.ttf', F + 'crosextra/Caladea-Bold.ttf', F + 'crosextra/Caladea-Bold.ttf'),
    'cantarell': ('/usr/share/fonts/opentype/cantarell/Cantarell-Regular.otf', '/usr/share/fonts/opentype/cantarell/Cantarell-Bold.otf', '/usr/share/fonts/opentype/cantarell/Cantarell-ExtraBold.otf'),
}
_fcache = {}


def font(path, size):
    k = (path, int(size))
    if k not in _fcache:
        _fcache[k] = ImageFont.truetype(path, int(size))
    return _fcache[k]


def size_for_xheight(path, xh):
    f = font(path, 200)
    b = f.getbbox('x')
    return max(8, int(round(xh * 200.0 / (b[3] - b[1]))))


# ----------------------------------------------------------------------------- content
OTHER_ROWS = [  # (name, amount, dv)
    ('Vitamin D3 (as cholecalciferol)', '25 mcg', '125%'),
    ('Zinc (as zinc picolinate)', '10 mg', '91%'),
    ('Vitamin B6 (as pyridoxal-5-phosphate)', '2 mg', '118%'),
    ('L-Theanine', '100 mg', '†'),
    ("Lion's Mane Mushroom (fruiting body)", '500 mg', '†'),
    ('Taurine', '250 mg', '†'),
    ('Apigenin', '50 mg', '†'),
]
BLEND_NAMES = ['Proprietary Blend', 'Cognitive Support Blend', 'NeuroCalm Complex', 'Brain Focus Matrix',
               'Sleep & Recovery Formula', 'Mind Restore Complex']
BLEND_COMPONENTS = ["Lion's Mane Mushroom", 'Bacopa monnieri extract', 'L-Theanine', 'Ginkgo biloba leaf',
                    'Phosphatidylserine', 'Rhodiola rosea root', 'Ashwagandha root']
BRANDS = ['Northvale', 'Cerulean Labs', 'PURE ORBIT', 'Hearthwell', 'Kinetic Roots', 'Alder & Finch', 'MERIDIAN',
          'Lumen Botanica', 'Tidewater Nutrition', 'Quarry Health', 'Solstice', 'Briar Lane']
CLAIMS = ['Supports memory & learning*', 'Promotes cognitive function*', 'Supports restful sleep*',
          'Brain health support*', 'Supports focus & calm*']
SELF_CLAIMS_TEXT = ['Made in a cGMP facility', 'Third-party tested for purity', 'Manufactured in an FDA registered facility',
                    'Formulated to meet USP standards', 'GMP quality assured']
DISCLAIMER = ('*These statements have not been evaluated by the Food and Drug Administration. '
              'This product is not intended to diagnose, treat, cure, or prevent any disease.')

REAL_SEALS = ['usp', 'nsf_sport', 'nsf_173', 'informed_sport', 'informed_choice', 'bscg', 'consumerlab',
              'labdoor', 'ul', 'nsf_gmp', 'npa_gmp']
FAKE_SEALS = ['cgmp_facility', 'gmp_quality', 'third_party', 'fda_registered', 'usp_standards']
SEAL_DESC = {
    'usp': 'USP Verified', 'nsf_sport': 'NSF Certified for Sport', 'nsf_173': 'NSF/ANSI 173 Contents Certified',
    'informed_sport': 'Informed Sport', 'informed_choice': 'Informed Choice', 'bscg': 'BSCG Certified Drug Free',
    'consumerlab': 'ConsumerLab.com Approved Quality', 'labdoor': 'Labdoor Tested', 'ul': 'UL Certified',
    'nsf_gmp': 'NSF GMP Registered', 'npa_gmp': 'NPA GMP Certified',
    'cgmp_facility': 'self-claim badge "Made in a cGMP facility"', 'gmp_quality': 'self-claim badge "GMP Quality"',
    'third_party': 'self-claim badge "Third-party tested"', 'fda_registered': 'self-claim badge "FDA registered facility"',
    'usp_standards': 'self-claim badge "Formulated to meet USP standards"',
}

# failure patterns for 12 designs (sets of failing checks)
PATTERNS = [set(), set(), set(), set(), set(), set(),
            {'threonate-named'}, {'elemental-magnesium-stated'}, {'no-proprietary-blend'},
            {'third-party-seal'}, {'threonate-named', 'third-party-seal'},
            {'elemental-magnesium-stated', 'no-proprietary-blend'}]


def fmt_mg(v):
    return f'{v:,} mg'


def make_content(rng, fails):
    """Decide the panel rows / texts for a design given the failing checks."""
    c = {}
    compound = rng.choice([1000, 1500, 2000, 2000, 2000, 1800, 1200])
    frac = rng.uniform(0.072, 0.083)
    elem = int(round(compound * frac))
    dv = f'{int(round(elem / 420 * 100))}%'
    caps = rng.choice([3, 3, 2, 4])
    count = rng.choice([60, 90, 120, 90])
    c['serving'] = f'{caps} Capsules' if rng.random() < 0.8 else f'{caps} Veggie Capsules'
    c['servings_per'] = str(count // caps)
    c['count'] = f'{count} {"Vegetarian " if rng.random() < 0.5 else ""}Capsules'
    rows = []  # each: dict(name, amt, dv, kind, indent, bold)
    notes = []
    thr_fail = 'threonate-named' in fails
    el_fail = 'elemental-magnesium-stated' in fails
    bl_fail = 'no-proprietary-blend' in fails
    brainword = True
    if thr_fail:
        form = rng.choice(['glycinate', 'citrate', 'magtein', 'oxide'])
        if form == 'magtein':
            rows.append(dict(name='Magnesium (as Magtein®)', amt=f'{elem} mg', dv=dv))
            c['product'] = rng.choice(['Magtein® Brain Magnesium', 'Brain Magnesium'])
            notes.append('panel names only trade name Magtein® (no "L-threonate")')
        else:
            amt = {'glycinate': 200, 'citrate': 250, 'oxide': 400}[form]
            rows.append(dict(name=f'Magnesium (as magnesium {form})', amt=f'{amt} mg', dv=f'{int(round(amt / 420 * 100))}%'))
            c['product'] = rng.choice([f'Magnesium {form.capitalize()}', 'Brain Magnesium', f'Calm Magnesium {form.capitalize()}'])
            notes.append(f'panel names only magnesium {form}')
        c['form_word'] = 'magnesium'
    elif el_fail and not bl_fail:
        rows.append(dict(name='Magnesium L-Threonate', amt=fmt_mg(compound), dv='†'))
        c['product'] = 'Magnesium L-Threonate'
        notes.append(f'only compound weight {fmt_mg(compound)} printed, no elemental Mg row')
    elif el_fail and bl_fail:
        pass  # blend handled below
    else:
        style = rng.choice(['as', 'as', 'separate', 'elemental', 'from'])
        if style == 'as':
            rows.append(dict(name='Magnesium (as magnesium L-threonate)', amt=f'{elem} mg', dv=dv))
        elif style == 'elemental':
            rows.append(dict(name='Elemental Magnesium (as Magnesium L-Threonate)', amt=f'{elem} mg', dv=dv))
        elif style == 'from':
            rows.append(dict(name=f'Magnesium (from {compound:,} mg Magnesium L-Threonate)', amt=f'{elem} mg', dv=dv))
        else:
            rows.append(dict(name='Magnesium', amt=f'{elem} mg', dv=dv))
            rows.append(dict(name='Magnesium L-Threonate', amt=fmt_mg(compound), dv='†'))
        c['product'] = rng.choice(['Magnesium L-Threonate', 'Magnesium L-Threonate', 'Mag L-Threonate Brain Support'])
        notes.append(f'Mg row style "{style}": {elem} mg elemental from {compound:,} mg L-threonate')
    # other rows with amounts
    n_other = rng.choice([0, 1, 2, 2, 3])
    others = rng.sample(OTHER_ROWS, n_other)
    if bl_fail:
        bname = rng.choice(BLEND_NAMES)
        comps = rng.sample(BLEND_COMPONENTS, rng.choice([2, 3, 4]))
        if el_fail:
            comps = ['Magnesium L-Threonate'] + comps
            c['product'] = rng.choice(['Magnesium L-Threonate Plus', 'Mag L-Threonate Brain Support'])
            notes.append('Mg L-threonate only inside blend, no elemental Mg amount')
        tot = rng.choice([1650, 2150, 2400, 850, 1200]) if el_fail else rng.choice([650, 750, 900, 1100])
        blend = dict(name=bname, amt=fmt_mg(tot), dv='†', kind='blend', comps=comps)
        notes.append(f'proprietary blend "{bname}" {fmt_mg(tot)} with unquantified components')
        # vitamins first, then blend
        vit = [o for o in others if o[2] != '†']
        rows = rows[:1] + [dict(name=a, amt=b, dv=d) for a, b, d in vit] + rows[1:] + [blend]
    else:
        vit = [o for o in others if o[2] != '†']
        non = [o for o in others if o[2] == '†']
        rows = [rows[0]] + [dict(name=a, amt=b, dv=d) for a, b, d in vit] + rows[1:] + [dict(name=a, amt=b, dv=d) for a, b, d in non]
    c['rows'] = rows
    c['compound'] = compound
    c['elem'] = elem
    # front claims: never mention threonate/elemental numbers if they'd make a failing check ambiguous
    c['claim'] = rng.choice(CLAIMS)
    if thr_fail:
        c['front_sub'] = rng.choice(['Highly Absorbable Magnesium', 'Gentle Mineral Support', 'Calm Mind Formula'.replace(' Formula', ' Support')])
    elif el_fail:
        c['front_sub'] = rng.choice([f'{compound:,} mg per serving', 'Crosses into the brain*', 'Cognitive Support'])
    else:
        c['front_sub'] = rng.choice([f'{elem} mg elemental magnesium', 'Advanced Brain Magnesium', 'Memory & Focus Support'])
    oi = ['Hypromellose (vegetable capsule)', 'microcrystalline cellulose', 'rice flour', 'magnesium stearate',
          'silicon dioxide', 'organic rice hull concentrate', 'gellan gum']
    c['other_ing'] = 'Other ingredients: ' + ', '.join(rng.sample(oi, rng.choice([2, 3, 4]))) + '.'
    c['directions'] = (f'Directions: As a dietary supplement, take {caps} capsules daily, '
                       + rng.choice(['preferably 2 hours before bedtime.', 'divided between morning and evening.',
                                     'with or without food, or as directed by your healthcare practitioner.']))
    c['warning'] = rng.choice(['Keep out of reach of children. If pregnant or nursing, consult your physician before use.',
                               'Store in a cool, dry place. Do not use if safety seal is broken.',
                               'Consult your healthcare practitioner before use if you are taking medication.'])
    c['notes'] = notes
    return c


# ----------------------------------------------------------------------------- drawing helpers
def wrap(text, f, width):
    words = text.split(' ')
    lines, cur = [], ''
    for w in words:
        t = (cur + ' ' + w).strip()
        if f.getlength(t) <= width or not cur:
            cur = t
        else:
            lines.append(cur)
            cur = w
    if cur:
        lines.append(cur)
    return lines


def draw_para(d, x, y, text, f, fill, width, lead=1.3, align='left'):
    """Draw wrapped paragraph with top at y; returns new y."""
    asc, desc = f.getmetrics()
    lh = int((asc + desc) * lead)
    for ln in wrap(text, f, width):
        xx = x
        if align == 'center':
            xx = x + (width - f.getlength(ln)) / 2
        d.text((xx, y + asc), ln, font=f, fill=fill, anchor='ls')
        y += lh
    return y


def arc_text(img, cx, cy, r, text, f, fill, top=True, spacing=1.08):
    widths = [f.getlength(ch) * spacing for ch in text]
    total = sum(widths)
    span = total / r
    if top:
        th = -span / 2
    else:
        th = math.pi + span / 2
    size = int(f.size * 2.2)
    for ch, w in zip(text, widths):
        mid = th + (w / 2) / r * (1 if top else -1)
        if ch != ' ':
            tile = Image.new('RGBA', (size, size), (0, 0, 0, 0))
            td = ImageDraw.Draw(tile)
            td.text((size / 2, size / 2), ch, font=f, fill=fill, anchor='mm')
            rot = -math.degrees(mid) if top else -(math.degrees(mid) - 180)
            tile = tile.rotate(rot, resample=Image.BICUBIC, expand=False)
            px = cx + r * math.sin(mid)
            py = cy - r * math.cos(mid)
            img.alpha_composite(tile, (int(px - size / 2), int(py - size / 2)))
        th += (w / r) * (1 if top else -1)


def checkmark(d, cx, cy, s, fill, width):
    d.line([(cx - s * 0.5, cy), (cx - s * 0.12, cy + s * 0.38), (cx + s * 0.55, cy - s * 0.45)], fill=fill, width=width, joint='curve')


def fit_font(path, text, maxw, start):
    s = start
    while s > 8 and font(path, s).getlength(text) > maxw:
        s -= 1
    return font(path, s)


SEAL_SPEC = {
    # key: (top arc, centre, bottom arc, colour, default shapes)
    'usp': ('DIETARY SUPPLEMENT', 'USP', 'VERIFIED', (20, 20, 20), ['ring', 'double', 'disc']),
    'nsf_sport': ('CERTIFIED FOR SPORT', 'NSF', '★ NSF ★', (0, 84, 166), ['disc', 'ring']),
    'nsf_173': ('CONTENTS CERTIFIED', 'NSF', 'NSF/ANSI 173', (0, 90, 170), ['disc', 'double']),
    'informed_sport': ('INFORMED SPORT', 'CHECK', 'BATCH TESTED', (200, 30, 40), ['ring', 'shield']),
    'informed_choice': ('INFORMED CHOICE', 'CHECK', 'TRUSTED BY SPORT', (0, 130, 90), ['ring', 'disc']),
    'bscg': ('CERTIFIED DRUG FREE', 'BSCG', 'BANNED SUBSTANCES', (30, 60, 120), ['shield', 'ring']),
    'consumerlab': ('ConsumerLab.com', 'CL', 'APPROVED QUALITY', (0, 110, 60), ['rrect', 'double']),
    'labdoor': ('LABDOOR', 'CHECK', 'TESTED', (40, 40, 60), ['rrect', 'disc']),
    'ul': ('CERTIFIED', 'UL', 'DIETARY SUPPLEMENT', (190, 30, 40), ['double', 'ring']),
    'nsf_gmp': ('GMP REGISTERED', 'NSF', 'NSF INTERNATIONAL', (0, 84, 166), ['disc', 'ring']),
    'npa_gmp': ('NATURAL PRODUCTS ASSOCIATION', 'NPA', 'GMP CERTIFIED', (120, 60, 20), ['shield', 'double']),
    'cgmp_facility': ('MADE IN A', 'cGMP', 'FACILITY', (60, 60, 60), ['ring', 'disc', 'rrect']),
    'gmp_quality': ('GOOD MANUFACTURING', 'GMP', 'QUALITY', (150, 110, 20), ['ring', 'double']),
    'third_party': ('THIRD-PARTY', 'CHECK', 'TESTED', (40, 110, 60), ['disc', 'ring', 'rrect']),
    'fda_registered': ('MANUFACTURED IN AN', 'FDA', 'REGISTERED FACILITY', (40, 70, 140), ['ring', 'rrect']),
    'usp_standards': ('FORMULATED TO MEET', 'QUALITY', 'USP STANDARDS', (90, 90, 90), ['rrect', 'ring']),
}


def draw_seal(key, diam, fam, rng, bg=(255, 255, 255)):
    """Return RGBA seal image of ~diam px (drawn at 2x then reduced)."""
    top, centre, bot, col, shapes = SEAL_SPEC[key]
    shape = rng.choice(shapes)
    S = 2
    D = diam * S
    W = D
    H = int(D * (1.18 if shape == 'shield' else (0.72 if shape == 'rrect' else 1.0)))
    im = Image.new('RGBA', (W + 8, H + 8), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    regular, bold, black = FAMILIES[fam]
    white = (255, 255, 255, 255)
    colA = tuple(col) + (255,)
    cx, cy = (W + 8) / 2, (W + 8) / 2
    R = D / 2
    if shape in ('ring', 'double', 'disc'):
        if shape == 'disc':
            d.ellipse([cx - R, cy - R, cx + R, cy + R], fill=colA)
            d.ellipse([cx - R * 0.93, cy - R * 0.93, cx + R * 0.93, cy + R * 0.93], outline=white, width=max(2, int(D * 0.012)))
            d.ellipse([cx - R * 0.62, cy - R * 0.62, cx + R * 0.62, cy + R * 0.62], outline=white, width=max(2, int(D * 0.01)))
            tcol, ccol = white, white
        elif shape == 'ring':
            d.ellipse([cx - R, cy - R, cx + R, cy + R], fill=colA)
            d.ellipse([cx - R * 0.64, cy - R * 0.64, cx + R * 0.64, cy + R * 0.64], fill=(255, 255, 255, 255))
            tcol, ccol = white, colA
        else:  # double thin rings on white
            d.ellipse([cx - R, cy - R, cx + R, cy + R], fill=(255, 255, 255, 255), outline=colA, width=max(3, int(D * 0.03)))
            d.ellipse([cx - R * 0.64, cy - R * 0.64, cx + R * 0.64, cy + R * 0.64], outline=colA, width=max(2, int(D * 0.014)))
            tcol, ccol = colA, colA
        band_r = R * 0.82
        # arc font size: fit longest of top/bot within ~ 150 deg
        for txt, is_top in ((top, True), (bot, False)):
            fs = int(R * 0.2)
            fnt = font(bold, fs)
            while fs > 6 and sum(fnt.getlength(ch) * 1.08 for ch in txt) > band_r * math.radians(165):
                fs -= 1
                fnt = font(bold, fs)
            arc_text(im, cx, cy, band_r if is_top else band_r, txt, fnt, tcol, top=is_top)
        # separator dots
        for sgn in (1, -1):  # separator dots at 3 and 9 o'clock, between top and bottom arc text
            x = cx + sgn * band_r
            d.ellipse([x - R * 0.035, cy - R * 0.035, x + R * 0.035, cy + R * 0.035], fill=tcol)
        inner = R * 0.62
        if centre == 'CHECK':
            checkmark(d, cx, cy, inner * 1.0, ccol, max(3, int(inner * 0.18)))
        else:
            fnt = fit_font(black, centre, inner * 1.55, int(inner * 0.9))
            d.text((cx, cy), centre, font=fnt, fill=ccol, anchor='mm')
    elif shape == 'shield':
        w2 = D / 2
        top_y = 4
        pts = [(cx - w2, top_y + D * 0.06), (cx, top_y), (cx + w2, top_y + D * 0.06), (cx + w2, top_y + H * 0.55),
               (cx, top_y + H - 2)]
        # curved bottom
        poly = [(cx - w2, top_y + D * 0.06), (cx - w2 * 0.5, top_y + D * 0.015), (cx, top_y), (cx + w2 * 0.5, top_y + D * 0.015), (cx + w2, top_y + D * 0.06), (cx + w2, top_y + H * 0.52)]
        for t in np.linspace(0, 1, 20):
            poly.append((cx + w2 * (1 - t), top_y + H * 0.52 + (H * 0.46) * math.sin(t * math.pi / 2)))
        for t in np.linspace(0, 1, 20):
            poly.append((cx - w2 * t, top_y + H * 0.52 + (H * 0.46) * math.cos(t * math.pi / 2)))
        d.polygon(poly, fill=colA)
        inset = [(cx + (x - cx) * 0.9, top_y + H * 0.04 + (y - top_y) * 0.9) for x, y in poly]
        d.line(inset + [inset[0]], fill=white, width=max(2, int(D * 0.012)))
        y = top_y + H * 0.16
        fnt = fit_font(bold, top, D * 0.8, int(D * 0.11))
        d.text((cx, y), top, font=fnt, fill=white, anchor='mm')
        y += H * 0.27
        if centre == 'CHECK':
            checkmark(d, cx, y, D * 0.3, white, max(3, int(D * 0.05)))
        else:
            fnt = fit_font(black, centre, D * 0.72, int(D * 0.3))
            d.text((cx, y), centre, font=fnt, fill=white, anchor='mm')
        y += H * 0.22
        fnt = fit_font(bold, bot, D * 0.56, int(D * 0.085))
        d.text((cx, y), bot, font=fnt, fill=white, anchor='mm')
    else:  # rounded rectangle
        r0 = int(H * 0.18)
        d.rounded_rectangle([4, 4, W + 4, H + 4], radius=r0, fill=(255, 255, 255, 255), outline=colA, width=max(4, int(D * 0.03)))
        d.rounded_rectangle([4 + D * 0.04, 4 + D * 0.04, W + 4 - D * 0.04, H + 4 - D * 0.04], radius=int(r0 * 0.7), outline=colA, width=max(2, int(D * 0.008)))
        fnt = fit_font(bold, top, W * 0.82, int(H * 0.2))
        d.text((cx, 4 + H * 0.24), top, font=fnt, fill=colA, anchor='mm')
        if centre == 'CHECK':
            checkmark(d, cx, 4 + H * 0.5, H * 0.3, colA, max(3, int(H * 0.06)))
        else:
            fnt = fit_font(black, centre, W * 0.7, int(H * 0.3))
            d.text((cx, 4 + H * 0.51), centre, font=fnt, fill=colA, anchor='mm')
        fnt = fit_font(bold, bot, W * 0.82, int(H * 0.16))
        d.text((cx, 4 + H * 0.78), bot, font=fnt, fill=colA, anchor='mm')
    im = im.resize((im.width // S, im.height // S), Image.LANCZOS)
    bb = im.getbbox()
    return im.crop(bb), shape


# ----------------------------------------------------------------------------- panel
def draw_panel(canvas, x0, y0, pw, style, c, fams, pal):
    """Draw Supplement Facts panel; returns (bottom_y, bbox, key_rows_bbox)."""
    d = ImageDraw.Draw(canvas)
    regular, bold, black = fams
    xh = style['xh']
    fs = size_for_xheight(regular, xh)
    fr = font(regular, fs)
    fb = font(bold, fs)
    fsmall = font(regular, size_for_xheight(regular, xh * 0.85))
    ftitle = font(black, int(fs * style['title_scale']))
    ink = pal['panel_ink']
    pad = int(fs * 0.45)
    if style['panel_bg'] is not None:
        pass  # background drawn after we know the height: draw on separate layer
    layer = Image.new('RGBA', (pw, 6000), (0, 0, 0, 0))
    L = ImageDraw.Draw(layer)
    y = pad
    ix0, ix1 = pad, pw - pad
    iw = ix1 - ix0
    # title
    tfont = ftitle
    while tfont.getlength('Supplement Facts') > iw and tfont.size > 20:
        tfont = font(black, tfont.size - 2)
    a, ds = tfont.getmetrics()
    L.text((ix0, y + a), 'Supplement Facts', font=tfont, fill=ink, anchor='ls')
    y += a + ds + int(fs * 0.1)
    L.line([(ix0, y), (ix1, y)], fill=ink, width=max(2, fs // 18))
    y += int(fs * 0.25)
    asc, desc = fr.getmetrics()
    lh = int((asc + desc) * style['lead'])
    L.text((ix0, y + asc), f"Serving Size {c['serving']}", font=fr, fill=ink, anchor='ls'); y += lh
    L.text((ix0, y + asc), f"Servings Per Container {c['servings_per']}", font=fr, fill=ink, anchor='ls'); y += lh
    y += int(fs * 0.1)
    heavy = max(6, int(fs * style['heavy']))
    L.rectangle([ix0, y, ix1, y + heavy], fill=ink); y += heavy + int(fs * 0.25)
    show_dv = style['dv_col']
    fh = fsmall if style['small_heads'] else fb
    ha, hd = fh.getmetrics()
    L.text((ix0, y + ha), 'Amount Per Serving', font=fh, fill=ink, anchor='ls')
    dv_right = ix1
    amt_right = ix1 - (int(fb.getlength('% Daily Value')) + int(fs * 0.6) if show_dv else 0)
    if show_dv:
        L.text((dv_right, y + ha), '% Daily Value', font=fh, fill=ink, anchor='rs')
    y += ha + hd + int(fs * 0.1)
    L.line([(ix0, y), (ix1, y)], fill=ink, width=max(3, fs // 10)); y += int(fs * 0.3)
    key_top = y
    rowfmt = style['rowfmt']  # 'columns' | 'leaders' | 'inline'
    for i, r in enumerate(c['rows']):
        name_font = fb if (style['bold_names'] and i == 0) or r.get('kind') == 'blend' else fr
        if style['bold_names'] == 'all':
            name_font = fb
        amt = r['amt']
        dvs = r['dv']
        if not show_dv and dvs != '†':
            tail = amt
        elif not show_dv:
            tail = amt + ' †'
        else:
            tail = amt
        if rowfmt == 'inline':
            txt = r['name'] + '   ' + tail
            if show_dv:
                lines = wrap(txt, name_font, amt_right - ix0 - fs * 0.5)
            else:
                lines = wrap(txt, name_font, iw)
            for j, ln in enumerate(lines):
                L.text((ix0, y + asc), ln, font=name_font, fill=ink, anchor='ls')
                if j < len(lines) - 1:
                    y += lh
            if show_dv:
                L.text((dv_right, y + asc), dvs, font=fr, fill=ink, anchor='rs')
        else:
            amtw = name_font.getlength(tail)
            avail = amt_right - ix0 - amtw - fs * 0.8
            lines = wrap(r['name'], name_font, avail)
            for j, ln in enumerate(lines):
                L.text((ix0, y + asc), ln, font=name_font, fill=ink, anchor='ls')
                if j < len(lines) - 1:
                    y += lh
            last_w = name_font.getlength(lines[-1])
            if ix0 + last_w + amtw + fs * 0.6 > amt_right:
                y += lh  # name too long: amount goes on its own line
                last_w = 0
            L.text((amt_right, y + asc), tail, font=name_font, fill=ink, anchor='rs')
            if rowfmt == 'leaders':
                xs = ix0 + last_w + fs * 0.35
                xe = amt_right - amtw - fs * 0.35
                dot = fs * 0.38
                xx = xs
                while xx < xe:
                    L.ellipse([xx, y + asc - fs * 0.09, xx + fs * 0.09, y + asc], fill=ink)
                    xx += dot
            if show_dv:
                L.text((dv_right, y + asc), dvs, font=fr, fill=ink, anchor='rs')
        y += lh
        if r.get('kind') == 'blend':
            comp = ', '.join(r['comps'])
            y = draw_para(L, ix0 + fs * 0.8, y - int(fs * 0.1), comp, fr, ink, iw - fs * 0.8, lead=style['lead'])
        if i < len(c['rows']) - 1:
            if style['row_rules']:
                L.line([(ix0, y - int(lh * 0.12)), (ix1, y - int(lh * 0.12))], fill=ink, width=max(1, fs // 22))
                y += int(fs * 0.15)
    key_bot = y
    y += int(fs * 0.1)
    L.rectangle([ix0, y, ix1, y + heavy], fill=ink); y += heavy + int(fs * 0.2)
    fa, fd = fsmall.getmetrics()
    notes_txt = []
    if any(r['dv'] != '†' for r in c['rows']) and show_dv:
        notes_txt.append('* Percent Daily Values are based on a 2,000 calorie diet.')
    notes_txt.append('† Daily Value not established.')
    for t in notes_txt:
        y = draw_para(L, ix0, y, t, fsmall, ink, iw, lead=1.2)
    y += pad
    ph = y
    box = Image.new('RGBA', (pw, ph), (0, 0, 0, 0))
    bd = ImageDraw.Draw(box)
    bgc = style['panel_bg'] if style['panel_bg'] is not None else pal['bg']
    bd.rectangle([0, 0, pw - 1, ph - 1], fill=tuple(bgc) + (255,), outline=ink, width=max(2, fs // 14))
    box.alpha_composite(layer.crop((0, 0, pw, ph)))
    canvas.alpha_composite(box, (int(x0), int(y0)))
    return y0 + ph, (x0, y0, x0 + pw, y0 + ph), (x0, y0 + key_top, x0 + pw, y0 + key_bot)


# ----------------------------------------------------------------------------- label
PALETTES = [
    dict(bg=(250, 247, 240), band=(22, 40, 74), band_ink=(245, 240, 225), ink=(25, 25, 30), accent=(190, 150, 60)),
    dict(bg=(232, 242, 250), band=(10, 70, 110), band_ink=(255, 255, 255), ink=(15, 30, 45), accent=(240, 140, 40)),
    dict(bg=(240, 248, 238), band=(34, 80, 50), band_ink=(240, 250, 235), ink=(20, 35, 25), accent=(210, 170, 60)),
    dict(bg=(245, 238, 250), band=(70, 40, 110), band_ink=(250, 245, 255), ink=(35, 20, 50), accent=(220, 120, 170)),
    dict(bg=(255, 255, 255), band=(20, 20, 20), band_ink=(255, 215, 90), ink=(0, 0, 0), accent=(230, 60, 60)),
    dict(bg=(255, 244, 228), band=(150, 60, 20), band_ink=(255, 250, 240), ink=(50, 30, 15), accent=(40, 110, 120)),
    dict(bg=(236, 236, 232), band=(60, 64, 70), band_ink=(255, 255, 255), ink=(20, 20, 22), accent=(0, 150, 170)),
    dict(bg=(252, 252, 245), band=(0, 110, 120), band_ink=(255, 255, 255), ink=(10, 40, 45), accent=(240, 180, 0)),
]


def make_design(seed, idx, fails):
    rng = random.Random(seed * 1000 + idx)
    c = make_content(rng, fails)
    fam = rng.choice(list(FAMILIES.keys()))
    fams = FAMILIES[fam]
    pal = dict(rng.choice(PALETTES))
    pal['panel_ink'] = (0, 0, 0) if rng.random() < 0.6 else pal['ink']
    layout = rng.choice(['stack', 'twocol', 'bottom', 'stack', 'twocol'])
    W = rng.randint(1900, 2200) if layout == 'twocol' else rng.randint(1400, 2100)
    style = dict(
        xh=rng.uniform(21, 29), lead=rng.uniform(1.15, 1.45), title_scale=rng.uniform(1.6, 2.2),
        heavy=rng.uniform(0.18, 0.35), dv_col=rng.random() < 0.7, small_heads=rng.random() < 0.5,
        rowfmt=rng.choice(['columns', 'leaders', 'inline', 'columns']),
        bold_names=rng.choice([True, False, 'all']), row_rules=rng.random() < 0.75,
        panel_bg=rng.choice([None, (255, 255, 255), (255, 255, 255), tuple(int(v * 0.5 + 255 * 0.5) for v in pal['bg'])]),
    )
    brand = rng.choice(BRANDS)
    # seals
    seal_fail = 'third-party-seal' in fails
    seals = []
    if not seal_fail:
        seals = rng.sample(REAL_SEALS, rng.choice([1, 1, 2]))
        if rng.random() < 0.25:
            seals.append(rng.choice(FAKE_SEALS))
    else:
        if rng.random() < 0.7:
            seals = rng.sample(FAKE_SEALS, rng.choice([1, 2]))
    seal_d = rng.randint(150, 340)
    seal_imgs = []
    for s in seals:
        im, shape = draw_seal(s, seal_d if s in REAL_SEALS else int(seal_d * rng.uniform(0.8, 1.1)), fam, rng)
        seal_imgs.append((s, im, shape))
    regular, bold, black = fams
    xh = style['xh']
    fbody = font(regular, size_for_xheight(regular, xh))
    fbodyb = font(bold, size_for_xheight(regular, xh))
    fsmall = font(regular, size_for_xheight(regular, xh * 0.85))
    canvas = Image.new('RGBA', (W, 7000), tuple(pal['bg']) + (255,))
    d = ImageDraw.Draw(canvas)
    M = int(W * rng.uniform(0.04, 0.06))
    seal_boxes = []
    info = {}

    def front(x, y, w, dark_band):
        fb_ = font(black, int(xh * rng.uniform(3.0, 4.2)))
        fb_ = fit_font(black, c['product'], w - (0 if not dark_band else 0), fb_.size)
        fbrand = font(bold, int(xh * 2.0))
        y0 = y
        lines = []
        lines.append((brand.upper() if rng.random() < 0.5 else brand, fbrand, pal['accent'] if dark_band else pal['band']))
        lines.append((c['product'], fb_, pal['band_ink'] if dark_band else pal['ink']))
        lines.append((c['front_sub'], font(bold, int(xh * 1.8)), pal['band_ink'] if dark_band else pal['ink']))
        lines.append((c['claim'] + '   ·   ' + c['count'], font(regular, int(xh * 1.7)), pal['band_ink'] if dark_band else pal['ink']))
        ph = sum(f.getmetrics()[0] + f.getmetrics()[1] for _, f, _ in lines) + int(xh * 3)
        if dark_band:
            d.rectangle([x - M, y, x + w + M, y + ph + int(xh * 1.2)], fill=pal['band'])
        yy = y + int(xh * 1.0)
        for t, f, col in lines:
            a, ds_ = f.getmetrics()
            d.text((x, yy + a), t, font=f, fill=col, anchor='ls')
            yy += a + ds_ + int(xh * 0.5)
        return y + ph + int(xh * 1.2) + (int(xh * 1.2) if dark_band else 0)

    def place_seals(x, y, w, align='left'):
        """Lay seals in a row; returns bottom y."""
        if not seal_imgs:
            return y
        gap = int(xh * 1.5)
        xx = x if align == 'left' else x + (w - sum(im.width for _, im, _ in seal_imgs) - gap * (len(seal_imgs) - 1)) / 2
        hmax = 0
        for s, im, shape in seal_imgs:
            canvas.alpha_composite(im, (int(xx), int(y)))
            seal_boxes.append((s, (int(xx), int(y), int(xx) + im.width, int(y) + im.height)))
            xx += im.width + gap
            hmax = max(hmax, im.height)
        return y + hmax + gap

    dark = rng.random() < 0.65
    tail_texts = [c['other_ing'], c['directions'], c['warning']]
    self_line = None
    if seal_fail and rng.random() < 0.6:
        self_line = rng.choice(SELF_CLAIMS_TEXT) + '.'
    y = 0 if dark else M
    if layout == 'stack':
        y = front(M, y, W - 2 * M, dark)
        pw = int((W - 2 * M) * rng.uniform(0.55, 0.68)) if seal_imgs else int((W - 2 * M) * rng.uniform(0.6, 0.9))
        pw = max(pw, min(W - 2 * M, 1050))
        panel_left = rng.random() < 0.6 or not seal_imgs
        px = M if panel_left else W - M - pw
        yb, pbox, kbox = draw_panel(canvas, px, y, pw, style, c, fams, pal)
        # side column: seals + short text
        sx = px + pw + int(xh * 2) if panel_left else M
        sw = (W - M - sx) if panel_left else (px - int(xh * 2) - M)
        if seal_imgs and sw > 160:
            # scale seals down if they do not fit the side column
            tot = max(im.width for _, im, _ in seal_imgs)
            if tot > sw:
                for k in range(len(seal_imgs)):
                    s, im, sh = seal_imgs[k]
                    f_ = sw / tot
                    seal_imgs[k] = (s, im.resize((int(im.width * f_), int(im.height * f_)), Image.LANCZOS), sh)
            yy = y
            for s, im, shape in seal_imgs:
                xx = sx + (sw - im.width) / 2
                canvas.alpha_composite(im, (int(xx), int(yy)))
                seal_boxes.append((s, (int(xx), int(yy), int(xx) + im.width, int(yy) + im.height)))
                yy += im.height + int(xh * 1.5)
            if sw > 400:
                yy = draw_para(d, sx, yy, c['warning'], fsmall, pal['ink'], sw)
                tail_texts.remove(c['warning'])
            y2 = max(yb, yy)
        elif seal_imgs:
            y2 = place_seals(M, yb + int(xh * 1.2), W - 2 * M, align='center') - int(xh * 1.5)
        else:
            y2 = yb
        y = y2 + int(xh * 1.5)
        for t in tail_texts + ([self_line] if self_line else []):
            y = draw_para(d, M, y, t, fbody, pal['ink'], W - 2 * M, lead=style['lead']) + int(xh * 0.6)
        y = draw_para(d, M, y, DISCLAIMER, fsmall, pal['ink'], W - 2 * M) + M
        info['layout'] = f"stacked: front band top, panel {'left' if panel_left else 'right'} with seals beside"
    elif layout == 'twocol':
        pw = int((W - 2 * M) * rng.uniform(0.50, 0.56))
        # right column first: front info
        rx = M + pw + int(xh * 2.5)
        rw = W - M - rx
        panel_first_left = rng.random() < 0.7
        if not panel_first_left:
            rx, px = M, W - M - pw
        else:
            px = M
        if dark:
            d.rectangle([0, 0, W, int(xh * 1.2)], fill=pal['band'])
        yt = M + int(xh * 1.2)
        yb, pbox, kbox = draw_panel(canvas, px, yt, pw, style, c, fams, pal)
        yy = yt
        ft = fit_font(black, c['product'], rw, int(xh * 3.2))
        fbr = font(bold, int(xh * 1.9))
        a, ds_ = fbr.getmetrics(); d.text((rx, yy + a), brand, font=fbr, fill=pal['band'], anchor='ls'); yy += a + ds_
        for ln in wrap(c['product'], ft, rw):
            a, ds_ = ft.getmetrics(); d.text((rx, yy + a), ln, font=ft, fill=pal['ink'], anchor='ls'); yy += a + ds_
        yy = draw_para(d, rx, yy + int(xh * 0.4), c['front_sub'] + ' — ' + c['claim'], fbodyb, pal['ink'], rw) + int(xh * 0.8)
        if seal_imgs:
            tot = sum(im.width for _, im, _ in seal_imgs) + int(xh * 1.5) * (len(seal_imgs) - 1)
            if tot > rw:
                for k in range(len(seal_imgs)):
                    s, im, sh = seal_imgs[k]
                    f_ = rw / tot
                    seal_imgs[k] = (s, im.resize((int(im.width * f_), int(im.height * f_)), Image.LANCZOS), sh)
            yy = place_seals(rx, yy, rw, align=rng.choice(['left', 'center']))
        for t in tail_texts + ([self_line] if self_line else []):
            yy = draw_para(d, rx, yy, t, fbody, pal['ink'], rw, lead=style['lead']) + int(xh * 0.6)
        yy = draw_para(d, rx, yy, DISCLAIMER, fsmall, pal['ink'], rw) + int(xh * 0.6)
        y = max(yy, yb) + M
        info['layout'] = f"two-column: panel {'left' if panel_first_left else 'right'}, brand/text/seals in other column"
    else:  # panel at bottom
        y = front(M, y, W - 2 * M, dark)
        if seal_imgs:
            y = place_seals(M, y, W - 2 * M, align=rng.choice(['left', 'center']))
        for t in [c['directions'], c['warning']] + ([self_line] if self_line else []):
            y = draw_para(d, M, y, t, fbody, pal['ink'], W - 2 * M, lead=style['lead']) + int(xh * 0.6)
        pw = int((W - 2 * M) * rng.uniform(0.7, 1.0))
        pw = max(pw, min(W - 2 * M, 1050))
        px = M + ((W - 2 * M - pw) // 2 if rng.random() < 0.5 else 0)
        yb, pbox, kbox = draw_panel(canvas, px, y + int(xh), pw, style, c, fams, pal)
        y = yb + int(xh * 1.2)
        y = draw_para(d, M, y, c['other_ing'], fbody, pal['ink'], W - 2 * M, lead=style['lead']) + int(xh * 0.6)
        y = draw_para(d, M, y, DISCLAIMER, fsmall, pal['ink'], W - 2 * M) + M
        info['layout'] = 'front + seals on top, directions, panel at bottom'
    H = int(y)
    assert len(seal_boxes) == len(seal_imgs), 'seal not placed'
    img = canvas.crop((0, 0, W, H)).convert('RGB')
    checks = {k: ('fail' if k in fails else 'pass') for k in
              ['threonate-named', 'elemental-magnesium-stated', 'no-proprietary-blend', 'third-party-seal']}
    notes = (f"{brand} '{c['product']}'; font {fam}; {info['layout']}; row format {style['rowfmt']}, "
             f"%DV column {'yes' if style['dv_col'] else 'no'}; " + '; '.join(c['notes']) + '; seals: '
             + (', '.join(SEAL_DESC[s] + f' ({sh})' for s, _, sh in seal_imgs) if seal_imgs else 'none')
             + ('; running-text self-claim: ' + self_line if self_line else ''))
    return dict(img=img, checks=checks, notes=notes, panel=pbox, keyrows=kbox, seals=seal_boxes, W=W, H=H)


# ----------------------------------------------------------------------------- backgrounds & camera
def background(rng, h, w):
    kind = rng.choice(['wood', 'desk', 'fabric', 'plain', 'stone'])
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    if kind == 'wood':
        base = np.array(rng.choice([(120, 80, 45), (160, 115, 70), (90, 60, 40), (185, 150, 110)]), np.float32)
        n = cv2.resize(rng.standard_normal((h // 40 + 2, w // 400 + 2)).astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)
        grain = np.sin(yy / rng.uniform(6, 14) + n * 3.0) * 0.5 + 0.5
        v = 0.8 + 0.25 * grain[..., None]
        img = base[None, None, :] * v
    elif kind == 'fabric':
        base = np.array(rng.choice([(70, 80, 110), (150, 40, 50), (60, 100, 70), (200, 195, 185)]), np.float32)
        p = rng.uniform(5, 9)
        weave = (np.sin(xx * 2 * np.pi / p) * np.sin(yy * 2 * np.pi / p)) * 0.08
        img = base[None, None, :] * (1 + weave[..., None])
    elif kind == 'stone':
        base = np.array(rng.choice([(200, 200, 195), (170, 170, 175), (60, 60, 65)]), np.float32)
        n = cv2.GaussianBlur(rng.standard_normal((h, w)).astype(np.float32), (0, 0), 6) * 4
        img = base[None, None, :] * (1 + 0.15 * n[..., None])
    else:
        base = np.array(rng.choice([(210, 210, 205), (90, 95, 100), (235, 225, 210), (40, 42, 48)]), np.float32)
        img = np.repeat(np.repeat(base[None, None, :], h, 0), w, 1)
    img += rng.normal(0, 3, (h, w, 3)).astype(np.float32)
    return np.clip(img, 0, 255)


def lighting(rng, img, strength=1.0):
    h, w = img.shape[:2]
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    gx, gy = rng.uniform(-1, 1), rng.uniform(-1, 1)
    grad = 1 + strength * 0.18 * (gx * (xx / w - 0.5) + gy * (yy / h - 0.5)) * 2
    r = np.sqrt(((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2)
    vig = 1 - strength * rng.uniform(0.1, 0.3) * np.clip(r - 0.4, 0, None) ** 2
    tint = np.array([rng.uniform(0.95, 1.05), 1.0, rng.uniform(0.92, 1.05)], np.float32)
    return img * (grad * vig)[..., None] * tint[None, None, :] * rng.uniform(0.9, 1.05)


def degrade(rng, img, q, blur_scale=1.0):
    if rng.random() < 0.5:
        s = rng.uniform(0.6, 1.5) * blur_scale
        img = cv2.GaussianBlur(img, (0, 0), s)
    else:
        L = max(3, int(rng.uniform(3, 7) * blur_scale)) | 1
        k = np.zeros((L, L), np.float32)
        k[L // 2, :] = 1
        M = cv2.getRotationMatrix2D((L / 2 - 0.5, L / 2 - 0.5), rng.uniform(0, 180), 1)
        k = cv2.warpAffine(k, M, (L, L))
        k /= k.sum()
        img = cv2.filter2D(img, -1, k)
    img = img + rng.normal(0, rng.uniform(2.5, 6), img.shape).astype(np.float32)
    return np.clip(img, 0, 255).astype(np.uint8), q


def rect_overlap(a, b):
    return not (a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1])


def photo(des, rng, long_side):
    lab = np.asarray(des['img']).astype(np.float32)
    H, W = lab.shape[:2]
    landscape = W >= H
    oh, ow = (int(long_side * rng.uniform(0.68, 0.8)), long_side) if landscape else (long_side, int(long_side * rng.uniform(0.68, 0.8)))
    if rng.random() < 0.25 and not landscape:
        pass
    # 3D tilt
    tx = math.radians(rng.uniform(-20, 20)); ty = math.radians(rng.uniform(-14, 14))
    tot = math.hypot(tx, ty)
    if tot > math.radians(20):
        tx, ty = tx * math.radians(20) / tot, ty * math.radians(20) / tot
    rz = math.radians(rng.uniform(-7, 7))
    Rx = np.array([[1, 0, 0], [0, math.cos(tx), -math.sin(tx)], [0, math.sin(tx), math.cos(tx)]])
    Ry = np.array([[math.cos(ty), 0, math.sin(ty)], [0, 1, 0], [-math.sin(ty), 0, math.cos(ty)]])
    Rz = np.array([[math.cos(rz), -math.sin(rz), 0], [math.sin(rz), math.cos(rz), 0], [0, 0, 1]])
    R = Rz @ Ry @ Rx
    corners = np.array([[-W / 2, -H / 2, 0], [W / 2, -H / 2, 0], [W / 2, H / 2, 0], [-W / 2, H / 2, 0]])
    f = max(W, H) * 1.3
    P = (R @ corners.T).T + np.array([0, 0, f])
    pts = P[:, :2] / P[:, 2:3] * f
    # fit into frame
    fill = rng.uniform(0.78, 0.9)
    mn, mx = pts.min(0), pts.max(0)
    s = min(ow * fill / (mx[0] - mn[0]), oh * fill / (mx[1] - mn[1]))
    pts = (pts - (mn + mx) / 2) * s + np.array([ow / 2 + rng.uniform(-0.03, 0.03) * ow, oh / 2 + rng.uniform(-0.03, 0.03) * oh])
    src = np.float32([[0, 0], [W, 0], [W, H], [0, H]])
    Hm = cv2.getPerspectiveTransform(src, np.float32(pts))
    des['homography'] = Hm.tolist()  # label pixels -> photo pixels, for measuring the prepare stage
    # render at target size (if downscaling heavily, warp at 2x then resize for antialias)
    ss = 2 if s < 0.6 else 1
    Hs = np.diag([ss, ss, 1.0]) @ Hm
    warped = cv2.warpPerspective(lab, Hs, (ow * ss, oh * ss), flags=cv2.INTER_AREA if ss == 1 else cv2.INTER_LINEAR)
    mask = cv2.warpPerspective(np.ones((H, W), np.float32), Hs, (ow * ss, oh * ss), flags=cv2.INTER_LINEAR)
    if ss > 1:
        warped = cv2.resize(warped, (ow, oh), interpolation=cv2.INTER_AREA)
        mask = cv2.resize(mask, (ow, oh), interpolation=cv2.INTER_AREA)
    bg = background(rng, oh, ow)
    # drop shadow
    sh = cv2.GaussianBlur(mask, (0, 0), max(3, long_side / 200))
    sh = np.roll(sh, (int(long_side / 150), int(long_side / 200)), (0, 1))
    bg = bg * (1 - 0.45 * sh[..., None])
    out = warped * mask[..., None] + bg * (1 - mask[..., None])
    out = lighting(rng, out)
    # glare spot in label coordinates away from panel key rows and seals
    if rng.random() < 0.5:
        avoid = [des['keyrows']] + [b for _, b in des['seals']] + [des['panel']]
        for _ in range(30):
            gr = rng.uniform(0.05, 0.1) * max(W, H)
            gx, gy = rng.uniform(0, W), rng.uniform(0, H)
            box = (gx - gr * 1.3, gy - gr * 1.3, gx + gr * 1.3, gy + gr * 1.3)
            if not any(rect_overlap(box, a) for a in avoid):
                p = Hm @ np.array([gx, gy, 1.0]); p = p[:2] / p[2]
                yy, xx = np.mgrid[0:oh, 0:ow].astype(np.float32)
                rr = gr * s * rng.uniform(0.8, 1.0)
                spot = np.exp(-(((xx - p[0]) / rr) ** 2 + ((yy - p[1]) / (rr * rng.uniform(0.5, 1))) ** 2))
                out = out + (spot * mask)[..., None] * rng.uniform(60, 130)  # glare only on the glossy label
                des.setdefault('extra', []).append('soft glare spot away from panel/seals')
                break
    out, _ = degrade(rng, np.clip(out, 0, 255).astype(np.float32), 0, blur_scale=long_side / 2400)
    return out


def bottle(des, rng, long_side, merge=True):
    lab = np.asarray(des['img']).astype(np.float32)
    H, W = lab.shape[:2]
    px0, py0, px1, py1 = des['panel']
    pw = px1 - px0
    a_panel = math.radians(50)  # panel must lie within +-50 deg
    Rl = max(pw / 2 / a_panel, W / (2 * math.pi) * 1.05)  # label px per radian (= cylinder radius in label px)
    Rl *= rng.uniform(1.0, 1.15)
    dR = rng.uniform(2.6, 7.0)  # camera distance / radius
    alpha = math.acos(1 / dR)
    # centre: panel centre, or between panel and seal if both fit
    xc = (px0 + px1) / 2
    seals = des['seals']
    if seals and merge:
        # bring panel and seals together into the front +-50 deg (bigger bottle if needed)
        sx0 = min(b[0] for _, b in seals); sx1 = max(b[2] for _, b in seals)
        lo, hi = min(px0, sx0), max(px1, sx1)
        Rl = max(Rl, (hi - lo) / 2 / math.radians(50))
        xc = (lo + hi) / 2
    # clamp so panel within +-50 deg
    xc = min(max(xc, px1 - a_panel * Rl), px0 + a_panel * Rl)
    e = rng.uniform(0.15, 0.35)  # camera elevation term (makes label edges visibly curved)
    # geometry in units of cylinder radius; scale K chosen later
    phis = np.linspace(-alpha, alpha, 4001)
    u_n = np.sin(phis) / (dR - np.cos(phis))
    umax = u_n.max()
    h_lab_units = H / Rl  # label height in radius units
    # output layout (in units where front scale = 1 label px)
    # front scale: du/dphi at 0 = K/(dR-1); label px per radian = Rl -> K = (dR-1)*Rl*s
    s = 1.0
    K = (dR - 1) * Rl * s
    half_w = K * umax
    lab_h_px = K * h_lab_units / (dR - 1)
    cap_h = lab_h_px * rng.uniform(0.12, 0.2)
    shoulder = lab_h_px * rng.uniform(0.06, 0.12)
    below = lab_h_px * rng.uniform(0.05, 0.12)
    bot_w = half_w * 2 / rng.uniform(0.55, 0.72)
    bot_h = (lab_h_px + cap_h + shoulder + below) / rng.uniform(0.82, 0.9)
    ow, oh = bot_w, bot_h
    sc = long_side / max(ow, oh)
    K *= sc; ow = int(ow * sc); oh = int(oh * sc); half_w *= sc; lab_h_px *= sc; cap_h *= sc; shoulder *= sc; below *= sc
    cx = ow / 2 + rng.uniform(-0.03, 0.03) * ow
    v_lab_top = (oh - (lab_h_px + cap_h + shoulder + below)) / 2 + cap_h + shoulder
    vc = v_lab_top + lab_h_px / 2  # image row of label vertical centre (y=0) at front
    yy, xx = np.mgrid[0:oh, 0:ow].astype(np.float32)
    u = (xx - cx) / K
    inside = np.abs(u) < umax * 0.9999
    phi = np.interp(u, u_n, phis).astype(np.float32)
    depth = dR - np.cos(phi)
    yunits = (yy - vc) * depth / K - e * (np.cos(phi) - 1)
    lx = (xc + phi * Rl).astype(np.float32)
    ly = (H / 2 + yunits * Rl).astype(np.float32)
    on_label = inside & (lx >= 0) & (lx < W) & (ly >= 0) & (ly < H)
    # bottle body colour
    bcol = np.array(rng.choice([(245, 245, 240), (30, 30, 32), (120, 70, 30), (230, 235, 240), (40, 60, 110)]), np.float32)
    # render label via remap (with supersample-free area approx: pre-blur label where compressed is minor)
    labimg = cv2.remap(lab, lx, ly, cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE)
    body_top = vc - (h_lab_units / 2 + 0) * K / (dR - 1) - shoulder - 0  # approx
    # body region: inside silhouette between body top and bottom
    y_top_units = -(h_lab_units / 2) - shoulder / K * (dR - 1)
    y_bot_units = (h_lab_units / 2) + below / K * (dR - 1)
    body = inside & (yunits >= y_top_units) & (yunits <= y_bot_units)
    bg = background(rng, oh, ow)
    # table line: lower part slightly different
    out = bg.copy()
    out[body] = bcol
    out[on_label] = labimg[on_label]
    # cap: narrower cylinder above shoulder
    capw = half_w * rng.uniform(0.55, 0.75)
    cap_bot = v_lab_top - shoulder * 0.9 - 0.0
    cap_top = cap_bot - cap_h
    capmask = (np.abs(xx - cx) < capw) & (yy > cap_top) & (yy < cap_bot + 4)
    capcol = np.array(rng.choice([(240, 240, 240), (20, 20, 20), (200, 160, 40), (180, 30, 40)]), np.float32)
    uc = np.clip((xx - cx) / capw, -1, 1)
    capshade = 0.45 + 0.55 * np.sqrt(1 - uc ** 2)
    ridges = 1 + 0.06 * np.sin(xx / max(3, capw / 25) * 3)
    cap = capcol[None, None, :] * (capshade * ridges)[..., None]
    out[capmask] = cap[capmask]
    # shoulder: blend between cap and body
    shmask = (yy >= cap_bot) & (yy < v_lab_top - 2) & (np.abs(xx - cx) < capw + (half_w - capw) * np.clip((yy - cap_bot) / max(1, shoulder * 0.5), 0, 1)) & ~on_label
    out[shmask & ~body] = bcol
    # shading on bottle (label+body): lambert-ish + specular stripe
    cosn = np.cos(phi)
    lam = np.clip(0.38 + 0.62 * cosn ** 0.7, 0, 1)
    side = rng.choice([-1, 1])
    panel_a0 = (px0 - xc) / Rl; panel_a1 = (px1 - xc) / Rl
    phs = side * rng.uniform(0.6, 0.9)
    if panel_a0 - 0.1 < phs < panel_a1 + 0.1:
        amp = rng.uniform(15, 30)
    else:
        amp = rng.uniform(35, 70)
    spec = amp * np.exp(-((phi - phs) / rng.uniform(0.05, 0.1)) ** 2)
    # light from one side
    lam = lam * (1 + 0.12 * side * np.sin(phi))
    bot_mask = (body | on_label | shmask)
    shade = np.where(bot_mask, lam, 1.0)[..., None]
    out = out * shade + np.where(bot_mask, spec, 0)[..., None]
    # contact shadow below bottle
    bott = vc + (y_bot_units + e) * K / (dR - 1)
    shadow = np.exp(-(((xx - cx) / (half_w * 1.3)) ** 2 + ((yy - bott - half_w * 0.05) / (half_w * 0.12)) ** 2))
    out = out * (1 - 0.5 * (shadow * ~bot_mask)[..., None])
    out = lighting(rng, out, 0.7)
    out, _ = degrade(rng, out.astype(np.float32), 0, blur_scale=long_side / 2600)
    # visibility of seals
    vis_limit = math.radians(55)
    hidden_frac = 0
    a_left = (0 - xc) / Rl; a_right = (W - xc) / Rl
    hid = max(0, -alpha - a_left) + max(0, a_right - alpha)
    hidden_frac = hid * Rl / W
    seal_vis = []
    for sname, b in seals:
        a0 = (b[0] - xc) / Rl; a1 = (b[2] - xc) / Rl
        seal_vis.append((sname, a0 >= -vis_limit and a1 <= vis_limit, math.degrees(a0), math.degrees(a1)))
    geo = dict(view_deg=math.degrees(2 * alpha), label_wrap_deg=math.degrees(W / Rl), hidden_frac=hidden_frac,
               seal_vis=seal_vis, panel_deg=(math.degrees(panel_a0), math.degrees(panel_a1)))
    return out, geo


# ----------------------------------------------------------------------------- main
CONDS = ['scan', 'photo', 'sideways', 'lowres', 'bottle']


def job(args):
    seed, idx, fails, cond, outdir = args
    des = make_design(seed, idx, fails)
    name = f'mgt_{idx + 1:02d}'
    rng = np.random.default_rng([seed, idx, CONDS.index(cond)])
    meta = dict(condition=cond, verdict='pass' if not fails else 'fail', checks=des['checks'])
    notes = des['notes'] + f"; label {des['W']}x{des['H']} px at scan size"
    d = os.path.join(outdir, f'set_{cond}')
    if cond == 'scan':
        des['img'].save(os.path.join(d, name + '.png'))
        path = name + '.png'
    else:
        if cond == 'bottle':
            img, geo = bottle(des, rng, int(rng.uniform(2200, 2700)), merge=(idx % 3 != 1))
            notes += (f"; bottle: visible arc ~{geo['view_deg']:.0f} deg of cylinder, label wraps {geo['label_wrap_deg']:.0f} deg, "
                      f"panel spans {geo['panel_deg'][0]:.0f}..{geo['panel_deg'][1]:.0f} deg from front")
            acc = {}
            bad = [sv for sv in geo['seal_vis'] if not sv[1]]
            real_vis = [sv for sv in geo['seal_vis'] if sv[1] and sv[0] in REAL_SEALS]
            if des['checks']['third-party-seal'] == 'pass':
                if not real_vis:
                    acc['third-party-seal'] = ['pass', 'unknown']
                    notes += '; seal(s) ' + ', '.join(f'{s} at {a:.0f}..{b:.0f} deg' for s, _, a, b in bad) + ' strongly foreshortened or out of view -> unknown acceptable'
                else:
                    notes += '; real seal visible near front'
            else:
                if geo['hidden_frac'] > 0.1:
                    acc['third-party-seal'] = ['fail', 'unknown']
                    notes += f"; {geo['hidden_frac'] * 100:.0f}% of label width out of view -> unknown acceptable for seal"
            if acc:
                meta['checks_acceptable'] = acc
        else:
            ls = int(rng.uniform(2000, 3000)) if cond != 'lowres' else int(rng.uniform(950, 1080))
            img = photo(des, rng, ls)
            if cond == 'sideways':
                k = 1 if rng.random() < 0.5 else 3
                img = np.ascontiguousarray(np.rot90(img, k))
                notes += f"; rotated {90 if k == 1 else 270} deg (counter-clockwise {'90' if k == 1 else '270'}), no EXIF"
            if des.get('extra'):
                notes += '; ' + '; '.join(des['extra'])
            meta['homography'] = des['homography']
            meta['panel_box'] = list(des['panel'])
        q = int(rng.uniform(60, 90))
        path = name + '.jpg'
        Image.fromarray(img[..., :3]).save(os.path.join(d, path), quality=q)
        notes += f'; JPEG q{q}, {img.shape[1]}x{img.shape[0]}'
    meta['notes'] = notes
    with open(os.path.join(d, name + '.json'), 'w') as fh:
        json.dump(meta, fh, indent=1, ensure_ascii=False)
    return cond, path


def contact(outdir, cond, n):
    d = os.path.join(outdir, f'set_{cond}')
    files = sorted(f for f in os.listdir(d) if f.endswith(('.png', '.jpg')))
    tw = 360
    cols = 6
    thumbs = []
    for f in files:
        im = Image.open(os.path.join(d, f)).convert('RGB')
        im.thumbnail((tw, tw))
        meta = json.load(open(os.path.join(d, f.rsplit('.', 1)[0] + '.json')))
        t = Image.new('RGB', (tw, tw + 30), (255, 255, 255))
        t.paste(im, ((tw - im.width) // 2, (tw - im.height) // 2))
        codes = {'threonate-named': 'THR', 'elemental-magnesium-stated': 'ELEM', 'no-proprietary-blend': 'BLEND', 'third-party-seal': 'SEAL'}
        fl = '+'.join(codes[k] for k, v in meta['checks'].items() if v == 'fail') + ('*' if 'checks_acceptable' in meta else '')
        ImageDraw.Draw(t).text((5, tw + 5), f"{f} {meta['verdict']} {fl}", fill=(0, 0, 0), font=font(FAMILIES['roboto'][0], 18))
        thumbs.append(t)
    rows = (len(thumbs) + cols - 1) // cols
    sheet = Image.new('RGB', (cols * tw, rows * (tw + 30)), (200, 200, 200))
    for i, t in enumerate(thumbs):
        sheet.paste(t, ((i % cols) * tw, (i // cols) * (tw + 30)))
    sheet.save(os.path.join(outdir, f'contact_{cond}.jpg'), quality=85)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--seed', type=int, default=7)
    ap.add_argument('--out', default='/tmp/foreign')
    ap.add_argument('--n', type=int, default=12)
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--conds', default=','.join(CONDS))
    a = ap.parse_args()
    conds = a.conds.split(',')
    prng = random.Random(a.seed)
    pats = [PATTERNS[i % len(PATTERNS)] for i in range(a.n)]
    prng.shuffle(pats)
    for c in conds:
        os.makedirs(os.path.join(a.out, f'set_{c}'), exist_ok=True)
    tasks = [(a.seed, i, pats[i], c, a.out) for c in conds for i in range(a.n)]
    with Pool(a.jobs) as p:
        for cond, path in p.imap_unordered(job, tasks):
            print(cond, path, flush=True)
    for c in conds:
        contact(a.out, c, a.n)


if __name__ == '__main__':
    main()
