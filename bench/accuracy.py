"""Accuracy of the scanner on a labelled image set: per-check, verdict, pass recall, false passes, needs-review share,
median seconds and peak memory per image, by photo condition. Prints figures; asserts nothing.

    python bench/accuracy.py DIR [--engine auto|tesserocr|tesseract|rapidocr] [--jobs 2] [--save RESULTS.json]
    python bench/accuracy.py --generate 120 --seed 11 [--conditions scan,photo,...]

Each image NAME.(png|jpg|pdf|txt) must have NAME.json beside it with "condition", "verdict" and "checks"
(the sample generator's ground truth).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHECKS = ["threonate-named", "elemental-magnesium-stated", "no-proprietary-blend", "third-party-seal"]
_OPTIONS = None


def _init(engine: str) -> None:
    global _OPTIONS
    from labelscan import ScanOptions, load_rules

    _OPTIONS = ScanOptions(packs=load_rules(["magnesium-l-threonate"]), engine_name=engine)


def _reset_peak() -> bool:
    """Reset this process's peak resident memory to its current size (Linux: /proc/self/clear_refs)."""
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")
        return True
    except OSError:
        return False


def _peak_mb(reset: bool) -> float:
    """Peak resident memory (MB) since the last reset, else since the process started."""
    if reset:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _scan(path: str) -> dict:
    from labelscan import scan_many

    reset = _reset_peak()
    start, cpu = time.perf_counter(), time.process_time()
    result = next(scan_many([path], _OPTIONS))
    return {"path": path, "verdict": result.verdict, "seconds": time.perf_counter() - start,
            "cpu_seconds": time.process_time() - cpu,
            "peak_mb": _peak_mb(reset), "engine": result.engine,
            "checks": {f.id: f.status for f in result.findings}, "error": result.error,
            "messages": {f.id: f.message for f in result.findings},
            "internal_errors": [warning for warning in (result.label.warnings if result.label else [])
                                if warning.startswith("Internal error")]}


def inputs(folder: Path) -> list[tuple[Path, dict]]:
    pairs = []
    for truth in sorted(folder.glob("*.json")):
        data = json.loads(truth.read_text())
        if "checks" not in data:
            continue
        candidates = [truth.with_suffix(s) for s in (".png", ".jpg", ".jpeg", ".webp", ".tif", ".pdf", ".txt")]
        image = next((c for c in candidates if c.exists()), None)
        if image is not None:
            pairs.append((image, data))
    return pairs


def check_right(got: dict, truth: dict, check: str) -> bool:
    """The check's answer is the expected one, or one the photo makes acceptable ('unknown' where its
    evidence is out of view or washed out; never 'pass' for a failing check)."""
    acceptable = truth.get("checks_acceptable", {}).get(check, [truth["checks"][check]])
    return got["checks"].get(check) in acceptable


def verdict_right(got: dict, truth: dict) -> bool:
    """The expected verdict, or needs-review where an acceptable 'unknown' explains it."""
    if got["verdict"] == truth["verdict"]:
        return True
    unknown_ok = any("unknown" in v for v in truth.get("checks_acceptable", {}).values())
    return got["verdict"] == "needs-review" and unknown_ok


def report(rows: list[tuple[dict, dict]], show_errors: bool) -> None:
    engines = sorted({e for got, _ in rows for e in got["engine"].split(", ") if e})
    print(f"OCR engine: {', '.join(engines) or 'none (text inputs only)'}")
    by_condition: dict[str, list[tuple[dict, dict]]] = defaultdict(list)
    for got, truth in rows:
        by_condition[truth.get("condition", "?")].append((got, truth))
    by_condition["ALL"] = rows
    header = (f"{'condition':<12}{'n':>4}" + "".join(f"{c[:14]:>16}" for c in CHECKS)
              + f"{'verdict':>9}{'pass-recall':>12}{'false-pass':>11}{'review':>8}{'med s':>7}{'cpu s':>7}{'peak MB':>8}")
    print(header)
    for condition, items in by_condition.items():
        n = len(items)
        cells = []
        for check in CHECKS:
            right = sum(1 for got, truth in items if check_right(got, truth, check))
            cells.append(f"{100 * right / n:15.1f}%")
        verdicts_right = sum(1 for got, truth in items if verdict_right(got, truth))
        compliant = [(g, t) for g, t in items if t.get("label_verdict", t["verdict"]) == "pass"]
        recall = sum(1 for g, _ in compliant if g["verdict"] == "pass") / len(compliant) if compliant else float("nan")
        false_pass = sum(1 for g, t in items if g["verdict"] == "pass" and t.get("label_verdict", t["verdict"]) != "pass")
        review = sum(1 for g, _ in items if g["verdict"] == "needs-review") / n
        median = statistics.median(g["seconds"] for g, _ in items)
        cpu = statistics.median(g.get("cpu_seconds", float("nan")) for g, _ in items)
        peak = max(g["peak_mb"] for g, _ in items)
        print(f"{condition:<12}{n:>4}" + "".join(cells) + f"{100 * verdicts_right / n:8.1f}%{100 * recall:11.1f}%"
              f"{false_pass:>11}{100 * review:7.1f}%{median:7.2f}{cpu:7.2f}{peak:8.0f}")
    print("med s: median wall seconds per image; cpu s: median CPU seconds per image (steadier on a busy machine);")
    print("peak MB: the highest resident memory of the scanning process during one image (engine and models included)")
    internal = [(got["path"], error) for got, _ in rows for error in got.get("internal_errors", [])]
    if internal:
        print(f"\n{len(internal)} internal error(s), a bug to fix whatever the answers:")
        for path, error in internal:
            print(f"  {Path(path).name}: {error}")
    if show_errors:
        print("\nwrong checks:")
        for got, truth in rows:
            for check in CHECKS:
                if not check_right(got, truth, check):
                    print(f"  {Path(got['path']).name}: {check} got {got['checks'].get(check)} want {truth['checks'][check]}"
                          f" — {got['messages'].get(check, got['error'])}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path)
    parser.add_argument("--engine", default="auto")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--generate", type=int, default=0, help="generate this many labels first (into bench/.cache/accuracy)")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--conditions", default="scan")
    parser.add_argument("--errors", action="store_true", help="list every wrong check")
    parser.add_argument("--save", type=Path, help="also write every image's result and truth to this JSON file")
    args = parser.parse_args()
    folder = args.folder
    if args.generate:
        folder = folder or ROOT / "bench" / ".cache" / "accuracy"
        subprocess.run([sys.executable, str(ROOT / "samples" / "make_samples.py"), "--out", str(folder), "--count",
                        str(args.generate), "--seed", str(args.seed), "--conditions", args.conditions], check=True)
    if folder is None:
        parser.error("give a folder or --generate N")
    pairs = inputs(folder)
    from labelscan.errors import LabelscanError
    from labelscan.ocr import get_engine

    try:
        get_engine(args.engine)  # a missing or unknown engine: one line here, not a traceback from every worker
    except LabelscanError as exc:
        sys.exit(f"bench/accuracy.py: {exc}")
    # fresh worker processes (not forks of this one, which has loaded the engine): each loads its own engine, and
    # its peak memory is its own
    with ProcessPoolExecutor(args.jobs, mp_context=multiprocessing.get_context("spawn"), initializer=_init,
                             initargs=(args.engine,)) as pool:
        results = list(pool.map(_scan, [str(p) for p, _ in pairs]))
    rows = list(zip(results, [t for _, t in pairs]))
    if args.save:
        args.save.write_text(json.dumps([{"got": g, "truth": t} for g, t in rows], indent=1))
    report(rows, args.errors)


if __name__ == "__main__":
    main()
