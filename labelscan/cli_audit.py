"""The `audit` and `report` commands: audit a catalogue into a SQLite store, and report from that store."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import click

from .checks import load_rules
from .errors import ExitCode
from .limits import DEFAULT_LIMITS


def _sigterm(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


@click.command()
@click.argument("catalogue", type=click.Path(exists=True, path_type=Path))
@click.option("--rules", "rules", multiple=True, metavar="PACK", help="Rule pack name or YAML path (repeatable). Default: every bundled pack that applies.")
@click.option("--db", "db", type=click.Path(dir_okay=False, path_type=Path), default="labelscan-audit.db", show_default=True, help="The SQLite result store (created if missing; re-runs reuse it).")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, help="Worker processes (default: one per CPU).")
@click.option("--dask", "dask_address", metavar="ADDRESS", help="Run on an existing Dask cluster (scheduler address) instead of local processes.")
@click.option("--engine", default="auto", show_default=True, help="OCR engine: auto, tesserocr, tesseract or rapidocr (optional, `make rapid`).")
@click.option("--allow-private-urls", is_flag=True, help="Allow image URLs on loopback, link-local and private addresses.")
@click.option("--url-timeout", type=float, default=20.0, show_default=True, help="Seconds to wait on an image URL.")
@click.option("--max-url-bytes", type=int, default=50 * 1024 * 1024, show_default=True, help="Largest image downloaded.")
@click.option("--quiet", "-q", is_flag=True, help="No progress on stderr.")
def audit(catalogue: Path, rules: tuple[str, ...], db: Path, jobs: int | None, dask_address: str | None, engine: str,
          allow_private_urls: bool, url_timeout: float, max_url_bytes: int, quiet: bool) -> None:
    """Audit a catalogue (CSV or JSON Lines with sku, name, image; or a folder of images) into a result store.

    Rows with the same sku are images of one product. Exit 0 if every product passes, 1 if one fails or needs
    review, 4 if one could not be read, 130 if interrupted (finished products stay stored; run again to resume).
    """
    from .audit.fetch import FetchOptions
    from .audit.progress import make_reporter
    from .audit.runner import AuditOptions, run_audit
    from .audit.store import Store

    options = AuditOptions(packs=load_rules(list(rules)), engine_name=engine, dask_address=dask_address,
                           limits=DEFAULT_LIMITS,
                           fetch=FetchOptions(timeout_s=url_timeout, max_bytes=max_url_bytes, allow_private=allow_private_urls))
    if jobs:
        options.jobs = jobs
    store = Store(db)
    previous = signal.signal(signal.SIGTERM, _sigterm)
    try:
        summary = run_audit(catalogue, store, options, make_reporter(quiet))
    finally:
        signal.signal(signal.SIGTERM, previous)
        store.close()
    v = summary.verdicts
    click.echo(f"audited {summary.products} products in {summary.seconds:.1f}s: {v['pass']} pass, {v['fail']} fail, "
               f"{v['needs-review']} needs review, {v['error']} error; {summary.images_read} images read, "
               f"{summary.reused} products unchanged; store {db}", err=True)
    if v["error"]:
        sys.exit(int(ExitCode.UNREADABLE_INPUT))
    sys.exit(int(ExitCode.FAILED if v["fail"] or v["needs-review"] else ExitCode.OK))


@click.command()
@click.argument("db", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["html", "csv", "json", "jsonl"]), default="html", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), help="Write the report to this file instead of stdout.")
def report(db: Path, fmt: str, output: Path | None) -> None:
    """Report every product in an audit store: html (one self-contained file), csv, json or jsonl."""
    from .audit.reports import render_store_report
    from .cli import emit

    emit(render_store_report(db, fmt), output)
