"""Tests of the report formats (text, json, jsonl) and the annotated image."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from labelscan.errors import UsageError
from labelscan.model import (
    Evidence,
    Finding,
    Label,
    OcrPage,
    Panel,
    PanelRow,
    Quantity,
    ScanResult,
    Seal,
)
from labelscan.report import FORMATS, render
from labelscan.report.annotate import STATUS_COLORS, annotated_name, draw, write_annotated

ANSI = re.compile(r"\x1b\[[0-9;]*m")
CONTRACT_KEYS = {"schema_version", "source", "sha256", "verdict", "checks", "panel", "seals", "warnings", "ocr", "timings", "error"}
CHECK_KEYS = {"id", "pack", "status", "severity", "message", "advice", "value", "evidence"}
PASS_BOX = (60, 300, 300, 40)
FAIL_BOX = (60, 420, 340, 40)
ADVICE = "21 CFR 101.93 requires the disclaimer next to any structure/function claim. Look for the asterisked statement."


def _label(seals: list[Seal] | None = None, warnings: list[str] | None = None) -> Label:
    row = PanelRow(
        "Magnesium",
        Quantity(144, "mg"),
        34,
        forms=["magnesium L-threonate"],
        evidence=Evidence("Magnesium (as magnesium L-threonate) 144 mg 34%", PASS_BOX, 0.93),
    )
    blend = PanelRow("Sleep Blend", Quantity(500, "mg"), dagger=True, blend=True, components=["Valerian root", "Hops"])
    panel = Panel(found=True, serving_size="2 capsules", servings_per_container=30, rows=[row, blend], confidence=0.9)
    page = OcrPage([], width=800, height=1000, engine="tesseract")
    return Label(pages=[page], panel=panel, seals=seals or [], warnings=warnings or [])


def passing() -> ScanResult:
    finding = Finding(
        "panel.amount-unit", "fda-core", "pass", "error", "Every amount has a unit",
        value={"amount": 144, "unit": "mg"}, evidence=[Evidence("Magnesium 144 mg", PASS_BOX, 0.93)],
    )
    seal = Seal("nsf-certified-for-sport", "NSF Certified for Sport", "third-party", bbox=(500, 100, 200, 120), confidence=0.8)
    return ScanResult("samples/compliant-01.png", "ab" * 32, "pass", [finding], _label([seal]), "tesseract")


def failing() -> ScanResult:
    ok = Finding("panel.amount-unit", "fda-core", "pass", "error", "Every amount has a unit",
                 evidence=[Evidence("Magnesium 144 mg", PASS_BOX, 0.93)])
    bad = Finding(
        "claims.disclaimer", "fda-core", "fail", "error", "Structure/function claim without the FDA disclaimer",
        evidence=[Evidence("Supports restful sleep*", FAIL_BOX, 0.88)], advice=ADVICE,
    )
    return ScanResult("samples/bad-02.png", "cd" * 32, "fail", [ok, bad], _label(), "tesseract")


def review() -> ScanResult:
    unknown = Finding(
        "panel.serving-size", "fda-core", "unknown", "warning", "Serving size could not be read",
        evidence=[Evidence("Serving Size 2 caps", (60, 200, 200, 30), 0.41)], advice="Check the serving size line by eye.",
    )
    na = Finding("blend.total", "fda-core", "not-applicable", "info", "No proprietary blend",
                 evidence=[Evidence("Other", None, 0.9)])
    return ScanResult("samples/blurry-03.jpg", "ef" * 32, "needs-review", [unknown, na], _label(warnings=["low OCR confidence (41%)"]))


def errored() -> ScanResult:
    return ScanResult("samples/missing.png", verdict="error", error="cannot open file", exit_code=4)


def test_registry_has_the_three_formats() -> None:
    assert {"text", "json", "jsonl"} <= set(FORMATS)


def test_json_one_input_is_an_object_with_the_contract_keys() -> None:
    data = json.loads(render([failing()], "json"))
    assert isinstance(data, dict)
    assert CONTRACT_KEYS <= set(data)
    assert list(data) == list(failing().to_dict())
    check = data["checks"][1]
    assert CHECK_KEYS <= set(check)
    assert check["advice"] == ADVICE
    assert set(check["evidence"][0]) >= {"text", "bbox", "confidence"}


def test_json_several_inputs_is_an_array() -> None:
    out = render([passing(), errored()], "json")
    data = json.loads(out)
    assert isinstance(data, list) and [d["verdict"] for d in data] == ["pass", "error"]
    assert '\n  "' in out or '\n    "' in out  # indented


def test_json_keeps_utf8() -> None:
    assert "≥" in render([ScanResult("étiquette≥.png", error="x")], "json")


def test_jsonl_one_object_per_line() -> None:
    lines = render([passing(), failing(), review(), errored()], "jsonl").splitlines()
    assert len(lines) == 4
    objects = [json.loads(line) for line in lines]
    assert all(CONTRACT_KEYS <= set(o) for o in objects)
    assert objects[3]["error"] == "cannot open file"


def test_text_verdict_first_and_failure_with_advice() -> None:
    out = render([failing()], "text")
    lines = out.splitlines()
    assert lines[0].startswith("FAIL") and "samples/bad-02.png" in lines[0]
    fail_at = next(i for i, line in enumerate(lines) if "✗" in line)
    assert "claims.disclaimer" in lines[fail_at]
    after = "\n".join(lines[fail_at + 1 : fail_at + 6])
    assert '"Supports restful sleep*"' in after and "88%" in after
    assert "21 CFR 101.93" in after
    assert any("✓" in line and "panel.amount-unit" in line for line in lines)


def test_text_pass_shows_value_and_what_was_read() -> None:
    out = render([passing()], "text")
    assert out.splitlines()[0].startswith("PASS  samples/compliant-01.png")
    assert "144 mg" in out
    assert "Read from the label" in out
    assert "2 capsules" in out and "30" in out
    assert "34% DV" in out and "magnesium L-threonate" in out
    assert "Valerian root" in out
    assert "NSF Certified for Sport (third-party)" in out


def test_text_needs_review_and_error() -> None:
    out = render([review()], "text")
    assert out.startswith("NEEDS REVIEW")
    assert "? panel.serving-size" in out and "Check the serving size" in out
    assert "– blend.total" in out
    assert "low OCR confidence" in out
    err = render([errored()], "text")
    assert err.startswith("ERROR") and "cannot open file" in err


def test_text_summary_for_several() -> None:
    out = render([passing(), failing(), review(), errored()], "text")
    assert out.splitlines()[-1] == "4 scanned: 1 pass, 1 fail, 1 needs review, 1 error"
    assert "scanned" not in render([passing()], "text")


def test_text_colour_only_when_asked() -> None:
    results = [passing(), failing(), review(), errored()]
    assert not ANSI.search(render(results, "text", color=False))
    assert ANSI.search(render(results, "text", color=True))


def test_unknown_format_names_the_known_ones() -> None:
    with pytest.raises(UsageError) as info:
        render([passing()], "yaml")
    assert "yaml" in str(info.value)
    assert all(name in str(info.value) for name in ("text", "json", "jsonl"))


def _blank(size: tuple[int, int] = (800, 1000)) -> Image.Image:
    return Image.new("RGB", size, (255, 255, 255))


def _count(img: Image.Image, box: tuple[int, int, int, int], color: tuple[int, int, int]) -> int:
    x, y, w, h = box
    pixels = np.asarray(img.crop((x, y, x + w, y + h)), dtype=int)
    return int((np.abs(pixels - np.array(color)).max(axis=2) < 12).sum())


def test_annotated_image_colours_boxes_by_status() -> None:
    image = _blank()
    out = draw(failing(), image)
    assert out.size == image.size and out is not image
    assert _count(out, PASS_BOX, STATUS_COLORS["pass"]) > 50
    assert _count(out, FAIL_BOX, STATUS_COLORS["fail"]) > 50
    assert _count(out, FAIL_BOX, STATUS_COLORS["pass"]) == 0
    assert image.getpixel((70, 310)) == (255, 255, 255)  # input untouched


def test_annotated_skips_missing_and_clips_outside_boxes() -> None:
    result = review()
    result.findings[0].evidence.append(Evidence("off the edge", (700, 900, 500, 500), 0.5))
    result.findings[0].evidence.append(Evidence("far away", (5000, 5000, 10, 10), 0.5))
    out = draw(result, _blank().convert("L"))
    assert out.size == (800, 1000) and out.mode == "RGB"
    assert _count(out, (700, 900, 100, 100), STATUS_COLORS["unknown"]) > 50


def test_annotated_error_result_draws_only_the_banner() -> None:
    out = draw(errored(), _blank((300, 200)))
    assert out.size == (300, 200)
    assert out.getpixel((150, 150)) == (255, 255, 255)
    assert out.getpixel((2, 2)) != (255, 255, 255)


def test_write_annotated_names_and_writes_atomically(tmp_path: Path) -> None:
    path = write_annotated(passing(), _blank(), tmp_path / "out")
    assert path.name == "compliant-01.annotated.png"
    assert [p.name for p in path.parent.iterdir()] == [path.name]
    with Image.open(path) as img:
        assert img.size == (800, 1000)
    pdf = ScanResult("docs/label.pdf", verdict="pass", findings=[])
    assert annotated_name(pdf, page=1) == "label.p2.annotated.png"
    assert annotated_name(passing(), page=2) == "compliant-01.p3.annotated.png"
    assert write_annotated(pdf, _blank(), tmp_path).name == "label.p1.annotated.png"


def test_annotated_draws_only_the_evidence_of_its_page() -> None:
    result = failing()
    result.findings[1].evidence[0].page = 1
    first, second = draw(result, _blank(), page=0), draw(result, _blank(), page=1)
    assert _count(first, FAIL_BOX, STATUS_COLORS["fail"]) == 0
    assert _count(second, FAIL_BOX, STATUS_COLORS["fail"]) > 50
    assert _count(second, PASS_BOX, STATUS_COLORS["pass"]) == 0
