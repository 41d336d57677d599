"""Parser accuracy per field on generated labels: OCR each image once (cached), parse, compare with ground truth."""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402

from labelscan.model import OcrPage, Panel, PanelRow, Word  # noqa: E402

USAGE = """python bench/parse_debug.py DIR_OR_IMAGE [--errors] [--jobs 2] [--style tabular] [--only NAME]

Each NAME.png needs NAME.json beside it (samples/make_samples.py output, with "expected.rows"). OCR pages are
cached as JSON in /tmp/labelscan-ocr-cache (keyed by the image's sha256), so only the first run pays for
tesseract. Prints per-field accuracy; --errors prints each mismatch with the OCR lines of the panel region.
Rows derived from "(providing N mg elemental …)" are not counted as extra rows (they are not printed rows)."""
CACHE = Path("/tmp/labelscan-ocr-cache")
_PROVIDING = re.compile(r"provid|yield|supplie|supplying|deliver|contain", re.IGNORECASE)
FIELDS = ["rows_found", "name", "amount", "unit", "dv_percent", "dagger", "blend", "components",
          "extra_rows", "serving_size", "servings_per_container", "servings_per_day", "other_ingredients"]


def _page_to_json(page: OcrPage) -> dict[str, Any]:
    return {"width": page.width, "height": page.height, "engine": page.engine, "orientation": page.orientation,
            "words": [[w.text, list(w.bbox), w.confidence, w.block, w.line] for w in page.words]}


def _page_from_json(data: dict[str, Any]) -> OcrPage:
    words = [Word(t, tuple(b), c, blk, ln) for t, b, c, blk, ln in data["words"]]  # type: ignore[arg-type]
    return OcrPage(words=words, width=data["width"], height=data["height"], engine=data["engine"],
                   orientation=data.get("orientation", 0))


def ocr_page(image_path: Path) -> OcrPage:
    """The OcrPage of an image, from the cache when it was read before."""
    digest = hashlib.sha256(image_path.read_bytes()).hexdigest()[:24]
    cached = CACHE / f"{digest}.json"
    if cached.exists():
        return _page_from_json(json.loads(cached.read_text()))
    from PIL import Image

    from labelscan.ocr import get_engine
    from labelscan.ocr.reader import read_image

    with Image.open(image_path) as img:
        page = read_image(img.convert("RGB"), get_engine())
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(_page_to_json(page)))
    return page


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", str(text).lower()).strip()


def _full_name(row: PanelRow) -> str:
    """The parsed row's name as printed: name plus "(as forms)" (compared fuzzily)."""
    if row.forms and not row.blend:
        return f"{row.name} (as {', '.join(row.forms)})"
    return row.name


def _name_score(expected: str, row: PanelRow) -> float:
    exp = _norm(expected)
    return max(fuzz.ratio(exp, _norm(_full_name(row))), fuzz.ratio(_norm(exp.split("(")[0]), _norm(row.name)) - 5)


def _match_rows(expected: list[dict], rows: list[PanelRow]) -> list[tuple[dict, PanelRow | None]]:
    """Each expected row with the parsed row that best matches it (name, then amount), greedy in order."""
    used: set[int] = set()
    out: list[tuple[dict, PanelRow | None]] = []
    for exp in expected:
        best, best_score = None, 0.0
        for i, row in enumerate(rows):
            if i in used:
                continue
            score = _name_score(exp["name"], row)
            if row.quantity is not None and exp.get("amount") is not None and row.quantity.amount == exp["amount"]:
                score += 15
            if score > best_score:
                best, best_score = i, score
        if best is not None and best_score >= 60:
            used.add(best)
            out.append((exp, rows[best]))
        else:
            out.append((exp, None))
    return out


def _derived(row: PanelRow) -> bool:
    """A row the parser adds from a "(providing N mg elemental …)" clause: not a printed row of its own."""
    return bool(row.evidence and _PROVIDING.search(row.evidence.text) and row.forms)


def _items_equal(a: list[str], b: list[str]) -> bool:
    return len(a) == len(b) and all(fuzz.ratio(_norm(x), _norm(y)) >= 85 for x, y in zip(a, b))


def compare(truth: dict, panel: Panel) -> dict[str, list[tuple[bool, str]]]:
    """Field → list of (ok, message) for one label."""
    exp = truth["expected"]
    out: dict[str, list[tuple[bool, str]]] = defaultdict(list)
    pairs = _match_rows(exp.get("rows") or [], panel.rows)
    for want, row in pairs:
        out["rows_found"].append((row is not None, f"row {want['name']!r} not found"))
        if row is None:
            continue
        got = row.to_dict()
        name_ok = _name_score(want["name"], row) >= 85
        out["name"].append((name_ok, f"name {want['name']!r} read {_full_name(row)!r}"))
        for key in ("amount", "unit", "dv_percent", "dagger", "blend"):
            ok = got[key] == want.get(key)
            out[key].append((ok, f"{want['name']!r}: {key} {want.get(key)!r} read {got[key]!r}"))
        comps_ok = _items_equal(want.get("components") or [], row.components)
        out["components"].append((comps_ok, f"{want['name']!r}: components {want.get('components')} read {row.components}"))
    matched = {id(r) for _, r in pairs if r is not None}
    extra = [r for r in panel.rows if id(r) not in matched and not _derived(r)]
    out["extra_rows"].append((not extra, f"extra rows {[_full_name(r) + ' ' + str(r.quantity) for r in extra]}"))
    size = _norm(panel.serving_size or "")
    out["serving_size"].append((size == _norm(exp.get("serving_size") or ""),
                                f"serving size {exp.get('serving_size')!r} read {panel.serving_size!r}"))
    out["servings_per_container"].append((panel.servings_per_container == exp.get("servings_per_container"),
                                          f"servings/container {exp.get('servings_per_container')} read {panel.servings_per_container}"))
    want_day = exp.get("servings_per_day")
    out["servings_per_day"].append((panel.servings_per_day == want_day,
                                    f"servings/day {want_day} read {panel.servings_per_day}"))
    out["other_ingredients"].append((_items_equal(exp.get("other_ingredients") or [], panel.other_ingredients),
                                     f"other ingredients {exp.get('other_ingredients')} read {panel.other_ingredients}"))
    return out


def panel_lines(page: OcrPage, truth: dict) -> list[str]:
    """The OCR lines (tesseract's own grouping) that touch the panel's box in the ground truth."""
    box = truth.get("design", {}).get("panel_bbox")
    lines = []
    for line in page.lines():
        b = line.bbox
        if b is None:
            continue
        if box and (b[0] > box[0] + box[2] or b[0] + b[2] < box[0] or b[1] > box[1] + box[3] or b[1] + b[3] < box[1]):
            continue
        lines.append(f"  [{b[0]:5d},{b[1]:5d} blk{line.words[0].block}] {line.text}")
    return lines


def _work(path: str) -> tuple[str, OcrPage]:
    return path, ocr_page(Path(path))


def inputs(target: Path) -> list[tuple[Path, dict]]:
    images = [target] if target.is_file() else sorted(target.glob("*.png"))
    pairs = []
    for image in images:
        truth = image.with_suffix(".json")
        if truth.exists():
            data = json.loads(truth.read_text())
            if "rows" in data.get("expected", {}):
                pairs.append((image, data))
    return pairs


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, epilog=USAGE, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("target", type=Path)
    ap.add_argument("--errors", action="store_true", help="print every mismatch with the panel's OCR lines")
    ap.add_argument("--jobs", type=int, default=2, help="OCR processes for uncached images")
    ap.add_argument("--style", default=None, help="only panels of this design.panel_style (standard, tabular)")
    ap.add_argument("--only", default=None, help="only images whose name contains this")
    args = ap.parse_args(argv)
    from labelscan.parse import parse_pages

    pairs = [(p, t) for p, t in inputs(args.target)
             if (args.style is None or t.get("design", {}).get("panel_style") == args.style)
             and (args.only is None or args.only in p.name)]
    with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        pages = dict(pool.map(_work, [str(p) for p, _ in pairs]))
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    by_style: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    parse_times = []
    for image, truth in pairs:
        page = pages[str(image)]
        start = time.perf_counter()
        panel = parse_pages([page])
        parse_times.append(time.perf_counter() - start)
        result = compare(truth, panel)
        style = truth.get("design", {}).get("panel_style", "?")
        failures = []
        for field_name, checks in result.items():
            for ok, message in checks:
                totals[field_name][0] += ok
                totals[field_name][1] += 1
                by_style[style][0] += ok
                by_style[style][1] += 1
                if not ok:
                    failures.append(message)
        if args.errors and failures:
            design = truth.get("design", {})
            print(f"== {image.name} ({style}, {design.get('layout')}, {design.get('font')})")
            for message in failures:
                print(f"  ✗ {message}")
            print("\n".join(panel_lines(page, truth)))
    print(f"{len(pairs)} labels; parse median {sorted(parse_times)[len(parse_times) // 2] * 1000:.1f} ms, "
          f"max {max(parse_times, default=0) * 1000:.1f} ms")
    for field_name in FIELDS:
        ok, n = totals.get(field_name, [0, 0])
        if n:
            print(f"  {field_name:24s} {ok:4d}/{n:<4d} {100 * ok / n:5.1f}%")
    for style, (ok, n) in sorted(by_style.items()):
        print(f"  [{style}] all checks {ok}/{n} {100 * ok / n:.1f}%")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
