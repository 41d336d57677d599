#!/usr/bin/env python3
"""Render sample magnesium L-threonate supplement labels with their ground truth.

    python samples/make_samples.py --out samples/generated --count 40 --seed 1
    python samples/make_samples.py --out DIR --count 10 --formats png,txt,pdf-text,pdf-image
    python samples/make_samples.py --committed            # the small set kept in samples/

Every label NAME.png gets NAME.json: condition, verdict, the four checks, the expected
values a scanner should read, and the design choices that produced the picture.  Output
is a pure function of (seed, index, outcome): the same command writes the same bytes.

Outcomes alternate compliant / defective so a set is balanced by verdict; see
gen/product.py for the list.  Conditions (gen/conditions.py) are transforms of the
clean "scan" rendering: scan (identity), photo, bottle, sideways, lowres.

    python samples/make_samples.py --out DIR --count 20 --conditions scan,photo,bottle,sideways,lowres
    python samples/make_samples.py --photos               # the small photo set kept in samples/photos/

A photographic condition writes NAME-COND.jpg and NAME-COND.json; the JSON adds
condition_params, visible / hidden / occluded regions, checks_acceptable and a bbox_photo
beside every box (see photo_truth below).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
if HERE not in sys.path:
    sys.path.insert(0, HERE)

from gen.canvas import Canvas  # noqa: E402
from gen.conditions import CONDITIONS  # noqa: E402
from gen.pdfout import image_pdf, text_pdf  # noqa: E402
from gen.product import COMPLIANT, DEFECTS, OUTCOMES, make_product  # noqa: E402
from gen.render import choose_design, render_label  # noqa: E402

SCHEMA = 1
FORMATS = ("png", "txt", "pdf-text", "pdf-image")

# name, outcome, design overrides — the set committed under samples/
COMMITTED = [
    ("compliant-01", "compliant-as", {"layout": "front-left", "dark": False, "seal_style": "ring",
                                      "seal_place": "front", "panel_style": "standard"}),
    ("compliant-02", "compliant-split", {"layout": "front-top", "dark": False, "panel_style": "standard"}),
    ("compliant-03", "compliant-providing", {"layout": "front-left", "dark": True, "seal_style": "disc",
                                             "seal_place": "front"}),
    ("compliant-04", "compliant-magtein", {"layout": "front-left", "panel_style": "tabular", "dark": False,
                                           "seal_style": "shield", "seal_place": "front"}),
    ("compliant-panel-only-01", "compliant-as", {"layout": "panel-only", "panel_style": "standard",
                                                 "seal_style": "ring-caption"}),
    ("pass-facility-only-01", "pass-facility-only", {"layout": "front-left", "seal_style": "ring",
                                                     "seal_place": "front"}),
    ("fail-threonate-magtein-01", "fail-threonate-magtein", {"layout": "front-left", "dark": False}),
    ("fail-threonate-glycinate-01", "fail-threonate-glycinate", {"layout": "front-top"}),
    ("fail-elemental-missing-01", "fail-elemental-missing", {"layout": "front-left"}),
    ("fail-elemental-impossible-01", "fail-elemental-impossible", {"layout": "front-left", "dark": True}),
    ("fail-blend-matrix-01", "fail-blend-matrix", {"layout": "front-left", "panel_style": "standard"}),
    ("fail-blend-proprietary-01", "fail-blend-proprietary", {"layout": "panel-only", "panel_style": "standard",
                                                             "seal_style": "badge"}),
    ("fail-no-seal-01", "fail-no-seal", {"layout": "front-left"}),
    ("fail-self-claims-only-01", "fail-self-claims-only", {"layout": "front-left", "claims_as_text": False,
                                                           "seal_place": "front"}),
    ("fail-combo-01", "fail-combo-blend-no-seal", {"layout": "front-top", "dark": True}),
]
COMMITTED_SEED = 7
# the photo set committed under samples/photos/: (committed label, condition, pinned parameters);
# kept small (long side 2,000 px, modest JPEG quality) so the folder stays under ~3 MB
PHOTO_SET = [
    ("compliant-01", "photo", {"long_side": 2000, "jpeg_quality": 70, "glare": True, "washout": False}),
    ("fail-blend-matrix-01", "photo", {"long_side": 2000, "jpeg_quality": 66, "glare": False}),
    ("fail-threonate-magtein-01", "photo", {"long_side": 2000, "jpeg_quality": 68, "glare": True, "washout": True,
                                          "glare_on_panel": True}),
    ("compliant-panel-only-01", "bottle", {"long_side": 2000, "jpeg_quality": 72}),
    ("fail-elemental-impossible-01", "bottle", {"long_side": 2000, "jpeg_quality": 72}),
    ("compliant-02", "sideways", {"long_side": 2000, "jpeg_quality": 70, "turn_deg": 90}),
    ("fail-no-seal-01", "sideways", {"long_side": 2000, "jpeg_quality": 70, "turn_deg": 270}),
    ("compliant-04", "lowres", {}),
    ("fail-self-claims-only-01", "lowres", {}),
]
PHOTOS_DIR = os.path.join(HERE, "photos")
TEXT_SAMPLE = "compliant-01"       # samples/compliant.txt is this label's text
PDF_SAMPLE = ("compliant-split", {"layout": "front-left", "dark": False, "panel_style": "standard",
                                  "seal_style": "ring", "seal_place": "front"})


def outcome_for(index: int) -> str:
    """Balanced: even indices compliant (cycling formats), odd ones defective (cycling defects)."""
    pool = COMPLIANT if index % 2 == 0 else DEFECTS
    return pool[(index // 2) % len(pool)]


def build(outcome: str, key: str, seed: int, overrides: dict | None = None):
    """(product, design, canvas) for one label; `key` makes the random stream unique."""
    rng = random.Random(f"labelscan|{seed}|{key}|{outcome}")
    product = make_product(outcome, rng)
    design = choose_design(rng, overrides, product)
    canvas = render_label(product, design, rng)
    return product, design, canvas


def ground_truth(product: dict, design: dict, canvas: Canvas, condition: str, fmt: str, fname: str,
                 seed: int, key: str) -> dict:
    t = product["truth"]
    expected = dict(t["expected"])
    boxes = {r["seal"]: r for r in canvas.regions if "seal" in r}
    expected["seals"] = [{**s, "style": boxes.get(s["program"], {}).get("style"),
                          "bbox": boxes.get(s["program"], {}).get("bbox")} for s in expected["seals"]]
    expected["self_claim_marks"] = [{"claim": r["self-claim"], "style": r["style"], "bbox": r["bbox"]}
                                    for r in canvas.regions if "self-claim" in r]
    panel = next((r["bbox"] for r in canvas.regions if "panel" in r), None)
    return {
        "schema": SCHEMA,
        "file": fname,
        "format": fmt,
        "condition": condition,
        "outcome": product["outcome"],
        "verdict": t["verdict"],
        "checks": t["checks"],
        "expected": expected,
        "design": {**design, "seed": seed, "key": key, "width": canvas.w, "height": canvas.h, "dpi": 300,
                   "panel_bbox": panel,
                   "compound_mg_true": product["compound_true"], "elemental_mg_true": product["elemental_true"]},
    }


def write_json(path: str, data: dict) -> None:
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False)
        fh.write("\n")


def save_png(img, path: str) -> None:
    img.save(path, format="PNG", optimize=True)


PANEL_CHECKS = ("threonate-named", "elemental-magnesium-stated", "no-proprietary-blend")
SEAL_CHECK = "third-party-seal"


def condition_context(canvas: Canvas, design: dict) -> dict:
    """What a condition needs to follow the label's regions into the photo (see gen/conditions.py)."""
    regions = {}
    for r in canvas.regions:
        if "panel" in r:
            regions["panel"] = r["bbox"]
        elif "seal" in r:
            regions[f"seal:{r['seal']}"] = r["bbox"]
        elif "self-claim" in r:
            regions[f"self-claim:{r['self-claim']}"] = r["bbox"]
    return {"regions": regions, "body_px": design.get("body_px")}


def photo_truth(gt: dict, info: dict) -> dict:
    """Add a condition's parameters and geometry to the ground truth, and say honestly what a careful
    reader can still tell from the photo.

    condition_params   every parameter the condition drew
    visible / hidden   regions ("panel", "seal:<program>", "self-claim:<id>") readable / turned out of view
    occluded           regions whose print a glare washout erased (partly): "unknown" is acceptable there
    checks             what the photo shows: a check whose evidence is out of view becomes "unknown"
                       (the label's own results stay in label_checks / label_verdict when they differ)
    checks_acceptable  check -> statuses a scanner may answer without being wrong; "pass" is never
                       acceptable for a failing check
    bbox_photo         beside every bbox (seals, self-claim marks, design.panel_bbox_photo): where it is
                       in the photo, [x, y, w, h]; null when out of view
    """
    gt["condition_params"] = info["params"]
    gt["visible"] = sorted(info.get("visible", []))
    gt["hidden"] = sorted(info.get("hidden", []))
    gt["occluded"] = sorted(info.get("occluded", []))
    gt["label_whole_in_view"] = bool(info.get("label_whole_in_view", True))
    boxes, quads = info.get("bbox_photo", {}), info.get("quad_photo", {})
    e, d = gt["expected"], gt["design"]
    for s in e["seals"]:
        s["bbox_photo"] = boxes.get(f"seal:{s['program']}")
    for m in e["self_claim_marks"]:
        m["bbox_photo"] = boxes.get(f"self-claim:{m['claim']}")
    d["panel_bbox_photo"] = boxes.get("panel")
    d["panel_quad_photo"] = quads.get("panel")
    d["label_bbox_photo"] = boxes.get("label")
    d["label_quad_photo"] = quads.get("label")

    label_checks = dict(gt["checks"])
    checks = dict(label_checks)
    acceptable = {c: [v] for c, v in checks.items()}
    gone = set(gt["hidden"])
    washed = set(gt["occluded"])

    def allow_unknown(c):
        if "unknown" not in acceptable[c]:
            acceptable[c].append("unknown")

    for c in PANEL_CHECKS:
        if "panel" in gone:
            checks[c], acceptable[c] = "unknown", ["unknown"]
        elif "panel" in washed:
            allow_unknown(c)
    # the seal check passes on any certification seal (third-party or facility; see gen/product.py)
    third = [f"seal:{s['program']}" for s in e["seals"]]
    marks = [f"seal:{s['program']}" for s in e["seals"]] + [f"self-claim:{m['claim']}" for m in e["self_claim_marks"]]
    if label_checks[SEAL_CHECK] == "pass":
        readable = [t for t in third if t not in gone and t not in washed]
        in_view = [t for t in third if t not in gone]
        if not in_view:
            checks[SEAL_CHECK], acceptable[SEAL_CHECK] = "unknown", ["unknown"]
        elif not readable:
            allow_unknown(SEAL_CHECK)
    else:  # a seal could be on the part of the label the photo does not show, or under the glare
        if not gt["label_whole_in_view"] or any(m in gone or m in washed for m in marks):
            allow_unknown(SEAL_CHECK)
    gt["checks"] = checks
    gt["checks_acceptable"] = acceptable
    if checks != label_checks:
        gt["label_checks"] = label_checks
        gt["label_verdict"] = gt["verdict"]
        vals = set(checks.values())
        gt["verdict"] = "fail" if "fail" in vals else "needs-review" if "unknown" in vals else "pass"
    return gt


def write_label(out: str, name: str, product, design, canvas, seed: int, key: str, formats, conditions,
                overrides: dict | None = None) -> list[str]:
    written = []
    if "png" in formats:
        ctx = condition_context(canvas, design)
        for cond in conditions:
            fn = CONDITIONS[cond]
            c = dict(ctx, overrides=(overrides or {}).get(cond, {}))
            img, info = fn(canvas.img, random.Random(f"cond|{seed}|{key}|{cond}"), c)
            base = name if cond == "scan" else f"{name}-{cond}"
            q = info.get("jpeg_quality")
            fname = base + (".jpg" if q else ".png")
            if q:
                img.save(os.path.join(out, fname), format="JPEG", quality=int(q), optimize=True)
            else:
                save_png(img, os.path.join(out, fname))
            gt = ground_truth(product, design, canvas, cond, "jpg" if q else "png", fname, seed, key)
            gt["design"]["width"], gt["design"]["height"] = img.size
            if cond != "scan":
                gt = photo_truth(gt, info)
            write_json(os.path.join(out, base + ".json"), gt)
            written.append(fname)
    extra = {"txt": ("-text", ".txt", "text"), "pdf-text": ("-pdftext", ".pdf", "pdf-text"),
             "pdf-image": ("-pdfimage", ".pdf", "pdf-image")}
    for fmt, (suffix, ext, cond) in extra.items():
        if fmt not in formats:
            continue
        base = name + suffix
        write_artifact(out, base, ext, fmt, product, design, canvas, seed, key)
        written.append(base + ext)
    return written


def write_artifact(out, base, ext, fmt, product, design, canvas, seed, key) -> None:
    path = os.path.join(out, base + ext)
    if fmt == "txt":
        with open(path, "w", encoding="utf-8") as fh:
            fh.write("\n".join(canvas.lines) + "\n")
    elif fmt == "pdf-text":
        text_pdf(canvas, path)
    elif fmt == "pdf-image":
        image_pdf(canvas.img, path)
    cond = {"txt": "text", "pdf-text": "pdf-text", "pdf-image": "pdf-image"}[fmt]
    write_json(os.path.join(out, base + ".json"),
               ground_truth(product, design, canvas, cond, fmt, base + ext, seed, key))


def make_set(out: str, count: int, seed: int, formats=("png",), conditions=("scan",)) -> list[str]:
    os.makedirs(out, exist_ok=True)
    written = []
    for i in range(count):
        outcome = outcome_for(i)
        key = f"set-{i}"
        product, design, canvas = build(outcome, key, seed)
        written += write_label(out, f"{outcome}-{i + 1:03d}", product, design, canvas, seed, key, formats,
                               conditions)
    return written


def make_committed(out: str, seed: int) -> list[str]:
    os.makedirs(out, exist_ok=True)
    written = []
    for name, outcome, overrides in COMMITTED:
        product, design, canvas = build(outcome, name, seed, overrides)
        written += write_label(out, name, product, design, canvas, seed, name, ("png",), ("scan",))
        if name == TEXT_SAMPLE:
            write_artifact(out, "compliant", ".txt", "txt", product, design, canvas, seed, name)
            written.append("compliant.txt")
    product, design, canvas = build(PDF_SAMPLE[0], "artwork", seed, PDF_SAMPLE[1])
    write_artifact(out, "artwork-text", ".pdf", "pdf-text", product, design, canvas, seed, "artwork")
    write_artifact(out, "artwork-image", ".pdf", "pdf-image", product, design, canvas, seed, "artwork")
    return written + ["artwork-text.pdf", "artwork-image.pdf"]


def make_photos(out: str, seed: int) -> list[str]:
    """The committed photo set: a few committed labels under each photographic condition."""
    os.makedirs(out, exist_ok=True)
    designs = {name: (outcome, ov) for name, outcome, ov in COMMITTED}
    written = []
    for name, cond, params in PHOTO_SET:
        outcome, design_ov = designs[name]
        product, design, canvas = build(outcome, name, seed, design_ov)
        written += write_label(out, name, product, design, canvas, seed, name, ("png",), (cond,), {cond: params})
    return written


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=None, help="output folder (default samples/generated, or samples/ with --committed)")
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--seed", type=int, default=None, help=f"default 1 (the committed set uses {COMMITTED_SEED})")
    ap.add_argument("--conditions", default="scan", help=f"comma list of: {', '.join(CONDITIONS)}")
    ap.add_argument("--formats", default="png", help=f"comma list of: {', '.join(FORMATS)}")
    ap.add_argument("--committed", action="store_true", help="write the curated set kept in samples/")
    ap.add_argument("--photos", action="store_true", help="write the photo set kept in samples/photos/")
    args = ap.parse_args(argv)
    conditions = [c.strip() for c in args.conditions.split(",") if c.strip()]
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    bad = [c for c in conditions if c not in CONDITIONS] + [f for f in formats if f not in FORMATS]
    if bad:
        ap.error(f"unknown condition/format: {', '.join(bad)}")
    if args.photos:
        written = make_photos(args.out or PHOTOS_DIR, COMMITTED_SEED if args.seed is None else args.seed)
    elif args.committed:
        written = make_committed(args.out or HERE, COMMITTED_SEED if args.seed is None else args.seed)
    else:
        written = make_set(args.out or os.path.join(HERE, "generated"), args.count,
                           1 if args.seed is None else args.seed, formats, conditions)
    where = args.out or ('samples/photos/' if args.photos else 'samples/' if args.committed else 'samples/generated/')
    print(f"wrote {len(written)} samples to {where}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
