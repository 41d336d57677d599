"""Report formats: the registry of renderers and render() to pick one by name."""

from __future__ import annotations

from collections.abc import Callable

from labelscan.errors import UsageError
from labelscan.model import ScanResult
from labelscan.report.json_format import render_json, render_jsonl
from labelscan.report.junit import render_junit
from labelscan.report.sarif import render_sarif
from labelscan.report.text import render_text

Renderer = Callable[[list[ScanResult], bool], str]
"""A format: (results, color) -> the whole report as one string, without a trailing newline."""

FORMATS: dict[str, Renderer] = {
    "text": render_text,
    "json": render_json,
    "jsonl": render_jsonl,
    "junit": render_junit,
    "sarif": render_sarif,
}


def render(results: list[ScanResult], fmt: str, color: bool = False) -> str:
    """The report of `results` in format `fmt`; UsageError names the known formats for an unknown one."""
    try:
        renderer = FORMATS[fmt]
    except KeyError:
        known = ", ".join(FORMATS)
        raise UsageError(f"unknown format {fmt!r}", f"choose one of {known}") from None
    return renderer(results, color)


__all__ = ["FORMATS", "Renderer", "render"]
