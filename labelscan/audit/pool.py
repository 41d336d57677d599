"""The local back end: a process pool, one OCR engine per worker, a bounded window, one retry after a worker dies."""

from __future__ import annotations

import multiprocessing
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import Protocol

from .work import ImageOutcome, ImageTask, init_worker, scan_image


class Backend(Protocol):
    """Runs image tasks somewhere and yields their outcomes as they finish (any order)."""

    def run(self, tasks: Iterator[ImageTask]) -> Iterator[ImageOutcome]: ...
    def close(self, cancel: bool = False) -> None: ...


def died(task: ImageTask) -> ImageOutcome:
    return ImageOutcome(task.id, task.source, error=f"{task.source}: the worker process died while reading it (twice)",
                        exit_code=4)


class LocalPool:
    """`jobs` worker processes (forkserver: no threads or open files inherited from the parent)."""

    def __init__(self, jobs: int, engine_name: str, fn: Callable[[ImageTask], ImageOutcome] = scan_image) -> None:
        self.jobs, self.engine_name, self.fn = max(1, jobs), engine_name, fn
        self.window = 2 * self.jobs
        self.pool: ProcessPoolExecutor | None = None
        self.pending: dict[Future, ImageTask] = {}
        self.retry: deque[ImageTask] = deque()

    def _submit(self, task: ImageTask) -> None:
        if self.pool is None:
            self.pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("forkserver"),
                                            initializer=init_worker, initargs=(self.engine_name,))
        self.pending[self.pool.submit(self.fn, task)] = task

    def _fill(self, tasks: Iterator[ImageTask]) -> bool:
        """Submit up to the window; a retried task runs alone. False once nothing is left to submit."""
        while True:
            if self.retry:
                if self.pending:
                    return True
                self._submit(self.retry.popleft())
                return True
            if len(self.pending) >= self.window:
                return True
            task = next(tasks, None)
            if task is None:
                return bool(self.pending)
            self._submit(task)

    def run(self, tasks: Iterator[ImageTask]) -> Iterator[ImageOutcome]:
        while self._fill(tasks) or self.pending:
            done, _ = wait(list(self.pending), return_when=FIRST_COMPLETED)
            for future in done:
                task = self.pending.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    self._drop_pool()
                    if task.attempt < 2:
                        self.retry.append(replace(task, attempt=task.attempt + 1))
                    else:
                        yield died(task)

    def _drop_pool(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=False, cancel_futures=True)
            self.pool = None

    def close(self, cancel: bool = False) -> None:
        pool, self.pool = self.pool, None
        if pool is None:
            return
        if cancel:
            processes = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in processes:  # workers ignore SIGINT; stop the ones still reading
                if process.is_alive():
                    process.terminate()
        else:
            pool.shutdown(wait=True)
