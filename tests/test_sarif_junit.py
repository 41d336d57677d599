"""The sarif and junit formats: SARIF validates against the official 2.1.0 schema; JUnit parses and shows the failing checks."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from labelscan.model import Evidence, Finding, ScanResult
from labelscan.report import FORMATS, render
from labelscan.report.sarif import artifact_uri, build_sarif
from tests.fixtures_artwork import PLANTED, artwork, checked

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


def validate(log: dict) -> None:
    jsonschema.Draft7Validator.check_schema(SCHEMA)
    jsonschema.Draft7Validator(SCHEMA).validate(log)


def hand_result(source: str = "art/label.png") -> ScanResult:
    ev = Evidence("Magnesium 144 mg", (10, 20, 300, 40), 0.9, 0)
    findings = [
        Finding("threonate-named", "magnesium-l-threonate", "fail", "error", "Not named.", None, [ev], "Name it."),
        Finding("dv-consistent", "magnesium-l-threonate", "fail", "warning", "%DV off.", {"printed": 40}, [ev], "Fix %DV."),
        Finding("some-note", "custom", "fail", "info", "A note.", None, [], ""),
        Finding("third-party-seal", "magnesium-l-threonate", "unknown", "error", "Mark unread.", None, [], "Look."),
        Finding("no-proprietary-blend", "magnesium-l-threonate", "pass", "error", "No blend.", None, [ev], ""),
        Finding("blend-total-weight", "supplement-facts-basics", "not-applicable", "error", "No blend.", None, [], ""),
    ]
    return ScanResult(source=source, sha256="ab" * 32, verdict="fail", findings=findings)


def error_result() -> ScanResult:
    return ScanResult(source="art/broken.pdf", verdict="error", error="art/broken.pdf is a corrupt PDF", exit_code=4)


@pytest.fixture(scope="module")
def gate_results() -> list[ScanResult]:
    names = ["approved.pdf", *sorted(PLANTED)]
    return [checked(n) for n in names] + [error_result()]


def test_formats_are_registered() -> None:
    assert {"junit", "sarif"} <= set(FORMATS)


# ---- SARIF ------------------------------------------------------------------------------------


def test_sarif_of_hand_built_results_validates_and_maps_levels() -> None:
    log = json.loads(render([hand_result(), error_result()], "sarif"))
    validate(log)
    run = log["runs"][0]
    assert log["version"] == "2.1.0" and run["tool"]["driver"]["name"] == "labelscan"
    by_rule = {r["ruleId"]: r for r in run["results"]}
    assert {k: (v["kind"], v["level"]) for k, v in by_rule.items()} == {
        "threonate-named": ("fail", "error"), "dv-consistent": ("fail", "warning"), "some-note": ("fail", "note"),
        "third-party-seal": ("review", "none")}
    result = by_rule["threonate-named"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "art/label.png"
    assert result["attachments"][0]["rectangles"][0] | {} == {"left": 10, "top": 20, "right": 310, "bottom": 60,
                                                            "message": {"text": "Magnesium 144 mg"}, "properties": {"page": 1}}
    assert result["properties"]["evidence"][0]["bbox"] == [10, 20, 300, 40]
    assert "Name it." in result["message"]["text"]
    notes = run["invocations"][0]["toolExecutionNotifications"]
    assert run["invocations"][0]["executionSuccessful"] is False and "corrupt" in notes[0]["message"]["text"]
    assert [a["location"]["uri"] for a in run["artifacts"]] == ["art/label.png", "art/broken.pdf"]


def test_every_check_is_a_rule_with_the_packs_advice() -> None:
    run = build_sarif([hand_result()])["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    assert set(rules) == {f.id for f in hand_result().findings}
    named = rules["threonate-named"]
    assert named["shortDescription"]["text"] == "Magnesium L-threonate named explicitly"
    assert "magnesium L-threonate" in named["fullDescription"]["text"] and named["help"]["text"]
    assert rules["some-note"]["shortDescription"]["text"] == "some-note"  # a pack that is not bundled
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_artifact_uri_is_relative_under_the_working_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert artifact_uri(str(tmp_path / "art" / "my label.pdf")) == "art/my%20label.pdf"
    assert artifact_uri("/elsewhere/x.png") == "file:///elsewhere/x.png"


def test_sarif_of_the_gate_validates_with_one_result_per_failing_check(gate_results: list[ScanResult]) -> None:
    log = json.loads(render(gate_results, "sarif"))
    validate(log)
    run = log["runs"][0]
    failing = sorted((r.source, f.id) for r in gate_results for f in r.findings if f.status == "fail")
    uris = [a["location"]["uri"] for a in run["artifacts"]]
    got = sorted((gate_results[uris.index(x["locations"][0]["physicalLocation"]["artifactLocation"]["uri"])].source,
                  x["ruleId"]) for x in run["results"] if x["kind"] == "fail")
    assert got == failing
    spec_rules = {x["ruleId"] for x in run["results"] if x["ruleId"].startswith("spec-")}
    assert spec_rules == set().union(*PLANTED.values())
    ids = {r["id"] for r in run["tool"]["driver"]["rules"]}
    assert "spec-serving-size" in ids and "third-party-seal" in ids  # passing checks are described too
    blend = next(x for x in run["results"] if x["ruleId"] == "spec-extra-row-cognitive-matrix")
    assert blend["attachments"][0]["rectangles"] and blend["level"] == "error"


# ---- JUnit ------------------------------------------------------------------------------------


def parse_junit(text: str):
    from junitparser import JUnitXml

    return JUnitXml.fromstring(text)


def kinds(suite) -> dict[str, str]:
    return {case.name: (type(case.result[0]).__name__ if case.result else "Pass") for case in suite}


def test_junit_of_hand_built_results() -> None:
    xml = parse_junit(render([hand_result(), error_result()], "junit"))
    suites = list(xml)
    assert [s.name for s in suites] == ["art/label.png", "art/broken.pdf"]
    assert kinds(suites[0]) == {"threonate-named": "Failure", "dv-consistent": "Failure", "some-note": "Failure",
                                "third-party-seal": "Error", "no-proprietary-blend": "Pass",
                                "blend-total-weight": "Skipped"}
    failure = next(c for c in suites[0] if c.name == "threonate-named").result[0]
    assert failure.message == "Not named." and failure.type == "error" and "Name it." in failure.text
    assert kinds(suites[1]) == {"read": "Error"}
    assert suites[0].failures == 3 and suites[0].errors == 1 and suites[0].tests == 6


def test_junit_of_the_gate_shows_the_failing_checks(gate_results: list[ScanResult]) -> None:
    xml = parse_junit(render(gate_results, "junit"))
    for suite, result in zip(xml, gate_results):
        assert suite.name == result.source
        assert suite.tests == max(len(result.findings), 1)
        failed = {name for name, kind in kinds(suite).items() if kind == "Failure"}
        assert failed == {f.id for f in result.findings if f.status == "fail"}
    by_name = {Path(s.name).name: s for s in xml}
    assert "spec-row-magnesium" in {n for n, k in kinds(by_name["changed-amount.pdf"]).items() if k == "Failure"}
    assert not [k for k in kinds(by_name["approved.pdf"]).values() if k in ("Failure", "Error")]
    assert str(artwork("approved.pdf")) == by_name["approved.pdf"].name
