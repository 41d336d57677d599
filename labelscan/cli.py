"""The command line: click commands only, each a thin layer over the library API."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path

import click

from . import __version__
from .checks import KINDS, bundled_packs, load_pack, load_rules
from .errors import ExitCode, LabelscanError, UsageError
from .limits import DEFAULT_LIMITS, MB, Limits
from .model import ScanResult
from .ocr import ENGINES
from .outputs import write_atomic
from .pipeline import ScanOptions, scan_many
from .report import FORMATS, render

FAIL_ON = {
    "fail": {"fail"},
    "review": {"fail", "needs-review"},
    "warning": {"fail", "needs-review", "warning"},
}


def exit_code_for(results: list[ScanResult], fail_on: str) -> ExitCode:
    """4 if an input could not be read; 1 if a result is at or above --fail-on; else 0."""
    errors = [r for r in results if r.verdict == "error"]
    if errors:
        return ExitCode(max(r.exit_code or ExitCode.UNREADABLE_INPUT for r in errors))
    bad = FAIL_ON[fail_on]
    for result in results:
        if result.verdict in bad:
            return ExitCode.FAILED
        if "warning" in bad and any(f.status == "fail" for f in result.findings):
            return ExitCode.FAILED
    return ExitCode.OK


def printable(text: str) -> str:
    """`text` with the undecodable bytes of a file name (surrogate escapes) written as \\xff, so every output is UTF-8."""
    try:
        text.encode("utf-8")
        return text
    except UnicodeEncodeError:
        pass
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that is not an escaped byte
        return text.encode("utf-8", "backslashreplace").decode("utf-8")


def emit(text: str, output: Path | None) -> None:
    """Print to stdout, or write the file atomically."""
    if output is None:
        click.echo(text, nl=not text.endswith("\n"))
    else:
        write_atomic(output, text if text.endswith("\n") else text + "\n")
        click.echo(f"wrote {output}", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="labelscan")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks and debug detail on errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Scan dietary-supplement labels and check them against rule packs."""
    ctx.obj = {"verbose": verbose}


@cli.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--rules", "rules", multiple=True, metavar="PACK", help="Rule pack name or YAML path (repeatable). Default: every bundled pack that applies.")
@click.option("--engine", type=click.Choice(["auto", *ENGINES]), default="auto", show_default=True, help="OCR engine.")
@click.option("--format", "fmt", default="text", show_default=True, metavar="FORMAT", help=f"Output format: {', '.join(FORMATS)}.")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file instead of stdout.")
@click.option("--annotate", "annotate_dir", type=click.Path(file_okay=False, path_type=Path), help="Write each image with its evidence boxed into this folder.")
@click.option("--fail-on", type=click.Choice(list(FAIL_ON)), default="review", show_default=True, help="Exit 1 on a failure only, or on needs-review too, or on warnings too.")
@click.option("--max-pixels", type=int, metavar="N", help=f"Refuse an image (or PDF page) of more pixels, from its header [env LABELSCAN_MAX_PIXELS; default {DEFAULT_LIMITS.max_pixels}].")
@click.option("--max-file-mb", type=float, metavar="MB", help=f"Refuse a larger input file [env LABELSCAN_MAX_FILE_MB; default {DEFAULT_LIMITS.max_file_bytes // MB}].")
@click.option("--max-pdf-pages", type=int, metavar="N", help=f"Refuse a PDF with more pages, before reading any [env LABELSCAN_MAX_PDF_PAGES; default {DEFAULT_LIMITS.max_pdf_pages}].")
@click.option("--ocr-timeout", type=float, metavar="SECONDS", help=f"Give up on an image whose OCR takes longer [env LABELSCAN_OCR_TIMEOUT; default {DEFAULT_LIMITS.ocr_timeout_s:g}].")
def scan(paths: tuple[str, ...], rules: tuple[str, ...], engine: str, fmt: str, output: Path | None,
         annotate_dir: Path | None, fail_on: str, max_pixels: int | None, max_file_mb: float | None,
         max_pdf_pages: int | None, ocr_timeout: float | None) -> None:
    """Scan label images, PDF artwork or text files ('-' for stdin) and print a verdict with evidence."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown output format {fmt!r}", f"choose one of: {', '.join(FORMATS)}")
    limits = Limits.from_settings(max_pixels=max_pixels, max_file_mb=max_file_mb, max_pdf_pages=max_pdf_pages,
                                  ocr_timeout=ocr_timeout)
    options = ScanOptions(packs=load_rules(list(rules)), engine_name=engine, annotate_dir=annotate_dir, limits=limits)
    results = []
    for result in scan_many(paths, options):
        result.source, result.error = printable(result.source), result.error and printable(result.error)
        results.append(result)
        if result.verdict == "error":  # also on stderr, whatever the format: what is wrong and what to do
            where = "" if result.source in (result.error or "") else f"{result.source}: "
            click.echo(f"labelscan: error: {where}{result.error}", err=True)
    color = output is None and fmt == "text" and sys.stdout.isatty()
    emit(render(results, fmt, color=color), output)
    sys.exit(int(exit_code_for(results, fail_on)))


@cli.group()
def rules() -> None:
    """List and validate rule packs."""


@rules.command("list")
def rules_list() -> None:
    """List the bundled rule packs and the check kinds."""
    for name, path in bundled_packs().items():
        pack = load_pack(str(path))
        click.echo(f"{name}  v{pack.version}  {pack.title}  ({len(pack.checks)} checks: {', '.join(c.spec.id for c in pack.checks)})")
    click.echo("\ncheck kinds:")
    for kind, spec in KINDS.items():
        click.echo(f"  {kind}: {spec.summary}")


@rules.command("validate")
@click.argument("files", nargs=-1, required=True)
def rules_validate(files: tuple[str, ...]) -> None:
    """Validate rule pack files; exit 5 on the first invalid one."""
    for file in files:
        pack = load_pack(file)
        click.echo(f"{file}: ok ({pack.name} v{pack.version}, {len(pack.checks)} checks)")


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning every expected error into one line and its exit code."""
    verbose = "-v" in (argv or sys.argv[1:]) or "--verbose" in (argv or sys.argv[1:])
    try:
        cli.main(args=argv, prog_name="labelscan", standalone_mode=False)
    except LabelscanError as exc:
        if verbose:
            traceback.print_exc()
        click.echo(f"labelscan: error: {exc}", err=True)
        sys.exit(int(exc.exit_code))
    except click.exceptions.Abort:
        click.echo("labelscan: interrupted", err=True)
        sys.exit(int(ExitCode.INTERRUPTED))
    except KeyboardInterrupt:
        click.echo("labelscan: interrupted", err=True)
        sys.exit(int(ExitCode.INTERRUPTED))
    except click.ClickException as exc:
        click.echo(f"labelscan: error: {exc.format_message()} (see 'labelscan --help')", err=True)
        sys.exit(int(ExitCode.USAGE))
    except BrokenPipeError:
        sys.exit(0)
    except SystemExit:
        raise
    except Exception as exc:  # an unexpected bug: one line, the traceback only with -v
        if verbose:
            traceback.print_exc()
        click.echo(f"labelscan: internal error: {type(exc).__name__}: {exc} (run with -v for details, and please report it)", err=True)
        sys.exit(70)


from .cli_audit import audit as _audit, report as _report  # noqa: E402  (the catalogue audit commands)

cli.add_command(_audit)
cli.add_command(_report)

from .cli_gate import check as _check, spec as _spec  # noqa: E402  (the QA-gate commands)

cli.add_command(_check)
cli.add_command(_spec)
