"""The catalogue audit on text inputs: catalogue formats, broken rows, reuse on re-run, multi-image products, reports."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from labelscan.audit.catalogue import read_catalogue
from labelscan.audit.reports import render_store_report
from labelscan.audit.runner import AuditOptions, run_audit
from labelscan.audit.store import Store
from labelscan.checks import load_rules

ROOT = Path(__file__).resolve().parent.parent
COMPLIANT = (ROOT / "samples" / "compliant.txt").read_text()
FRONT, BACK = COMPLIANT.split("Supplement Facts", 1)
BACK = "Supplement Facts" + BACK
NO_SEAL = "\n".join(line for line in COMPLIANT.splitlines() if line not in {"USP", "VERIFIED", "GMP REGISTERED", "NSF", "NSF.ORG"})


def write_catalogue(folder: Path, rows: list[tuple[str, str, str]], files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode())
    catalogue = folder / "catalogue.csv"
    with catalogue.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["sku", "name", "image", "brand"])
        for sku, name, image in rows:
            writer.writerow([sku, name, image, "Acme"])
    return catalogue


@pytest.fixture
def catalogue(tmp_path: Path) -> Path:
    files = {"a.txt": COMPLIANT, "b.txt": NO_SEAL,
             "front.txt": FRONT, "back.txt": BACK, "corrupt.png": b"\x89PNG\r\n\x1a\n" + b"\0" * 40}
    rows = [("SKU-1", "Alpha", "a.txt"), ("SKU-2", "Beta", "b.txt"), ("SKU-3", "Split", "front.txt"),
            ("SKU-3", "", "back.txt"), ("SKU-4", "Missing", "missing.png"), ("SKU-5", "Corrupt", "corrupt.png"),
            ("SKU-6", "Bad URL", "ftp://example.com/x.png"), ("SKU-7", "No image", "")]
    return write_catalogue(tmp_path, rows, files)


def audit(catalogue: Path, db: Path, packs: list[str] | None = None, **kw):
    store = Store(db)
    try:
        return run_audit(catalogue, store, AuditOptions(packs=load_rules(packs), jobs=1, **kw))
    finally:
        store.close()


def jsonl(db: Path) -> dict[str, dict]:
    objects = [json.loads(line) for line in render_store_report(db, "jsonl").splitlines()]
    skus = [o["sku"] for o in objects]
    assert len(skus) == len(set(skus)), "a product is reported twice"
    return {o["sku"]: o for o in objects}


def test_catalogue_formats(tmp_path: Path) -> None:
    (tmp_path / "x.txt").write_text("hi")
    (tmp_path / "cat.jsonl").write_text('{"sku": "A", "name": "n", "image": "x.txt", "size": 3}\nnot json\n\n'
                                        '{"sku": "A", "image": "https://e.com/b.png"}\n')
    products = read_catalogue(tmp_path / "cat.jsonl")
    assert [p.sku for p in products] == ["A", "(line 2)"]
    assert [r.image for r in products[0].rows] == [str(tmp_path / "x.txt"), "https://e.com/b.png"]
    assert products[0].extra == {"size": "3"} and products[1].rows[0].error
    folder = read_catalogue(tmp_path)
    assert [p.sku for p in folder] == ["x"]


def test_audit_every_row_and_error_reasons(catalogue: Path, tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    summary = audit(catalogue, db)
    assert summary.products == 7 and summary.errors == 4
    result = jsonl(db)
    assert set(result) == {f"SKU-{i}" for i in range(1, 8)}
    assert result["SKU-1"]["verdict"] == "pass"
    assert result["SKU-2"]["verdict"] == "fail"
    assert "does not exist" in result["SKU-4"]["error"]
    assert "corrupt" in result["SKU-5"]["error"]
    assert "scheme 'ftp'" in result["SKU-6"]["error"]
    assert "has no image" in result["SKU-7"]["error"]
    for sku in ("SKU-4", "SKU-5", "SKU-6", "SKU-7"):
        assert result[sku]["verdict"] == "error"
    assert result["SKU-1"]["extra"] == {"brand": "Acme"}


def test_images_of_one_product_are_combined(catalogue: Path, tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    audit(catalogue, db, ["magnesium-l-threonate"])
    split = jsonl(db)["SKU-3"]
    status = {c["id"]: c["status"] for c in split["checks"]}
    assert status["third-party-seal"] == "pass"  # the seal is on the front
    assert status["elemental-magnesium-stated"] == "pass"  # the panel on the back
    assert [i["pages"] for i in split["images"]] == [1, 1]
    seal_evidence = next(c for c in split["checks"] if c["id"] == "third-party-seal")["evidence"]
    panel_evidence = next(c for c in split["checks"] if c["id"] == "elemental-magnesium-stated")["evidence"]
    assert {e["page"] for e in seal_evidence} == {0} and {e["page"] for e in panel_evidence} == {1}


def test_rerun_reuses_and_change_rescans_only_what_changed(catalogue: Path, tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    first = audit(catalogue, db)
    assert first.evaluated == 3
    again = audit(catalogue, db)
    assert (again.evaluated, again.reused) == (0, 3)
    (catalogue.parent / "a.txt").write_text(COMPLIANT.replace("119 mg", "120 mg"))
    changed = audit(catalogue, db)
    assert (changed.evaluated, changed.reused) == (1, 2)
    pack = tmp_path / "pack.yaml"
    pack.write_text((ROOT / "rules" / "magnesium-l-threonate.yaml").read_text())
    repacked = audit(catalogue, db, [str(pack)])
    assert (repacked.evaluated, repacked.reused, repacked.images_read) == (3, 0, 0)
    runs = Store(db).runs()
    assert [r["status"] for r in runs] == ["finished"] * 4
    assert len(jsonl(db)) == 7


def test_store_is_wal_with_schema_version(tmp_path: Path, catalogue: Path) -> None:
    db = tmp_path / "audit.db"
    audit(catalogue, db)
    store = Store(db)
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()[0] == "1"
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_reports_csv_json(catalogue: Path, tmp_path: Path) -> None:
    db = tmp_path / "audit.db"
    audit(catalogue, db)
    rows = list(csv.DictReader(render_store_report(db, "csv").splitlines()))
    assert {r["sku"] for r in rows} == {f"SKU-{i}" for i in range(1, 8)}
    assert next(r for r in rows if r["sku"] == "SKU-1")["magnesium-l-threonate/threonate-named"] == "pass"
    data = json.loads(render_store_report(db, "json"))
    assert len(data["products"]) == 7 and data["runs"][0]["status"] == "finished"
    html = render_store_report(db, "html")
    assert html.startswith("<!doctype html>") and "http://" not in html and "https://" not in html.replace("https://example", "")


def test_cli_audit_and_report(catalogue: Path, tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    db = tmp_path / "cli.db"
    run = subprocess.run([sys.executable, "-m", "labelscan", "audit", str(catalogue), "--db", str(db), "-j", "1"],
                         capture_output=True, text=True, env=env, timeout=300)
    assert run.returncode == 4, run.stderr
    assert run.stdout == ""
    assert "audited 7 products" in run.stderr and "Traceback" not in run.stderr
    report = subprocess.run([sys.executable, "-m", "labelscan", "report", str(db), "--format", "jsonl"],
                            capture_output=True, text=True, env=env, timeout=120)
    assert report.returncode == 0, report.stderr
    assert len(report.stdout.splitlines()) == 7
    missing = subprocess.run([sys.executable, "-m", "labelscan", "report", str(tmp_path / "none.db")],
                             capture_output=True, text=True, env=env, timeout=120)
    assert missing.returncode == 2 and "no audit store" in missing.stderr


def test_relative_paths_may_not_leave_the_catalogue_folder(tmp_path):
    from labelscan.audit.catalogue import read_rows

    (tmp_path / "cat").mkdir()
    (tmp_path / "cat" / "a.txt").write_text("x")
    catalogue = tmp_path / "cat" / "catalogue.csv"
    catalogue.write_text("sku,name,image\nA,ok,a.txt\nB,escape,../../etc/passwd\nC,sub,./a.txt\n")
    rows = {r.sku: r for r in read_rows(catalogue)}
    assert rows["A"].error is None and rows["C"].error is None
    assert "outside the catalogue's folder" in rows["B"].error
