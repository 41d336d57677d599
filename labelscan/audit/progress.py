"""Progress on stderr: a rich bar (done/total, rate, ETA, failures) on a terminal, plain log lines otherwise."""

from __future__ import annotations

import sys
import time
from typing import Protocol, TextIO


class Reporter(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, verdict: str) -> None: ...
    def close(self) -> None: ...


def _eta(seconds: float) -> str:
    seconds = int(seconds)
    return f"{seconds // 60}m{seconds % 60:02d}s" if seconds >= 60 else f"{seconds}s"


class LogReporter:
    """A log line every `every` products or `interval` seconds, and one at the end."""

    def __init__(self, stream: TextIO | None = None, every: int = 25, interval: float = 10.0) -> None:
        self.stream = stream or sys.stderr
        self.every, self.interval = every, interval
        self.total = self.done = self.failed = 0
        self.started = self.last = time.monotonic()

    def start(self, total: int) -> None:
        self.total, self.started = total, time.monotonic()
        self.last = self.started
        print(f"audit: {total} products", file=self.stream, flush=True)

    def line(self) -> str:
        elapsed = max(1e-9, time.monotonic() - self.started)
        rate = self.done / elapsed
        eta = _eta((self.total - self.done) / rate) if rate > 0 else "?"
        return f"audit: {self.done}/{self.total} products ({rate:.2f}/s, ETA {eta}), {self.failed} errors"

    def advance(self, verdict: str) -> None:
        self.done += 1
        self.failed += verdict == "error"
        now = time.monotonic()
        if self.done % self.every == 0 or now - self.last >= self.interval:
            self.last = now
            print(self.line(), file=self.stream, flush=True)

    def close(self) -> None:
        elapsed = time.monotonic() - self.started
        print(f"audit: done {self.done}/{self.total} products in {_eta(elapsed)} ({self.done / max(elapsed, 1e-9):.2f}/s), "
              f"{self.failed} errors", file=self.stream, flush=True)


class RichReporter:
    """A rich progress bar on stderr."""

    def __init__(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self.progress = Progress(TextColumn("audit"), BarColumn(), MofNCompleteColumn(),
                                 TextColumn("{task.fields[rate]}"),
                                 TextColumn("ETA"), TimeRemainingColumn(), TimeElapsedColumn(),
                                 TextColumn("[red]{task.fields[failed]} errors"), console=Console(stderr=True),
                                 transient=False)
        self.task = None
        self.failed = 0
        self.started = time.monotonic()
        self.done = 0

    def start(self, total: int) -> None:
        self.progress.start()
        self.started = time.monotonic()
        self.task = self.progress.add_task("audit", total=total, failed=0, rate="")

    def advance(self, verdict: str) -> None:
        self.failed += verdict == "error"
        self.done += 1
        rate = self.done / max(1e-9, time.monotonic() - self.started)
        self.progress.update(self.task, advance=1, failed=self.failed, rate=f"{rate:.2f}/s")  # type: ignore[arg-type]

    def close(self) -> None:
        self.progress.stop()


class NullReporter:
    def start(self, total: int) -> None: ...
    def advance(self, verdict: str) -> None: ...
    def close(self) -> None: ...


def make_reporter(quiet: bool = False) -> Reporter:
    """Rich on a terminal, log lines when stderr is a pipe or file, nothing when quiet."""
    if quiet:
        return NullReporter()
    return RichReporter() if sys.stderr.isatty() else LogReporter()
