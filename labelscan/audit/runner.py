"""Audit a catalogue: reuse what the store already holds, read the rest in parallel, combine and store each product."""

from __future__ import annotations

import hashlib
import os
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from ..checks import RulePack
from ..errors import LabelscanError, MissingDependencyError
from ..limits import DEFAULT_LIMITS, Limits
from .catalogue import CatalogueRow, Product, read_catalogue
from .combine import ImageSlot, combine, packs_key, product_key
from .fetch import FetchOptions
from .pool import Backend, LocalPool
from .progress import NullReporter, Reporter
from .store import ImageRecord, Store
from .work import TEXT_READ_KEY, ImageOutcome, ImageTask, read_key_for, read_local, scan_image

TEXT_SNIFF_BYTES = 4096


@dataclass
class AuditOptions:
    """How to audit: packs, engine, where to run, limits."""

    packs: list[RulePack]
    engine_name: str = "auto"
    jobs: int = field(default_factory=lambda: os.cpu_count() or 1)
    dask_address: str | None = None
    limits: Limits = DEFAULT_LIMITS
    fetch: FetchOptions = field(default_factory=FetchOptions)


@dataclass
class AuditSummary:
    """What one run did: products, images read (OCR), products evaluated or reused, errors, verdicts, worker memory."""

    run_id: int
    products: int = 0
    images_read: int = 0
    evaluated: int = 0
    reused: int = 0
    errors: int = 0
    verdicts: Counter = field(default_factory=Counter)
    seconds: float = 0.0
    interrupted: bool = False
    worker_rss_kb: dict[int, int] = field(default_factory=dict)

    def counts(self) -> dict[str, int]:
        return {"products": self.products, "images_read": self.images_read, "evaluated": self.evaluated,
                "reused": self.reused, "errors": self.errors}


def engine_label(name: str) -> str:
    """The engine's name with version and model, or 'unavailable' (text inputs still audit)."""
    from ..ocr import get_engine

    try:
        return get_engine(name).full_name
    except MissingDependencyError:
        return "unavailable"


def _is_text(path: str) -> bool:
    try:
        with open(path, "rb") as fh:
            head = fh.read(TEXT_SNIFF_BYTES)
    except OSError:
        return False
    from ..sources import sniff

    try:
        return sniff(head, path) == "text"
    except LabelscanError:
        return False


class Audit:
    """One run over a catalogue into a store."""

    def __init__(self, store: Store, options: AuditOptions, reporter: Reporter | None = None) -> None:
        self.store, self.options = store, options
        self.reporter = reporter or NullReporter()
        self.read_keys = (read_key_for(engine_label(options.engine_name)), TEXT_READ_KEY)
        self.packs_id = packs_key(options.packs)
        self.slots: dict[str, list[ImageSlot]] = {}
        self.products: dict[str, Product] = {}
        self.waiting: dict[str, list[tuple[str, int]]] = {}
        """Task source key (sha256 or URL) → the (sku, slot index) pairs waiting for it."""
        self.tasks: list[ImageTask] = []
        self.task_keys: dict[int, str] = {}
        self.summary = AuditSummary(0)

    # --- phase 1: what the store already has
    def _resolve(self, product: Product, index: int, row: CatalogueRow) -> ImageSlot:
        slot = ImageSlot(row.image)
        if row.error:
            slot.error, slot.exit_code = row.error, 4
            return slot
        if row.is_url:
            known = self.store.source_sha(row.image)
            record = self.store.image(known, self.read_keys) if known else None
            self._wait(row.image, product.sku, index, ImageTask(0, row.image, known_sha256=known if record else None))
            return slot
        task = ImageTask(0, row.image, path=row.image)
        try:
            data = read_local(task)
        except LabelscanError as exc:
            slot.error, slot.exit_code = str(exc), int(exc.exit_code)
            return slot
        slot.sha256 = hashlib.sha256(data).hexdigest()
        slot.record = self.store.image(slot.sha256, self.read_keys)
        if slot.record is None:
            if _is_text(row.image):  # already text: read here, no worker needed
                self._take(self._with(task), [(product.sku, index)], slot)
            else:
                self._wait(slot.sha256, product.sku, index, task)
        return slot

    def _with(self, task: ImageTask) -> ImageTask:
        o = self.options
        task.engine_name, task.limits, task.fetch = o.engine_name, o.limits, o.fetch
        return task

    def _wait(self, key: str, sku: str, index: int, task: ImageTask) -> None:
        if key not in self.waiting:
            self.waiting[key] = []
            task.id = len(self.tasks)
            self.task_keys[task.id] = key
            self.tasks.append(self._with(task))
        self.waiting[key].append((sku, index))

    def _take(self, task: ImageTask, waiters: list[tuple[str, int]], slot: ImageSlot | None = None) -> None:
        self._apply(scan_image(task), waiters, slot)

    # --- phase 2: outcomes from the workers
    def _apply(self, out: ImageOutcome, waiters: list[tuple[str, int]], own: ImageSlot | None = None) -> list[str]:
        if out.pid and out.max_rss_kb and out.pid != os.getpid():
            self.summary.worker_rss_kb[out.pid] = max(out.max_rss_kb, self.summary.worker_rss_kb.get(out.pid, 0))
        record: ImageRecord | None = None
        if out.error is None and out.unchanged:
            record = self.store.image(out.sha256, self.read_keys)
        elif out.error is None:
            self.store.save_image(out, self.summary.run_id)
            self.summary.images_read += out.read_key != TEXT_READ_KEY
            record = ImageRecord(out.sha256, out.read_key, out.kind, out.pages, out.marks)
        if out.exit_code == 3:
            raise MissingDependencyError(out.error or "the OCR engine is missing")
        touched = []
        for sku, index in waiters:
            slot = own if own is not None else self.slots[sku][index]
            slot.sha256 = out.sha256 or slot.sha256
            slot.record, slot.error, slot.exit_code = record, out.error, out.exit_code
            touched.append(sku)
        return touched

    def _finish(self, product: Product) -> None:
        slots = self.slots[product.sku]
        s = self.summary
        if any(sl.error for sl in slots):
            row = combine(product, slots, self.options.packs)
            self.store.save_product(row, "error", s.run_id)
            s.errors += 1
            verdict = "error"
        else:
            key = product_key(slots, self.packs_id)
            previous = self.store.product_key(product.sku)
            if previous and previous[0] == key and previous[1] != "error":
                self.store.touch_product(product.sku, product.position, s.run_id)
                s.reused += 1
                verdict = previous[1]
            else:
                row = combine(product, slots, self.options.packs)
                self.store.save_product(row, key, s.run_id)
                s.evaluated += 1
                verdict = row.verdict
        s.verdicts[verdict] += 1
        self.reporter.advance(verdict)

    def _backend(self) -> Backend:
        if self.options.dask_address:
            from .dask_runner import DaskBackend

            return DaskBackend(self.options.dask_address)
        return LocalPool(self.options.jobs, self.options.engine_name)

    def run(self, catalogue: str | Path) -> AuditSummary:
        """Audit every product of the catalogue; KeyboardInterrupt stops it with every finished product stored."""
        start = time.perf_counter()
        products = read_catalogue(catalogue)
        s = self.summary
        s.run_id = self.store.start_run(str(catalogue), self.packs_id, self.read_keys[0])
        s.products = len(products)
        self.reporter.start(len(products))
        backend: Backend | None = None
        status = "interrupted"
        try:
            for product in products:
                self.products[product.sku] = product
                self.slots[product.sku] = [ImageSlot(r.image) for r in product.rows]
                for index, row in enumerate(product.rows):
                    self.slots[product.sku][index] = self._resolve(product, index, row)
                if all(sl.settled for sl in self.slots[product.sku]):
                    self._finish(product)
            if self.tasks:
                backend = self._backend()
                for out in backend.run(iter(self.tasks)):
                    key = self.task_keys[out.id]
                    for sku in dict.fromkeys(self._apply(out, self.waiting.pop(key))):
                        if all(sl.settled for sl in self.slots[sku]):
                            self._finish(self.products[sku])
            status = "finished"
        except KeyboardInterrupt:
            s.interrupted = True
            raise
        finally:
            if backend is not None:
                backend.close(cancel=status != "finished")
            s.seconds = time.perf_counter() - start
            self.store.finish_run(s.run_id, status, s.counts())
            self.reporter.close()
        return s



def run_audit(catalogue: str | Path, store: Store, options: AuditOptions, reporter: Reporter | None = None) -> AuditSummary:
    """Audit `catalogue` into `store` (see Audit.run)."""
    return Audit(store, options, reporter).run(catalogue)
