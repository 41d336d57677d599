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
clean "scan" rendering; only "scan" exists today.
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


def write_label(out: str, name: str, product, design, canvas, seed: int, key: str, formats, conditions) -> list[str]:
    written = []
    if "png" in formats:
        for cond in conditions:
            fn = CONDITIONS[cond]
            img = fn(canvas.img, random.Random(f"cond|{seed}|{key}|{cond}"))
            base = name if cond == "scan" else f"{name}-{cond}"
            save_png(img, os.path.join(out, base + ".png"))
            gt = ground_truth(product, design, canvas, cond, "png", base + ".png", seed, key)
            gt["design"]["width"], gt["design"]["height"] = img.size
            write_json(os.path.join(out, base + ".json"), gt)
            written.append(base + ".png")
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


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--out", default=None, help="output folder (default samples/generated, or samples/ with --committed)")
    ap.add_argument("--count", type=int, default=40)
    ap.add_argument("--seed", type=int, default=None, help=f"default 1 (the committed set uses {COMMITTED_SEED})")
    ap.add_argument("--conditions", default="scan", help=f"comma list of: {', '.join(CONDITIONS)}")
    ap.add_argument("--formats", default="png", help=f"comma list of: {', '.join(FORMATS)}")
    ap.add_argument("--committed", action="store_true", help="write the curated set kept in samples/")
    args = ap.parse_args(argv)
    conditions = [c.strip() for c in args.conditions.split(",") if c.strip()]
    formats = [f.strip() for f in args.formats.split(",") if f.strip()]
    bad = [c for c in conditions if c not in CONDITIONS] + [f for f in formats if f not in FORMATS]
    if bad:
        ap.error(f"unknown condition/format: {', '.join(bad)}")
    if args.committed:
        written = make_committed(args.out or HERE, COMMITTED_SEED if args.seed is None else args.seed)
    else:
        written = make_set(args.out or os.path.join(HERE, "generated"), args.count,
                           1 if args.seed is None else args.seed, formats, conditions)
    print(f"wrote {len(written)} samples to {args.out or 'samples/'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
