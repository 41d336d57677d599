"""The junit format: one test suite per artwork, one test case per check, a failure for each failing check."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from labelscan.errors import MissingDependencyError
from labelscan.model import Finding, ScanResult
from labelscan.report.text import format_evidence

if TYPE_CHECKING:
    from junitparser import TestCase, TestSuite


def _jp() -> Any:
    """The junitparser module (a runtime dependency of --format junit)."""
    try:
        import junitparser
    except ImportError:
        raise MissingDependencyError("--format junit needs the junitparser package", "pip install 'junitparser>=3'") from None
    return junitparser


def _details(finding: Finding) -> str:
    lines = [finding.message]
    lines += [f"evidence: {format_evidence(ev)}" for ev in finding.evidence]
    if finding.value:
        lines.append(f"value: {finding.value}")
    if finding.advice:
        lines.append(finding.advice)
    return "\n".join(lines)


def test_case(finding: Finding) -> TestCase:
    """A passing case, a failure (fail), an error (unknown on an error-severity check: needs review) or a skip."""
    jp = _jp()
    case = jp.TestCase(finding.id, classname=f"labelscan.{finding.pack}", time=0.0)
    if finding.status == "fail":
        outcome = jp.Failure(finding.message, finding.severity)
    elif finding.status == "unknown" and finding.severity == "error":
        outcome = jp.Error(finding.message, "needs-review")
    elif finding.status == "unknown":
        outcome = jp.Skipped(f"could not be checked: {finding.message}")
    elif finding.status == "not-applicable":
        outcome = jp.Skipped(f"not applicable: {finding.message}")
    else:
        case.system_out = _details(finding)
        return case
    outcome.text = _details(finding)
    case.result = [outcome]
    return case


def test_suite(result: ScanResult) -> TestSuite:
    """The suite of one artwork, named by its path, with its verdict and sha256 as properties."""
    jp = _jp()
    suite = jp.TestSuite(result.source)
    suite.add_property("verdict", result.verdict)
    if result.sha256:
        suite.add_property("sha256", result.sha256)
    if result.verdict == "error":
        case = jp.TestCase("read", classname="labelscan.input", time=0.0)
        error = jp.Error(result.error or "the input could not be read", "unreadable-input")
        error.text = result.error or ""
        case.result = [error]
        suite.add_testcase(case)
    for finding in result.findings:
        suite.add_testcase(test_case(finding))
    suite.time = round(result.timings.get("total", 0.0), 3)
    suite.update_statistics()
    return suite


def render_junit(results: list[ScanResult], color: bool = False) -> str:
    """JUnit XML (<testsuites name="labelscan">) for every result."""
    xml = _jp().JUnitXml("labelscan")
    for result in results:
        xml.add_testsuite(test_suite(result))
    xml.update_statistics()
    text = xml.tostring()
    return (text.decode("utf-8") if isinstance(text, bytes) else text).rstrip("\n")
