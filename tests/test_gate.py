"""`labelscan check` and `spec init`: documented exit codes, artwork inputs, and the CI examples' exact command lines."""

from __future__ import annotations

import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from labelscan.cli import main
from labelscan.gate import check, exit_code
from labelscan.sources import load
from tests.fixtures_artwork import APPROVED_SPEC, artwork, checked, scanned, spec_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
BIN = Path(sys.executable).parent


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """Run the CLI in this process: (exit code, stdout, stderr)."""
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


# ---- exit codes -------------------------------------------------------------------------------


def test_passing_artwork_exits_0_with_a_spec_written_by_spec_init(tmp_path: Path, capsys) -> None:
    spec = tmp_path / "approved-spec.yaml"
    code, _, err = run(["spec", "init", str(artwork("approved.pdf")), "-o", str(spec)], capsys)
    assert code == 0 and spec.exists(), err
    text = spec.read_text(encoding="utf-8")
    assert text.startswith("# Specification read from") and "Review every line" in text
    assert yaml.safe_load(text) == APPROVED_SPEC
    code, out, _ = run(["check", str(artwork("approved.pdf")), "--spec", str(spec), "--format", "json"], capsys)
    assert code == 0
    report = json.loads(out)
    assert report["verdict"] == "pass" and {c["id"] for c in report["checks"]} >= {"spec-row-magnesium", "threonate-named"}


def test_spec_init_refuses_to_overwrite_without_force(tmp_path: Path, capsys) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text("approved: true\n", encoding="utf-8")
    code, _, err = run(["spec", "init", str(artwork("broken.pdf")), "-o", str(spec)], capsys)
    assert code == 2 and "--force" in err and spec.read_text(encoding="utf-8") == "approved: true\n"
    code, _, err = run(["spec", "init", str(artwork("broken.pdf")), "-o", str(spec), "--force"], capsys)
    assert code == 4 and "corrupt" in err


def test_failing_artwork_exits_1(capsys) -> None:
    code, out, _ = run(["check", str(artwork("removed-seal.pdf")), "--spec", str(spec_file()), "--fail-on", "fail"], capsys)
    assert code == 1
    assert "spec-seal-nsf-certified-for-sport" in out and out.startswith("FAIL")


@pytest.mark.parametrize("fail_on, expected", [("review", 1), ("fail", 0), ("warning", 1)])
def test_needs_review_exits_by_fail_on(fail_on: str, expected: int, capsys) -> None:
    code, out, _ = run(["check", str(artwork("no-panel.pdf")), "--rules", "magnesium-l-threonate",
                        "--fail-on", fail_on, "--format", "json"], capsys)
    assert json.loads(out)["verdict"] == "needs-review"
    assert code == expected


def test_warning_only_failure_exits_1_only_with_fail_on_warning() -> None:
    result = checked("changed-amount.pdf", {"servings_per_container": 30})  # the spec passes, dv-consistent (a warning) fails
    assert result.verdict == "pass" and any(f.status == "fail" and f.severity == "warning" for f in result.findings)
    assert [exit_code([result], level) for level in ("fail", "review", "warning")] == [0, 0, 1]


def test_unreadable_artwork_exits_4_and_the_others_are_still_reported(capsys) -> None:
    code, out, err = run(["check", str(artwork("broken.pdf")), str(artwork("no-panel.pdf")), "--format", "jsonl"], capsys)
    assert code == 4
    lines = [json.loads(line) for line in out.splitlines()]
    assert [r["verdict"] for r in lines][0] == "error" and len(lines) == 2


@pytest.mark.parametrize("spec_text", ["rows: [{name: Magnesium, amount: 144, unit: mg, extra: 1}]\n", None])
def test_invalid_or_missing_spec_exits_5_before_reading_artwork(tmp_path: Path, spec_text: str | None, capsys) -> None:
    spec = tmp_path / "spec.yaml"
    if spec_text is not None:
        spec.write_text(spec_text, encoding="utf-8")
    code, out, err = run(["check", str(tmp_path / "not-read.pdf"), "--spec", str(spec)], capsys)
    assert code == 5 and out == ""
    assert str(spec) in err and ("line 1" in err or "not found" in err)


def test_invalid_pack_exits_5(capsys) -> None:
    code, _, err = run(["check", str(artwork("broken.pdf")), "--rules", "no-such-pack"], capsys)
    assert code == 5 and "no-such-pack" in err


@pytest.mark.parametrize("args", [["check"], ["check", "x.pdf", "--format", "xml"], ["check", "x.pdf", "--fail-on", "never"],
                                  ["spec"], ["spec", "init"]])
def test_usage_errors_exit_2(args: list[str], capsys) -> None:
    assert run(args, capsys)[0] == 2


def test_spec_validate(capsys) -> None:
    code, out, _ = run(["spec", "validate", str(spec_file())], capsys)
    assert code == 0 and "ok (1 rows, 1 seals, 1 statements)" in out


# ---- artwork inputs ---------------------------------------------------------------------------


def comparable(result) -> dict:
    """What must agree between two readings of the same artwork: verdict, every check's status and value, the panel's facts."""
    panel = result.label.panel
    return {
        "verdict": result.verdict,
        "checks": {f.id: (f.status, f.value) for f in result.findings},
        "panel": (panel.serving_size, panel.servings_per_container,
                  [(r.name, r.quantity, r.dv_percent, r.blend) for r in panel.rows]),
        "seals": sorted(s.program for s in result.label.seals),
    }


def test_image_only_pdf_gives_the_same_result_as_its_image() -> None:
    from_pdf, from_png = checked("approved-image.pdf"), checked("approved.png")
    assert not from_pdf.label.pages[0].engine.startswith("pdf")  # it was OCRed
    assert comparable(from_pdf) == comparable(from_png)
    assert from_pdf.verdict == "pass"


def test_text_layer_pdf_is_read_without_ocr_and_agrees_with_the_image() -> None:
    text = checked("approved.pdf")
    assert text.label.pages[0].engine == "pdf-text"
    assert comparable(text)["panel"] == comparable(checked("approved.png"))["panel"]
    size, png_size = text.image_size, scanned("approved.png").image_size
    assert abs(size[0] - png_size[0]) <= 2 and abs(size[1] - png_size[1]) <= 2  # rendered at 300 dpi


@pytest.mark.parametrize("name", ["approved.tif", "approved.jpg"])
def test_tiff_and_jpeg_artwork_load_at_print_resolution(name: str) -> None:
    doc = load(artwork(name))
    png = load(artwork("approved.png"))
    assert doc.kind == "image" and doc.pages[0].image.size == png.pages[0].image.size


@pytest.mark.slow
def test_jpeg_artwork_passes_the_gate() -> None:
    [result] = check([artwork("approved.jpg")], spec=spec_file())
    assert result.verdict == "pass", [(f.id, f.status) for f in result.findings if f.status != "pass"]


# ---- the CI examples: the exact command lines they contain ----------------------------------------


def shell(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=300)


def labelscan_steps() -> list[str]:
    workflow = yaml.safe_load((EXAMPLES / "github-actions.yml").read_text(encoding="utf-8"))
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    return [s["run"] for s in steps if s.get("run", "").startswith("labelscan ")]


def test_github_actions_example_runs_as_written(tmp_path: Path) -> None:
    commands = labelscan_steps()
    assert len(commands) == 2
    (tmp_path / "artwork").mkdir()
    shutil.copy(artwork("approved.pdf"), tmp_path / "artwork" / "approved.pdf")
    shutil.copy(spec_file(), tmp_path / "artwork" / "approved-spec.yaml")
    for command in commands:
        done = shell(command, tmp_path)
        assert done.returncode == 0, (command, done.stderr)
    from junitparser import JUnitXml

    suites = list(JUnitXml.fromfile(str(tmp_path / "labelscan-junit.xml")))
    assert [s.name for s in suites] == ["artwork/approved.pdf"] and suites[0].failures == 0
    sarif = json.loads((tmp_path / "labelscan.sarif").read_text(encoding="utf-8"))
    assert sarif["runs"][0]["artifacts"][0]["location"]["uri"] == "artwork/approved.pdf"
    assert sarif["runs"][0]["results"] == []


def test_pre_commit_hook_runs_as_written(tmp_path: Path) -> None:
    import re

    hooks = {h["id"]: h for h in yaml.safe_load((EXAMPLES / "pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    hook = hooks["labelscan-check"]
    staged = ["artwork/approved.pdf", "artwork/changed-amount.pdf", "README.md"]
    files = [f for f in staged if re.search(hook["files"], f)]
    assert files == staged[:2]
    (tmp_path / "artwork").mkdir()
    for f in files:
        shutil.copy(artwork(Path(f).name), tmp_path / f)
    args = ["--spec", str(spec_file())]  # the args of the README's .pre-commit-config.yaml
    done = shell(shlex.join([*shlex.split(hook["entry"]), *args, *files]), tmp_path)
    assert done.returncode == 1, done.stderr
    assert "spec-row-magnesium" in done.stdout and "PASS  artwork/approved.pdf" in done.stdout
    spec_hook = hooks["labelscan-spec"]
    assert re.search(spec_hook["files"], "artwork/approved-spec.yaml")
    assert shell(shlex.join([*shlex.split(spec_hook["entry"]), str(spec_file())]), tmp_path).returncode == 0
