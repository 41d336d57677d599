"""The command line as a user meets it: exit codes, one-line errors, formats, rules commands."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.helpers import COMPLIANT_TEXT

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "samples"


def run(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "labelscan", *args], input=stdin, capture_output=True, env=env, timeout=300)


def one_clear_line(proc: subprocess.CompletedProcess) -> str:
    err = proc.stderr.decode()
    assert "Traceback" not in err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]




def test_text_input_passes_with_json_contract(tmp_path):
    path = tmp_path / "label.txt"
    path.write_text(COMPLIANT_TEXT)
    proc = run("scan", str(path), "--rules", "magnesium-l-threonate", "--format", "json")
    assert proc.returncode == 0, proc.stderr.decode()
    out = json.loads(proc.stdout)
    assert out["verdict"] == "pass"
    assert out["schema_version"] == 1 and len(out["sha256"]) == 64
    checks = {c["id"]: c for c in out["checks"]}
    assert {k: checks[k]["status"] for k in ["threonate-named", "elemental-magnesium-stated", "no-proprietary-blend", "third-party-seal"]} == {
        "threonate-named": "pass", "elemental-magnesium-stated": "pass", "no-proprietary-blend": "pass", "third-party-seal": "pass"}
    assert checks["elemental-magnesium-stated"]["value"] == {"amount": 144, "unit": "mg"}
    assert out["panel"]["servings_per_container"] == 30
    assert out["seals"][0]["program"] == "nsf-certified-for-sport"


def test_stdin_and_jsonl(tmp_path):
    proc = run("scan", "-", "--rules", "magnesium-l-threonate", "--format", "jsonl", stdin=COMPLIANT_TEXT.encode())
    assert proc.returncode == 0, proc.stderr.decode()
    lines = proc.stdout.decode().strip().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["verdict"] == "pass"


def test_failing_text_exits_1_and_text_report_explains(tmp_path):
    path = tmp_path / "label.txt"
    path.write_text(COMPLIANT_TEXT.replace("Magnesium (as magnesium L-threonate) 144 mg 34%", "Magtein® Magnesium 2,000 mg †"))
    proc = run("scan", str(path), "--rules", "magnesium-l-threonate")
    assert proc.returncode == 1
    out = proc.stdout.decode()
    assert out.splitlines()[0].startswith("FAIL")
    assert "threonate-named" in out and "guide" in out.lower()
    assert "\x1b[" not in out  # no colour when not on a terminal


def test_several_inputs_give_a_json_array_and_one_bad_file_loses_nothing(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(COMPLIANT_TEXT)
    proc = run("scan", str(good), str(tmp_path / "missing.png"), str(good), "--rules", "magnesium-l-threonate", "--format", "json")
    assert proc.returncode == 4
    out = json.loads(proc.stdout)
    assert [r["verdict"] for r in out] == ["pass", "error", "pass"]
    assert "does not exist" in out[1]["error"]


def test_output_file_is_written(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text(COMPLIANT_TEXT)
    target = tmp_path / "out" / "report.json"
    proc = run("scan", str(good), "--rules", "magnesium-l-threonate", "--format", "json", "--output", str(target))
    assert proc.returncode == 0
    assert proc.stdout == b""
    assert json.loads(target.read_text())["verdict"] == "pass"


@pytest.mark.parametrize(
    "args, code, words",
    [
        (["scan", "{tmp}/missing.png"], 4, "does not exist"),
        (["scan", "{tmp}/notimage.png", "--rules", "magnesium-l-threonate"], 4, ""),
        (["scan", "{tmp}/good.txt", "--rules", "no-such-pack"], 5, "unknown rule pack"),
        (["scan", "{tmp}/good.txt", "--format", "yaml"], 2, "unknown output format"),
        (["scan", "{tmp}/good.txt", "--engine", "magic"], 2, "magic"),
        (["rules", "validate", "{tmp}/bad.yaml"], 5, "unknown key"),
        (["frobnicate"], 2, "No such command"),
    ],
)
def test_bad_input_gives_one_clear_line_and_the_documented_code(tmp_path, args, code, words):
    (tmp_path / "good.txt").write_text(COMPLIANT_TEXT)
    (tmp_path / "notimage.png").write_bytes(os.urandom(2048))
    (tmp_path / "bad.yaml").write_text("pack: x\nversion: 1\ntitle: x\ncolour: red\nchecks: []\n")
    proc = run(*[a.format(tmp=tmp_path) for a in args])
    assert proc.returncode == code, proc.stderr.decode()
    if code in (2, 5):
        line = one_clear_line(proc)
        assert words.lower() in line.lower()
    else:
        assert "Traceback" not in proc.stderr.decode()
        assert words.lower() in proc.stdout.decode().lower() + proc.stderr.decode().lower()


def test_rules_list_and_validate():
    proc = run("rules", "list")
    assert proc.returncode == 0
    assert "magnesium-l-threonate" in proc.stdout.decode()
    proc = run("rules", "validate", str(ROOT / "rules" / "magnesium-l-threonate.yaml"))
    assert proc.returncode == 0 and "ok" in proc.stdout.decode()
