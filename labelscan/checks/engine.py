"""Evaluate a Label against rule packs: run each check, wrap its outcome as a Finding, decide the verdict."""

from __future__ import annotations

from ..model import Finding, Label, Verdict
from .outcome import Outcome
from .pack import RulePack
from .registry import KINDS


def run_pack(label: Label, pack: RulePack) -> list[Finding]:
    """Every check of one pack as a Finding; a check that raises becomes 'unknown', never a pass."""
    findings: list[Finding] = []
    for check in pack.checks:
        kind = KINDS[check.spec.kind]
        try:
            outcome = kind.run(label, check.params)
        except Exception as exc:  # a bug in one check must not hide the others
            outcome = Outcome("unknown", f"This check could not run ({type(exc).__name__}: {exc}).")
        advice = check.spec.message if outcome.status in ("fail", "unknown") else ""
        findings.append(
            Finding(
                id=check.spec.id,
                pack=pack.name,
                status=outcome.status,
                severity=check.spec.severity,
                message=outcome.message,
                value=outcome.value,
                evidence=outcome.evidence,
                advice=advice.strip(),
            )
        )
    return findings


def evaluate(label: Label, packs: list[RulePack]) -> tuple[list[Finding], Verdict]:
    """Findings of every applicable pack and the verdict they give."""
    text = label.text
    findings: list[Finding] = []
    applied = [p for p in packs if p.applies_to(text)]
    for pack in applied:
        findings.extend(run_pack(label, pack))
    if not applied:
        label.warnings.append("No rule pack applies to this label (name one with --rules).")
        return findings, "needs-review"
    return findings, verdict_of(findings)


def verdict_of(findings: list[Finding]) -> Verdict:
    """fail if an error-severity check fails; needs-review if one is unknown; else pass."""
    errors = [f for f in findings if f.severity == "error"]
    if any(f.status == "fail" for f in errors):
        return "fail"
    if any(f.status == "unknown" for f in errors):
        return "needs-review"
    return "pass"
