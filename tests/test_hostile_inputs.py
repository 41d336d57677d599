"""Bad, hostile and huge inputs tried from the command line as a new user would: one clear line, the documented
exit code, no traceback, no hang; in a batch, that input is an error result and every other input is scanned."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests import hostile

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 60


def run(*args: str | bytes, env: dict[str, str] | None = None, timeout: float = TIMEOUT) -> subprocess.CompletedProcess:
    full_env = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    for name in [k for k in full_env if k.startswith("LABELSCAN_MAX") or k == "LABELSCAN_OCR_TIMEOUT"]:
        if name not in (env or {}):
            del full_env[name]
    return subprocess.run([sys.executable, "-m", "labelscan", *args], capture_output=True, env=full_env, timeout=timeout)


def error_lines(proc: subprocess.CompletedProcess) -> list[str]:
    err = proc.stderr.decode("utf-8", "backslashreplace")
    assert "Traceback" not in err, err
    return [line for line in err.splitlines() if line.strip()]


@pytest.fixture(scope="session")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[hostile.Case]]:
    folder = tmp_path_factory.mktemp("hostile")
    return folder, hostile.build(folder)


def _case_ids() -> list[str]:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        return [c.id for c in hostile.build(Path(tmp))]


ALL_IDS = _case_ids()


@pytest.mark.parametrize("case_id", ALL_IDS)
def test_each_hostile_input_gives_one_clear_line_and_the_documented_code(corpus, case_id: str) -> None:
    folder, cases = corpus
    case = next(c for c in cases if c.id == case_id)
    start = time.monotonic()
    proc = run(*case.args, env=case.env)
    elapsed = time.monotonic() - start
    lines = error_lines(proc)
    assert proc.returncode == case.code, (case.id, proc.stderr.decode(errors="replace"))
    if case.code in (0, 1):  # read and judged: no error line
        assert lines == [], lines
    else:
        assert len(lines) == 1, lines
        line = lines[0]
        assert line.startswith("labelscan: error: "), line
        assert case.words.lower() in line.lower(), line
        assert len(line) < 400, "one short line"
    assert elapsed < 30, f"{case.id} took {elapsed:.1f} s"
    assert not (folder / hostile.MARKER).exists(), "a YAML tag was constructed"


def test_python_tag_in_a_pack_executes_nothing(corpus) -> None:
    folder, _ = corpus
    for args in (["rules", "validate", str(folder / "pack-python-tag.yaml")],
                 ["scan", str(folder / "good.txt"), "--rules", str(folder / "pack-python-tag.yaml")]):
        proc = run(*args)
        assert proc.returncode == 5
        assert len(error_lines(proc)) == 1
    assert not (folder / hostile.MARKER).exists()


@pytest.mark.parametrize("name", list(hostile.packs(Path("/x"))) + ["pack-binary.yaml"])
def test_rules_validate_refuses_each_bad_pack(corpus, name: str) -> None:
    folder, _ = corpus
    proc = run("rules", "validate", str(folder / name))
    assert proc.returncode == 5
    (line,) = error_lines(proc)
    assert name in line


def test_the_alias_bomb_and_the_2000_page_pdf_are_refused_quickly(corpus) -> None:
    folder, _ = corpus
    from labelscan.errors import RulePackError, UnreadableInputError
    from labelscan.checks import load_pack
    from labelscan.sources import load

    start = time.monotonic()
    with pytest.raises(RulePackError, match="aliases"):
        load_pack(str(folder / "pack-alias-bomb.yaml"))
    with pytest.raises(UnreadableInputError, match="2000 pages"):
        load(folder / "pages-2000.pdf")
    with pytest.raises(UnreadableInputError, match="megapixels"):
        load(folder / "bomb-60000x60000.png")
    assert time.monotonic() - start < 2.0


def test_a_batch_records_each_bad_input_as_an_error_and_scans_the_rest(corpus) -> None:
    folder, cases = corpus
    inputs = [c for c in cases if c.input is not None]
    good = str(folder / "good.txt")
    args: list[str | bytes] = [good]
    for case in inputs:
        args += [case.input, good]
    proc = run("scan", *args, "--rules", hostile.PACK, "--format", "json", timeout=120)
    assert proc.returncode == 4, proc.stderr.decode(errors="replace")
    results = json.loads(proc.stdout)
    assert len(results) == 1 + 2 * len(inputs)
    assert [r["verdict"] for r in results[0::2]] == ["pass"] * (len(inputs) + 1), "every good input is scanned"
    for case, result in zip(inputs, results[1::2]):
        expected = "fail" if case.verdict == "needs-review" else case.verdict  # a named pack judges the 1×1 image
        assert result["verdict"] in ({case.verdict, expected}), (case.id, result["verdict"], result["error"])
        if case.verdict == "error":
            assert case.words.lower() in result["error"].lower(), (case.id, result["error"])
    errors = [c for c in inputs if c.verdict == "error"]
    lines = error_lines(proc)
    assert len(lines) == len(errors), lines  # one line on stderr per bad input, nothing else
    assert all(line.startswith("labelscan: error: ") for line in lines)


def test_one_pixel_image_is_judged_not_crashed(corpus) -> None:
    folder, _ = corpus
    proc = run("scan", str(folder / "one-pixel.png"))
    assert proc.returncode == 1
    out = proc.stdout.decode()
    assert out.startswith("NEEDS REVIEW") and "No Supplement Facts panel was found" in out
    assert error_lines(proc) == []


def test_non_utf8_file_name_is_echoed_without_crashing(corpus) -> None:
    folder, _ = corpus
    odd = os.fsencode(str(folder)) + b"/label-\xff\xfe.txt"
    for fmt in ("text", "sarif"):
        proc = run("scan", odd, "--rules", hostile.PACK, "--format", fmt)
        assert proc.returncode == 0, proc.stderr.decode(errors="replace")
        assert b"label-" in proc.stdout
        proc.stdout.decode("utf-8")  # every output is valid UTF-8: the odd bytes are written as \\xff
    result = json.loads(run("scan", odd, "--rules", hostile.PACK, "--format", "json").stdout)
    assert result["verdict"] == "pass" and result["source"].endswith("label-\\xff\\xfe.txt")


def test_verbose_shows_the_traceback(corpus) -> None:
    folder, _ = corpus
    proc = run("-v", "scan", str(folder / "good.txt"), "--rules", str(folder / "pack-unknown-key.yaml"))
    assert proc.returncode == 5
    assert "Traceback" in proc.stderr.decode()
    assert "labelscan: error: " in proc.stderr.decode().splitlines()[-1]


def test_limits_from_settings() -> None:
    from labelscan.errors import UsageError
    from labelscan.limits import MB, Limits

    assert Limits.from_settings({}) == Limits()
    env = {"LABELSCAN_MAX_PIXELS": "1000", "LABELSCAN_MAX_FILE_MB": "2", "LABELSCAN_OCR_TIMEOUT": "5",
           "LABELSCAN_MAX_DOWNLOAD_MB": "1", "LABELSCAN_DOWNLOAD_TIMEOUT": "3", "LABELSCAN_MAX_PDF_PAGES": ""}
    limits = Limits.from_settings(env, max_pixels=2000, max_pdf_pages=None)
    assert (limits.max_pixels, limits.max_file_bytes, limits.ocr_timeout_s, limits.max_pdf_pages) == (2000, 2 * MB, 5.0, 50)
    assert (limits.max_download_bytes, limits.download_timeout_s) == (MB, 3.0)
    for bad in ("0", "-1", "nan", "inf", "ten"):
        with pytest.raises(UsageError, match="LABELSCAN_OCR_TIMEOUT"):
            Limits.from_settings({"LABELSCAN_OCR_TIMEOUT": bad})
    with pytest.raises(UsageError, match="--max-pixels"):
        Limits.from_settings({}, max_pixels=0)


# -- the catalogue audit (`labelscan audit`), as far as it exists --------------------------------------------

def test_audit_records_bad_catalogue_rows_as_errors_and_audits_the_rest(corpus, tmp_path: Path) -> None:
    folder, _ = corpus
    catalogue = tmp_path / "catalogue.csv"
    catalogue.write_text("sku,name,image\n"
                         f"1,Good,{folder / 'good.txt'}\n"
                         f"2,Missing,{folder / 'missing.png'}\n"
                         "3,Private URL,http://127.0.0.1:9/label.png\n"
                         f"4,Random bytes,{folder / 'random.png'}\n"
                         f"5,Bomb,{folder / 'bomb-60000x60000.png'}\n")
    proc = run("audit", str(catalogue), "--db", str(tmp_path / "audit.db"), "-j", "1", "-q", "--rules", hostile.PACK,
               timeout=120)
    assert proc.returncode == 4, proc.stderr.decode(errors="replace")
    err = proc.stderr.decode()
    assert "Traceback" not in err
    assert "audited 5 products" in err and "1 pass" in err and "4 error" in err, err


def test_audit_of_a_catalogue_that_is_not_text_is_one_clear_line(corpus, tmp_path: Path) -> None:
    folder, _ = corpus
    proc = run("audit", str(folder / "random.png"), "--db", str(tmp_path / "audit.db"), "-q")
    assert proc.returncode in (2, 4)
    (line,) = error_lines(proc)
    assert line.startswith("labelscan: error: ")
