"""Artwork fixtures for the QA gate: an approved label and versions of it with planted differences."""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from pathlib import Path

SAMPLES = Path(__file__).resolve().parent.parent / "samples"
if str(SAMPLES) not in sys.path:
    sys.path.insert(0, str(SAMPLES))

from gen.pdfout import _pdf, image_pdf, text_pdf  # noqa: E402
from gen.product import _row, make_product  # noqa: E402
from gen.render import choose_design, render_label  # noqa: E402

SEED = "labelscan|gate-fixture"
DESIGN = {"layout": "front-left", "dark": False, "panel_style": "standard", "seal_style": "badge",
          "seal_place": "front", "claims_as_text": True, "font": "liberation-sans", "front_font": "dejavu-sans"}
DISCLAIMER = "These statements have not been evaluated by the Food and Drug Administration"
DEJAVU = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

APPROVED_SPEC = {
    "serving_size": "3 Capsules",
    "servings_per_container": 30,
    "rows": [{"name": "Magnesium", "amount": 144, "unit": "mg", "dv_percent": 34}],
    "seals": ["nsf-certified-for-sport"],
    "statements": [DISCLAIMER],
}
"""The spec a person approved for the approved artwork (written by hand, not by `spec init`)."""

CHANGED_AMOUNT = 120
ADDED_BLEND = "Cognitive Matrix"


@dataclass(frozen=True)
class Variant:
    """Which differences to plant in the approved artwork."""

    changed_amount: bool = False
    removed_seal: bool = False
    added_blend: bool = False


def product(variant: Variant = Variant()) -> dict:
    """The approved product (3 capsules, 30 servings, magnesium 144 mg 34%, one NSF seal), with the variant's changes."""
    p = make_product("compliant-as", random.Random(SEED))
    p.update(serving_size="3 Capsules", servings=30, servings_per_day=1, net_qty="90 Capsules",
             directions="Suggested use: Take 3 capsules daily, preferably with food.", has_disclaimer=True,
             product_name="Magnesium L-Threonate", subtitle="Cognitive Support", front_compound=False,
             seals=["nsf-certified-for-sport"], self_claims=[],
             other_ingredients=["hypromellose (vegetable capsule)", "microcrystalline cellulose"])
    p["rows"] = [_row("Magnesium (as magnesium L-threonate)", CHANGED_AMOUNT if variant.changed_amount else 144, "mg", 34)]
    if variant.removed_seal:
        p["seals"] = []
    if variant.added_blend:
        comps = ["L-Theanine", "Phosphatidylserine", "Taurine"]
        p["rows"].append(_row(ADDED_BLEND, 500, "mg", blend=True, components=comps, sub=[", ".join(comps)]))
    return p


def render(variant: Variant = Variant()):
    """The variant as a sample-generator Canvas; the design's random stream is the same for every variant."""
    p = product(variant)
    rng = random.Random(SEED + "|design")
    design = choose_design(rng, dict(DESIGN), p)
    return render_label(p, design, rng)


def write(out: Path, name: str, variant: Variant = Variant(), kind: str = "pdf-text") -> Path:
    """Write the variant as `kind`: pdf-text (real text), pdf-image (the PNG on a page), png, tiff or jpeg."""
    canvas = render(variant)
    out.mkdir(parents=True, exist_ok=True)
    ext = {"pdf-text": ".pdf", "pdf-image": ".pdf", "png": ".png", "tiff": ".tif", "jpeg": ".jpg"}[kind]
    path = out / f"{name}{ext}"
    if kind == "pdf-text":
        text_pdf(canvas, str(path))
    elif kind == "pdf-image":
        image_pdf(canvas.img, str(path))
    elif kind == "png":
        canvas.img.save(path, format="PNG", dpi=(300, 300))
    elif kind == "tiff":
        canvas.img.save(path, format="TIFF", dpi=(300, 300), compression="tiff_lzw")
    else:
        canvas.img.convert("RGB").save(path, format="JPEG", quality=92, dpi=(300, 300))
    return path


def cover_pdf(path: Path, lines: list[str]) -> Path:
    """A one-page text-layer PDF (DejaVu Sans, real text) with no Supplement Facts panel."""
    pdf = _pdf(1800, 900)
    pdf.add_font("DejaVu", "", DEJAVU)
    pdf.set_font("DejaVu", size=24)
    for i, line in enumerate(lines):
        pdf.text(15, 25 + i * 14, line)
    pdf.output(str(path))
    return path


def merge_pdfs(path: Path, parts: list[Path]) -> Path:
    """One PDF holding the pages of `parts` in order."""
    import pypdfium2 as pdfium

    merged = pdfium.PdfDocument.new()
    sources = [pdfium.PdfDocument(str(p)) for p in parts]
    for doc in sources:
        merged.import_pages(doc)
    merged.save(str(path))
    for doc in [merged, *sources]:
        doc.close()
    return path


def garbage(path: Path) -> Path:
    """A file named like a PDF that is not one."""
    path.write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 4)
    return path



# ---- the fixture set, generated once per test session and scanned at most once per file ----------------

ARTWORK = {
    "approved.pdf": (Variant(), "pdf-text"),
    "approved-image.pdf": (Variant(), "pdf-image"),
    "approved.png": (Variant(), "png"),
    "changed-amount.pdf": (Variant(changed_amount=True), "pdf-text"),
    "removed-seal.pdf": (Variant(removed_seal=True), "pdf-text"),
    "added-blend.pdf": (Variant(added_blend=True), "pdf-text"),
}
PLANTED = {
    "changed-amount.pdf": {"spec-row-magnesium"},
    "removed-seal.pdf": {"spec-seal-nsf-certified-for-sport"},
    "added-blend.pdf": {"spec-extra-row-cognitive-matrix"},
}
"""Each modified artwork and the spec checks its planted difference must fail (and no others)."""
COVER_LINES = ["Magnesium L-Threonate", "Dietary Supplement", "NSF Certified for Sport",
               "*" + DISCLAIMER + "."]

_WORKDIR: list[Path] = []


def workdir() -> Path:
    """A folder for this test session's artwork (removed when the interpreter exits)."""
    if not _WORKDIR:
        import atexit
        import shutil
        import tempfile

        path = Path(tempfile.mkdtemp(prefix="labelscan-gate-"))
        atexit.register(shutil.rmtree, path, True)
        _WORKDIR.append(path)
    return _WORKDIR[0]


_PATHS: dict[str, Path] = {}


def artwork(name: str) -> Path:
    """The fixture file `name` (see ARTWORK, plus multi-page.pdf, no-panel.pdf, broken.pdf, approved.tif/.jpg)."""
    if name in _PATHS:
        return _PATHS[name]
    out = workdir()
    stem, ext = name.rsplit(".", 1)
    if name in ARTWORK:
        variant, kind = ARTWORK[name]
        path = write(out, stem, variant, kind)
    elif name in ("approved.tif", "approved.jpg"):
        path = write(out, stem, Variant(), "tiff" if ext == "tif" else "jpeg")
    elif name == "no-panel.pdf":
        path = cover_pdf(out / name, COVER_LINES)
    elif name == "multi-page.pdf":
        path = merge_pdfs(out / name, [artwork("no-panel.pdf"), artwork("approved.pdf")])
    elif name == "broken.pdf":
        path = garbage(out / name)
    else:
        raise KeyError(name)
    _PATHS[name] = path
    return path


_RESULTS: dict[str, object] = {}


def scanned(name: str):
    """The ScanResult of `name` with the bundled packs (no spec), scanned once per session."""
    if name not in _RESULTS:
        from labelscan.checks import load_rules
        from labelscan.pipeline import ScanOptions, scan_many

        _RESULTS[name] = next(scan_many([artwork(name)], ScanOptions(packs=load_rules(None))))
    return _RESULTS[name]


def spec_file(data: dict | None = None, name: str = "approved-spec.yaml") -> Path:
    """The approved spec (or `data`) written as YAML in the session folder."""
    import yaml

    path = workdir() / name
    path.write_text(yaml.safe_dump(data if data is not None else APPROVED_SPEC, sort_keys=False), encoding="utf-8")
    return path


def checked(name: str, spec: dict | None = None):
    """A copy of scanned(name) with the spec (default: the approved one) applied."""
    import copy

    from labelscan.gate import apply_spec
    from labelscan.spec import parse_spec

    loaded = parse_spec(spec if spec is not None else APPROVED_SPEC, "approved-spec.yaml")
    return apply_spec(copy.deepcopy(scanned(name)), loaded)
