"""The QA-gate commands: `labelscan check` and `labelscan spec init|validate` (click only; logic in gate.py and spec.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import UnreadableInputError, UsageError
from .gate import FAIL_ON_LEVELS, check_many
from .ocr import ENGINES
from .pipeline import ScanOptions, scan_many
from .report import FORMATS, render
from .spec import dump_spec, init_notes, load_spec, spec_from_label


@click.command("check")
@click.argument("artwork", nargs=-1, required=True)
@click.option("--rules", "rules", multiple=True, metavar="PACK", help="Rule pack name or YAML path (repeatable). Default: every bundled pack that applies.")
@click.option("--spec", "spec_path", metavar="SPEC.yaml", help="Approved specification to compare the artwork with (checks spec-…).")
@click.option("--fail-on", type=click.Choice(FAIL_ON_LEVELS), default="review", show_default=True, help="Exit 1 on a failure only, on needs-review too, or on any failed check (warnings too).")
@click.option("--format", "fmt", default="text", show_default=True, metavar="FORMAT", help=f"Output format: {', '.join(FORMATS)}.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file instead of stdout.")
@click.option("--engine", type=click.Choice(["auto", *ENGINES]), default="auto", show_default=True, help="OCR engine for pages without a text layer.")
def check(artwork: tuple[str, ...], rules: tuple[str, ...], spec_path: str | None, fail_on: str, fmt: str,
          output: Path | None, engine: str) -> None:
    """QA gate for label artwork (PDF, PNG, TIFF, JPEG): check rule packs and an approved spec; exit 0 only if all pass."""
    from .checks import load_rules
    from .cli import emit, exit_code_for

    if fmt not in FORMATS:
        raise UsageError(f"unknown output format {fmt!r}", f"choose one of: {', '.join(FORMATS)}")
    spec = load_spec(spec_path) if spec_path else None
    options = ScanOptions(packs=load_rules(list(rules)), engine_name=engine)
    results = list(check_many(artwork, options, spec))
    color = output is None and fmt == "text" and sys.stdout.isatty()
    emit(render(results, fmt, color=color), output)
    sys.exit(int(exit_code_for(results, fail_on)))


@click.group("spec")
def spec() -> None:
    """Approved specifications: write one from artwork, validate one."""


@spec.command("init")
@click.argument("artwork")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the spec to this file instead of stdout.")
@click.option("--force", is_flag=True, help="Overwrite an existing output file.")
@click.option("--engine", type=click.Choice(["auto", *ENGINES]), default="auto", show_default=True, help="OCR engine for pages without a text layer.")
def spec_init(artwork: str, output: Path | None, force: bool, engine: str) -> None:
    """Read ARTWORK and write the facts it shows as a spec, for a person to review and approve."""
    from .cli import emit

    if output is not None and output.exists() and not force:
        raise UsageError(f"{output} already exists", "pass --force to overwrite it (an approved spec?)")
    result = next(scan_many([artwork], ScanOptions(packs=[], engine_name=engine)))
    if result.label is None:
        raise UnreadableInputError(result.error or f"{artwork} could not be read")
    data = spec_from_label(result.label)
    notes = init_notes(result.label, data)
    for note in notes:
        click.echo(f"labelscan: note: {note}", err=True)
    emit(dump_spec(data, artwork, notes), output)


@spec.command("validate")
@click.argument("files", nargs=-1, required=True)
def spec_validate(files: tuple[str, ...]) -> None:
    """Validate spec files; exit 5 on the first invalid one."""
    for file in files:
        loaded = load_spec(file)
        click.echo(f"{file}: ok ({len(loaded.rows)} rows, {len(loaded.seals)} seals, {len(loaded.statements)} statements)")


__all__ = ["check", "spec"]
