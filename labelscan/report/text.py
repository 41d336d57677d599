"""The text format: a readable report per result (verdict, checks, what was read) and a summary line."""

from __future__ import annotations

import textwrap
from typing import Any

import click

from labelscan.model import Evidence, Finding, Label, PanelRow, ScanResult

MARKS = {"pass": "✓", "fail": "✗", "unknown": "?", "not-applicable": "–"}
STATUS_COLORS = {"pass": "green", "fail": "red", "unknown": "yellow", "not-applicable": None}
VERDICT_COLORS = {"pass": "green", "fail": "red", "needs-review": "yellow", "error": "red"}
WIDTH = 100


class _Styler:
    """click.style when colour is on, the plain text otherwise."""

    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, text: str, fg: str | None = None, bold: bool = False, dim: bool = False) -> str:
        if not self.color or (fg is None and not bold and not dim):
            return text
        return click.style(text, fg=fg, bold=bold, dim=dim)


def _number(x: float | int) -> str:
    """144.0 -> "144", 2.5 -> "2.5", 2000 -> "2,000"."""
    if isinstance(x, float) and x.is_integer():
        x = int(x)
    return f"{x:,}" if isinstance(x, int) else f"{x:,.4g}"


def format_value(value: Any) -> str:
    """A finding's value for a person: {"amount": 144, "unit": "mg"} -> "144 mg"."""
    if isinstance(value, bool) or value is None:
        return {True: "yes", False: "no", None: "—"}[value]
    if isinstance(value, (int, float)):
        return _number(value)
    if isinstance(value, dict):
        parts: list[str] = []
        rest = dict(value)
        if "amount" in rest and "unit" in rest:
            amount, unit = rest.pop("amount"), rest.pop("unit")
            parts.append(" ".join(p for p in (format_value(amount), str(unit or "")) if p))
        parts += [f"{k.replace('_', ' ')}: {format_value(v)}" for k, v in rest.items()]
        return ", ".join(parts)
    if isinstance(value, (list, tuple)):
        return ", ".join(format_value(v) for v in value)
    return str(value)


def format_evidence(ev: Evidence) -> str:
    """`"Magnesium 144 mg"  93%  box 120,340 410×28`, with `page 2` for later pages."""
    parts = [f'"{ev.text}"', f"{round(ev.confidence * 100)}%"]
    if ev.bbox:
        x, y, w, h = ev.bbox
        parts.append(f"box {x},{y} {w}×{h}")
    if ev.page:
        parts.append(f"page {ev.page + 1}")
    return "  ".join(parts)


def _wrap(text: str, indent: int) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for para in text.strip().splitlines():
        lines += textwrap.wrap(para, WIDTH, initial_indent=pad, subsequent_indent=pad) or [""]
    return lines


def _finding_lines(f: Finding, s: _Styler) -> list[str]:
    color = STATUS_COLORS.get(f.status)
    mark = s(MARKS.get(f.status, "?"), fg=color, bold=True)
    lines = [f"  {mark} {s(f.id, fg=color)}  {f.message}"]
    lines += [f"      {format_evidence(ev)}" for ev in f.evidence]
    if f.value:
        lines.append(f"      value: {format_value(f.value)}")
    if f.advice and f.status in ("fail", "unknown"):
        lines += [s(line, dim=True) for line in _wrap(f.advice, 6)]
    return lines


def _row_line(row: PanelRow, name_width: int) -> str:
    amount = f"{_number(row.quantity.amount)} {row.quantity.unit}" if row.quantity else ""
    dv = "†" if row.dagger else (f"{_number(row.dv_percent)}% DV" if row.dv_percent is not None else "")
    parts = [row.name.ljust(name_width), amount.rjust(10), dv.rjust(8)]
    if row.forms:
        parts.append("(" + "; ".join(row.forms) + ")")
    if row.blend:
        parts.append("blend: " + (", ".join(row.components) if row.components else "no components read"))
    return "    " + "  ".join(parts).rstrip()


def _label_lines(result: ScanResult, label: Label, s: _Styler) -> list[str]:
    panel = label.panel
    lines = [s("  Read from the label", bold=True)]
    if not panel.found:
        lines.append("    Supplement Facts panel: not found")
    else:
        serving = panel.serving_size or "not read"
        servings = panel.servings_per_container if panel.servings_per_container is not None else "not read"
        lines.append(f"    Serving size: {serving}    Servings per container: {servings}")
        width = min(32, max((len(r.name) for r in panel.rows), default=0))
        lines += [_row_line(r, width) for r in panel.rows]
        if panel.other_ingredients:
            lines += _wrap("Other ingredients: " + ", ".join(panel.other_ingredients), 4)
    if label.seals:
        # a self-claim's catalogue name already says so ("Third-party tested (self-claim)")
        seals = ", ".join(name if f"({seal.kind})" in name else f"{name} ({seal.kind})"
                          for seal in label.seals for name in [seal.name or seal.program])
        lines += _wrap(f"Seals: {seals}", 4)
    else:
        lines.append("    Seals: none found")
    for warning in label.warnings:
        lines.append(s(f"    ! {warning}", fg="yellow"))
    if result.engine and any(page.words for page in label.pages):
        lines.append(f"    OCR: {result.engine}, mean confidence {round(label.mean_confidence * 100)}%")
    return lines


def render_result(result: ScanResult, color: bool = False) -> str:
    """The block for one result: verdict and source, a line per check, then what was read."""
    s = _Styler(color)
    verdict = s(result.verdict.replace("-", " ").upper(), fg=VERDICT_COLORS.get(result.verdict), bold=True)
    head = f"{verdict}  {result.source}"
    if result.verdict == "error" or result.error:
        head += f": {result.error or 'unknown error'}"
    lines = [head]
    for finding in result.findings:
        lines += _finding_lines(finding, s)
    if result.label is not None:
        lines += _label_lines(result, result.label, s)
    return "\n".join(lines)


def summary(results: list[ScanResult]) -> str:
    """The one-line count, e.g. `3 scanned: 1 pass, 1 fail, 1 needs review, 0 errors`."""
    count = {v: sum(r.verdict == v for r in results) for v in ("pass", "fail", "needs-review", "error")}
    errors = "error" if count["error"] == 1 else "errors"
    return (
        f"{len(results)} scanned: {count['pass']} pass, {count['fail']} fail, "
        f"{count['needs-review']} needs review, {count['error']} {errors}"
    )


def render_text(results: list[ScanResult], color: bool = False) -> str:
    """One block per result separated by a blank line; a summary line when there are several."""
    blocks = [render_result(r, color) for r in results]
    if len(results) > 1:
        blocks.append(summary(results))
    return "\n\n".join(blocks)
