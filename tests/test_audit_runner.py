"""The parallel runners on real images: the process pool (worker death, kill -9 and resume) and a Dask LocalCluster."""

from __future__ import annotations

import csv
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from labelscan.audit.pool import LocalPool
from labelscan.audit.reports import render_store_report
from labelscan.audit.runner import AuditOptions, run_audit
from labelscan.audit.store import Store
from labelscan.audit.work import ImageOutcome, ImageTask
from labelscan.checks import load_rules

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "samples").glob("*.png"))


def crash_or_echo(task: ImageTask) -> ImageOutcome:
    """A worker function that kills its process for sources named 'crash'."""
    if task.source == "crash":
        os._exit(1)
    return ImageOutcome(task.id, task.source, sha256="x")


def test_pool_retries_once_after_a_worker_dies() -> None:
    tasks = [ImageTask(i, "crash" if i == 2 else f"ok-{i}") for i in range(6)]
    pool = LocalPool(2, "", fn=crash_or_echo)
    try:
        outcomes = {o.id: o for o in pool.run(iter(tasks))}
    finally:
        pool.close()
    assert set(outcomes) == set(range(6))
    assert "died" in (outcomes[2].error or "")
    assert all(outcomes[i].error is None for i in range(6) if i != 2)


def write_catalogue(path: Path, images: list[Path], extra: list[tuple[str, str]] = ()) -> Path:
    with path.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["sku", "name", "image"])
        for image in images:
            writer.writerow([image.stem, image.stem, str(image)])
        writer.writerows([(sku, sku, image) for sku, image in extra])
    return path


def test_real_images_with_dask_cluster(tmp_path: Path) -> None:
    distributed = pytest.importorskip("distributed")
    catalogue = write_catalogue(tmp_path / "cat.csv", SAMPLES[:2], [("TXT", str(ROOT / "samples" / "compliant.txt")),
                                                                      ("GONE", str(tmp_path / "gone.png"))])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
        store = Store(tmp_path / "d.db")
        summary = run_audit(catalogue, store, AuditOptions(packs=load_rules(None), dask_address=cluster.scheduler_address))
        store.close()
    assert summary.images_read == 2 and summary.errors == 1
    objects = {o["sku"]: o for o in map(json.loads, render_store_report(tmp_path / "d.db", "jsonl").splitlines())}
    assert len(objects) == 4
    assert all(objects[p.stem]["verdict"] in ("pass", "fail", "needs-review") for p in SAMPLES[:2])
    assert objects[SAMPLES[0].stem]["checks"] and objects[SAMPLES[0].stem]["images"][0]["kind"] == "image"
    html = render_store_report(tmp_path / "d.db", "html")
    assert html.count("data:image/jpeg;base64,") >= 4  # a thumbnail and an evidence image per real image


def test_kill_9_then_resume_gives_every_product_once(tmp_path: Path) -> None:
    images = SAMPLES[:12]
    catalogue = write_catalogue(tmp_path / "cat.csv", images)
    db = tmp_path / "k.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "labelscan", "audit", str(catalogue), "--db", str(db), "--jobs", "2"]
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 240
    stored = 0
    while time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.3)
        try:
            with sqlite3.connect(db, timeout=5) as conn:
                stored = conn.execute("SELECT count(*) FROM products").fetchone()[0]
        except sqlite3.OperationalError:
            continue
        if stored >= 3:
            break
    assert proc.poll() is None, "the audit finished before it could be killed"
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    assert 3 <= stored < 12
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT status FROM runs").fetchall() == [("running",)]
    rerun = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert rerun.returncode in (0, 1), rerun.stderr
    report = subprocess.run([sys.executable, "-m", "labelscan", "report", str(db), "--format", "jsonl"],
                            env=env, capture_output=True, text=True, timeout=120)
    skus = [json.loads(line)["sku"] for line in report.stdout.splitlines()]
    assert sorted(skus) == sorted(p.stem for p in images)
    with sqlite3.connect(db) as conn:
        read_again = conn.execute("SELECT images_read FROM runs ORDER BY id DESC LIMIT 1").fetchone()[0]
        assert conn.execute("SELECT count(*) FROM products WHERE result = '' OR verdict = ''").fetchone()[0] == 0
    assert read_again <= 12 - stored


def test_repeated_kill_9_at_random_moments_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    import random

    rng = random.Random(20261126)
    images = SAMPLES[:12]
    catalogue = write_catalogue(tmp_path / "cat.csv", images)
    db = tmp_path / "k.db"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "labelscan", "audit", str(catalogue), "--db", str(db), "--jobs", "2", "-q"]
    for _ in range(3):
        proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(1.0, 6.0))
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        with sqlite3.connect(db, timeout=5) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert conn.execute("SELECT count(*) FROM products WHERE result = '' OR verdict = ''").fetchone()[0] == 0
    final = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=600)
    assert final.returncode in (0, 1), final.stderr
    report = subprocess.run([sys.executable, "-m", "labelscan", "report", str(db), "--format", "jsonl"],
                            env=env, capture_output=True, text=True, timeout=120)
    skus = [json.loads(line)["sku"] for line in report.stdout.splitlines()]
    assert sorted(skus) == sorted(p.stem for p in images)  # every product, exactly once
