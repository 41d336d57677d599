"""The QA gate behind `labelscan check`: scan artwork, compare it with an approved spec, decide the exit code."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path

from .checks import load_rules, verdict_of
from .errors import ExitCode
from .limits import DEFAULT_LIMITS, Limits
from .model import ScanResult
from .pipeline import ScanOptions, scan_many
from .spec import SPEC_PACK, Spec, compare, load_spec

FAIL_ON_LEVELS = ("fail", "review", "warning")
"""--fail-on: exit 1 on a failed result only; on needs-review too (default); on any failed check, warnings included."""


def apply_spec(result: ScanResult, spec: Spec) -> ScanResult:
    """Add the spec comparison to a scanned result and decide its verdict again (error results stay as they are).

    With rule-pack findings the verdict covers packs and spec together; with none (no pack applied),
    the spec alone decides."""
    if result.label is None or result.verdict == "error":
        return result
    pack_findings = [f for f in result.findings if f.pack != SPEC_PACK]
    spec_findings = compare(result.label, spec)
    result.findings = pack_findings + spec_findings
    result.verdict = verdict_of(result.findings) if pack_findings else verdict_of(spec_findings)
    return result


def check_many(paths: Iterable[str | Path], options: ScanOptions, spec: Spec | None = None) -> Iterator[ScanResult]:
    """Scan each artwork (one bad input gives an error result and the rest go on), comparing it with `spec` if given."""
    for result in scan_many(paths, options):
        yield apply_spec(result, spec) if spec is not None else result


def check(paths: Iterable[str | Path], rules: Iterable[str] | None = None, spec: str | Path | Spec | None = None,
          engine: str = "auto", limits: Limits = DEFAULT_LIMITS) -> list[ScanResult]:
    """Check artwork (PDF, PNG, TIFF, JPEG) against rule packs (default: every bundled pack that applies) and a spec.

    Raises SpecError or RulePackError (exit 5) before reading any artwork when the spec or a pack is invalid."""
    loaded = load_spec(spec) if isinstance(spec, (str, Path)) else spec
    options = ScanOptions(packs=load_rules(list(rules) if rules else None), engine_name=engine, limits=limits)
    return list(check_many(paths, options, loaded))


def exit_code(results: list[ScanResult], fail_on: str = "review") -> ExitCode:
    """The documented exit code: 4 (or 3) for an input that could not be read, 1 at or above --fail-on, else 0."""
    from .cli import exit_code_for  # the one definition, shared with `labelscan scan`

    return exit_code_for(results, fail_on)


__all__ = ["FAIL_ON_LEVELS", "apply_spec", "check", "check_many", "exit_code"]
