"""The sample generator: deterministic, self-consistent ground truth, every outcome covered."""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "samples"
CHECK_IDS = {"threonate-named", "elemental-magnesium-stated", "no-proprietary-blend", "third-party-seal"}
SEAL_IDS = {"usp-verified", "nsf-certified-for-sport", "nsf-contents-certified", "informed-sport",
            "informed-choice", "bscg-certified-drug-free", "consumerlab-approved", "labdoor-tested",
            "ul-certified", "nsf-gmp-registered", "npa-gmp"}




@pytest.fixture(scope="module")
def set40(gen, tmp_path_factory):
    out = tmp_path_factory.mktemp("set40")
    gen.make_set(str(out), 40, seed=5)
    return out


def _truths(folder: Path) -> list[dict]:
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


def _digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_same_bytes(gen, tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    formats = ("png", "txt", "pdf-text", "pdf-image")
    gen.make_set(str(a), 3, seed=11, formats=formats)
    gen.make_set(str(b), 3, seed=11, formats=formats)
    gen.make_set(str(c), 3, seed=12)
    da, db = _digest(a), _digest(b)
    assert da == db
    dc = _digest(c)
    assert any(da[k] != dc.get(k) for k in dc if k.endswith(".png"))


def test_cli_runs(tmp_path):
    import subprocess

    out = tmp_path / "cli"
    subprocess.run([sys.executable, str(SAMPLES / "make_samples.py"), "--out", str(out), "--count", "2",
                    "--seed", "3", "--conditions", "scan"], check=True, capture_output=True)
    assert len(list(out.glob("*.png"))) == 2 and len(list(out.glob("*.json"))) == 2


def test_ground_truth_consistent(set40):
    truths = _truths(set40)
    assert len(truths) == 40
    for t in truths:
        name = t["file"]
        assert (set40 / name).exists()
        assert t["condition"] == "scan"
        assert set(t["checks"]) == CHECK_IDS
        assert set(t["checks"].values()) <= {"pass", "fail"}
        assert (t["verdict"] == "fail") == ("fail" in t["checks"].values()), name
        e, d = t["expected"], t["design"]
        for s in e["seals"]:
            assert s["program"] in SEAL_IDS and s["kind"] in ("third-party", "facility")
            assert s["bbox"] and s["bbox"][2] > 0
        assert (t["checks"]["third-party-seal"] == "pass") == bool(e["seals"])
        assert (t["checks"]["no-proprietary-blend"] == "fail") == e["blend"] == any(r["blend"] for r in e["rows"])
        if t["checks"]["elemental-magnesium-stated"] == "pass":
            assert e["elemental_mg"] is not None
        else:
            assert e["elemental_mg"] is None and e["dv_percent"] is None
        if e["dv_percent"] is not None:
            assert e["dv_percent"] == round(e["elemental_mg"] / e["dv_basis"] * 100)
        if t["verdict"] == "pass":
            ratio = d["elemental_mg_true"] / d["compound_mg_true"]
            assert 0.072 <= ratio <= 0.083, (name, ratio)
            assert e["elemental_mg"] == d["elemental_mg_true"]
            if e["compound_mg"] is not None:
                assert 0.072 <= e["elemental_mg"] / e["compound_mg"] <= 0.083
        if t["checks"]["threonate-named"] == "fail":
            text = " ".join(r["name"] for r in e["rows"]).lower().replace("®", "")
            assert "magnesium l-threonate" not in text


def test_all_outcomes_in_forty(gen, set40):
    truths = _truths(set40)
    outcomes = {t["outcome"] for t in truths}
    from gen.product import OUTCOMES

    assert outcomes == set(OUTCOMES)
    verdicts = [t["verdict"] for t in truths]
    assert 15 <= verdicts.count("pass") <= 25
    for check in CHECK_IDS:  # each check fails somewhere, and passes somewhere
        assert {t["checks"][check] for t in truths} == {"pass", "fail"}
    seals = {s["kind"] for t in truths for s in t["expected"]["seals"]}
    assert seals == {"third-party", "facility"}
    assert any(t["expected"]["self_claims"] and not t["expected"]["seals"] for t in truths)


def test_text_pdf_has_text_layer(gen, tmp_path):
    gen.make_set(str(tmp_path), 1, seed=2, formats=("pdf-text", "pdf-image", "txt"))
    pdf = next(tmp_path.glob("*-pdftext.pdf")).read_bytes()
    assert b"/Font" in pdf
    assert b"/Font" not in next(tmp_path.glob("*-pdfimage.pdf")).read_bytes()
    txt = next(tmp_path.glob("*.txt")).read_text()
    assert "Supplement Facts" in txt


@pytest.mark.parametrize("name", ["compliant-01", "fail-blend-matrix-01", "fail-self-claims-only-01"])
def test_committed_samples_present(name):
    truth = json.loads((SAMPLES / f"{name}.json").read_text())
    assert (SAMPLES / f"{name}.png").exists()
    assert truth["file"] == f"{name}.png"
    assert set(truth["checks"]) == CHECK_IDS


def test_committed_set_small():
    total = sum(p.stat().st_size for p in SAMPLES.iterdir() if p.is_file())
    assert total < 6_500_000
