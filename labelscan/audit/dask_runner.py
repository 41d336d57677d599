"""The Dask back end: the same image tasks on an existing dask.distributed cluster (bytes shipped, not paths)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from ..errors import MissingDependencyError, UsageError
from .work import ImageOutcome, ImageTask, read_local, scan_image


def _client(address: str) -> Any:
    try:
        from distributed import Client
    except ImportError:
        raise MissingDependencyError("--dask needs dask.distributed", "pip install 'labelscan[audit-dask]'") from None
    try:
        return Client(address, timeout=20)
    except (OSError, TimeoutError) as exc:
        raise UsageError(f"cannot connect to the Dask scheduler at {address} ({exc})", "check --dask ADDRESS") from None


class DaskBackend:
    """Submits tasks to the cluster's workers, at most `window` at once; each task may be retried once by Dask."""

    def __init__(self, address: str, window: int | None = None) -> None:
        self.client = _client(address)
        workers = self.client.scheduler_info().get("workers", {})
        threads = sum(w.get("nthreads", 1) for w in workers.values()) or 1
        self.window = window or 2 * threads
        self.tasks: dict[Any, ImageTask] = {}

    def _ship(self, task: ImageTask) -> Any:
        """A task with its bytes (cluster workers may not see our files); a local read error is sent as is."""
        if task.path and task.data is None:
            try:
                task = replace(task, data=read_local(task), path=None)
            except Exception:  # noqa: BLE001 - the worker re-reads and reports it
                pass
        future = self.client.submit(scan_image, task, pure=False, retries=1)
        self.tasks[future.key] = task
        return future

    def run(self, tasks: Iterator[ImageTask]) -> Iterator[ImageOutcome]:
        from distributed import as_completed

        ready = as_completed()
        in_flight = 0
        for task in tasks:
            ready.add(self._ship(task))
            in_flight += 1
            if in_flight >= self.window:
                break
        for future in ready:
            in_flight -= 1
            task = self.tasks.pop(future.key)
            try:
                yield future.result()
            except Exception as exc:  # noqa: BLE001 - a worker that died twice, or a lost connection
                yield ImageOutcome(task.id, task.source, error=f"{task.source}: the Dask worker failed ({type(exc).__name__}: {exc})", exit_code=4)
            finally:
                future.release()
            nxt = next(tasks, None)
            if nxt is not None:
                ready.add(self._ship(nxt))
                in_flight += 1

    def close(self, cancel: bool = False) -> None:
        self.client.close()
