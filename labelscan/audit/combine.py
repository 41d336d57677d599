"""Combine the images of one product (front, back, side) into one Label and evaluate the packs once."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass

from ..checks import RulePack, evaluate
from ..model import ScanResult
from ..pipeline import parse_label
from ..seal_shapes import MarkReading
from .catalogue import Product
from .store import ImageRecord, ProductRow
from .work import page_from_dict


@dataclass
class ImageSlot:
    """One image of a product as the runner knows it: where it came from, its hash and stored reading, or a problem."""

    source: str
    sha256: str | None = None
    record: ImageRecord | None = None
    error: str | None = None
    exit_code: int = 0

    @property
    def settled(self) -> bool:
        return self.error is not None or self.record is not None


def packs_key(packs: list[RulePack]) -> str:
    """Name, version and content hash of every pack, in a stable order."""
    parts = []
    for pack in sorted(packs, key=lambda p: p.name):
        try:
            digest = hashlib.sha256(pack.path.read_bytes()).hexdigest()[:10]
        except OSError:
            digest = "-"
        parts.append(f"{pack.name}@{pack.version}#{digest}{'!' if pack.named else ''}")
    return ",".join(parts)


def product_key(slots: list[ImageSlot], packs_id: str) -> str:
    """What a product's result depends on: its images (hash and how they were read) and the packs."""
    from .. import __version__

    parts = [f"{s.sha256}:{s.record.read_key}" for s in slots if s.record]
    return hashlib.sha256("|".join([__version__, packs_id, *parts]).encode()).hexdigest()


def _image_entries(slots: list[ImageSlot]) -> list[dict]:
    entries, first_page = [], 0
    for slot in slots:
        pages = len(slot.record.pages) if slot.record else 0
        entries.append({"source": slot.source, "sha256": slot.sha256, "kind": slot.record.kind if slot.record else None,
                        "first_page": first_page, "pages": pages, "error": slot.error})
        first_page += pages
    return entries


def combine(product: Product, slots: list[ImageSlot], packs: list[RulePack]) -> ProductRow:
    """The product's result: an error naming each broken image, else one Label over all images, evaluated once."""
    images = _image_entries(slots)
    base = {"sku": product.sku, "name": product.name}
    broken = [s for s in slots if s.error is not None]
    if broken:
        error = "; ".join(s.error or "" for s in broken)
        result = ScanResult(source=", ".join(s.source for s in slots), verdict="error", error=error,
                            exit_code=max(s.exit_code or 4 for s in broken))
        return ProductRow(product.sku, product.name, product.position, "error", error,
                          {**base, **result.to_dict()}, images, product.extra)
    start = time.perf_counter()
    pages, marks = [], []
    for slot in slots:
        assert slot.record is not None
        offset = len(pages)
        pages.extend(page_from_dict(p) for p in slot.record.pages)
        marks.extend(MarkReading.from_dict(m, offset) for m in slot.record.marks)
    label = parse_label(pages, marks)
    findings, verdict = evaluate(label, packs)
    engines = sorted({p.engine for p in pages if p.engine})
    result = ScanResult(source=", ".join(s.source for s in slots), sha256=_combined_sha(slots), verdict=verdict,
                        findings=findings, label=label, engine=", ".join(engines),
                        timings={"evaluate": time.perf_counter() - start})
    return ProductRow(product.sku, product.name, product.position, verdict, None,
                      {**base, **result.to_dict()}, images, product.extra)


def _combined_sha(slots: list[ImageSlot]) -> str:
    if len(slots) == 1:
        return slots[0].sha256 or ""
    return hashlib.sha256("".join(s.sha256 or "" for s in slots).encode()).hexdigest()
