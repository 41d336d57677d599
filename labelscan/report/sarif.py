"""The sarif format: SARIF 2.1.0, one result per failing (or needs-review) check, the artwork as artifact."""

from __future__ import annotations

import functools
import hashlib
import json
import mimetypes
from pathlib import Path
from typing import Any
from urllib.parse import quote

from labelscan import __version__
from labelscan.model import Evidence, Finding, ScanResult

SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def artifact_uri(source: str) -> str:
    """A relative URI for an input under the working directory, else a file: URI ('-' stays as is)."""
    if source == "-":
        return "stdin"
    path = Path(source)
    if path.is_absolute():
        try:
            path = path.relative_to(Path.cwd())
        except ValueError:
            return path.as_uri()
    return quote(path.as_posix(), safe="/")


@functools.lru_cache(maxsize=32)
def _pack_checks(pack: str) -> dict[str, tuple[str, str]]:
    """Check id → (title, message) of a bundled pack; empty for a pack that is not bundled."""
    from labelscan.checks import bundled_packs, load_pack
    from labelscan.errors import LabelscanError

    try:
        path = bundled_packs().get(pack)
        loaded = load_pack(str(path)) if path else None
    except LabelscanError:
        return {}
    if loaded is None:
        return {}
    return {c.spec.id: (c.spec.title, " ".join(c.spec.message.split())) for c in loaded.checks}


def describe(finding: Finding) -> dict[str, Any]:
    """A reportingDescriptor for the check behind `finding`: id, descriptions and the pack's advice as help."""
    from labelscan.spec import SPEC_PACK, describe_rule

    if finding.pack == SPEC_PACK:
        short, full = describe_rule(finding.id)
        help_text = finding.advice or full
    else:
        title, message = _pack_checks(finding.pack).get(finding.id, ("", ""))
        short = title or finding.id
        full = message or finding.advice or short
        help_text = message or finding.advice or short
    return {
        "id": finding.id,
        "name": finding.id,
        "shortDescription": {"text": short},
        "fullDescription": {"text": full},
        "help": {"text": help_text},
        "defaultConfiguration": {"level": LEVELS.get(finding.severity, "warning")},
        "properties": {"pack": finding.pack},
    }


def _rectangle(ev: Evidence) -> dict[str, Any]:
    x, y, w, h = ev.bbox  # type: ignore[misc]
    return {"left": x, "top": y, "right": x + w, "bottom": y + h, "message": {"text": ev.text},
            "properties": {"page": ev.page + 1}}


def _fingerprint(finding: Finding, uri: str) -> str:
    key = "\n".join([finding.id, uri, *(ev.text for ev in finding.evidence)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def result_of(finding: Finding, uri: str, artifact_index: int, rule_index: int, verdict: str) -> dict[str, Any]:
    """One SARIF result; the evidence boxes as rectangles on the artwork (pixels at 300 dpi) and in properties."""
    failed = finding.status == "fail"
    text = finding.message + (f" {finding.advice}" if finding.advice else "")
    location = {"physicalLocation": {"artifactLocation": {"uri": uri, "index": artifact_index}}}
    result: dict[str, Any] = {
        "ruleId": finding.id,
        "ruleIndex": rule_index,
        "kind": "fail" if failed else "review",
        "level": LEVELS.get(finding.severity, "warning") if failed else "none",
        "message": {"text": text},
        "locations": [location],
        "partialFingerprints": {"labelscanFinding/v1": _fingerprint(finding, uri)},
        "properties": {"pack": finding.pack, "status": finding.status, "severity": finding.severity,
                       "verdict": verdict, "value": finding.value,
                       "evidence": [ev.to_dict() for ev in finding.evidence]},
    }
    boxes = [_rectangle(ev) for ev in finding.evidence if ev.bbox]
    if boxes:
        result["attachments"] = [{"description": {"text": "Evidence on the artwork (pixel boxes; page in properties)."},
                                  "artifactLocation": {"uri": uri, "index": artifact_index}, "rectangles": boxes}]
    return result


def _artifact(result: ScanResult, uri: str) -> dict[str, Any]:
    artifact: dict[str, Any] = {"location": {"uri": uri}, "roles": ["analysisTarget"]}
    mime = mimetypes.guess_type(result.source)[0]
    if mime and "/" in mime:
        artifact["mimeType"] = mime
    if result.sha256:
        artifact["hashes"] = {"sha-256": result.sha256}
    artifact["properties"] = {"verdict": result.verdict}
    return artifact


def build_sarif(results: list[ScanResult]) -> dict[str, Any]:
    """The SARIF log as a dict: one run, every check that ran described as a rule."""
    rules: list[dict[str, Any]] = []
    rule_index: dict[str, int] = {}
    artifacts: list[dict[str, Any]] = []
    sarif_results: list[dict[str, Any]] = []
    notifications: list[dict[str, Any]] = []
    for result in results:
        uri = artifact_uri(result.source)
        index = len(artifacts)
        artifacts.append(_artifact(result, uri))
        if result.verdict == "error":
            notifications.append({"level": "error", "message": {"text": result.error or "the input could not be read"},
                                  "locations": [{"physicalLocation": {"artifactLocation": {"uri": uri, "index": index}}}],
                                  "properties": {"exitCode": result.exit_code or 4}})
        for finding in result.findings:
            if finding.id not in rule_index:
                rule_index[finding.id] = len(rules)
                rules.append(describe(finding))
            if finding.status in ("fail", "unknown"):
                sarif_results.append(result_of(finding, uri, index, rule_index[finding.id], result.verdict))
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "labelscan", "version": __version__, "semanticVersion": __version__,
                            "rules": rules}},
        "invocations": [{"executionSuccessful": not notifications, "toolExecutionNotifications": notifications}],
        "artifacts": artifacts,
        "results": sarif_results,
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render_sarif(results: list[ScanResult], color: bool = False) -> str:
    """The SARIF log as indented JSON."""
    return json.dumps(build_sarif(results), ensure_ascii=False, indent=2, default=str)
