#!/usr/bin/env python3
"""Catalogue audit throughput: images/s with 1 and 2 workers, the speed-up, an unchanged re-run, peak RSS per worker."""

from __future__ import annotations

import argparse
import csv
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "samples"))

from labelscan.audit.runner import AuditOptions, AuditSummary, run_audit  # noqa: E402
from labelscan.audit.store import Store  # noqa: E402
from labelscan.checks import load_rules  # noqa: E402

CACHE = ROOT / "bench" / ".cache"


def make_images(count: int, seed: int) -> Path:
    """`count` generated labels (deterministic) and a catalogue CSV over them, made once."""
    out = CACHE / f"audit-{count}-{seed}"
    catalogue = out / "catalogue.csv"
    if not catalogue.is_file():
        import make_samples

        start = time.perf_counter()
        written = make_samples.make_set(str(out / "images"), count, seed)
        with catalogue.open("w", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["sku", "name", "image"])
            for name in sorted(written):
                writer.writerow([Path(name).stem, Path(name).stem, f"images/{name}"])
        print(f"generated {len(written)} images in {time.perf_counter() - start:.0f}s into {out}", flush=True)
    return catalogue


def audit(catalogue: Path, db: Path, jobs: int, fresh: bool) -> tuple[AuditSummary, float]:
    if fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
    store = Store(db)
    start = time.perf_counter()
    summary = run_audit(catalogue, store, AuditOptions(packs=load_rules(None), jobs=jobs))
    wall = time.perf_counter() - start
    store.close()
    return summary, wall


def line(label: str, images: int, summary: AuditSummary, wall: float) -> None:
    rss = sorted(summary.worker_rss_kb.values())
    rss_text = ", ".join(f"{r / 1024:.0f}" for r in rss) or "-"
    print(f"{label:<22} {wall:7.1f} s  {images / wall:6.2f} images/s  images read {summary.images_read:4d}  "
          f"products evaluated {summary.evaluated:4d}  reused {summary.reused:4d}  errors {summary.errors}  "
          f"peak RSS per worker (MB): {rss_text}", flush=True)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--count", type=int, default=200)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    os.environ["OMP_THREAD_LIMIT"] = "1"
    catalogue = make_images(args.count, args.seed)
    images = sum(1 for _ in open(catalogue)) - 1
    print(f"{images} images, {os.cpu_count()} CPUs", flush=True)
    one, t1 = audit(catalogue, CACHE / "audit-1.db", 1, fresh=True)
    line("1 worker", images, one, t1)
    two, t2 = audit(catalogue, CACHE / "audit-2.db", 2, fresh=True)
    line("2 workers", images, two, t2)
    again, t3 = audit(catalogue, CACHE / "audit-2.db", 2, fresh=False)
    line("unchanged re-run", images, again, t3)
    print(f"speed-up with 2 workers: {t1 / t2:.2f}x (target >= 1.8x)")
    print(f"unchanged re-run: {t3:.2f} s = {100 * t3 / t2:.1f}% of the first 2-worker run (target <= 5%), "
          f"{again.images_read} of {images} images rescanned ({100 * again.images_read / images:.0f}%), "
          f"{again.evaluated} products re-evaluated")
    return 0


if __name__ == "__main__":
    sys.exit(main())
