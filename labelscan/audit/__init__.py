"""Catalogue audits: read a catalogue, read images in parallel into a SQLite store, combine products, report."""

from .catalogue import Product, read_catalogue
from .reports import render_store_report
from .runner import AuditOptions, AuditSummary, run_audit
from .store import Store

__all__ = ["AuditOptions", "AuditSummary", "Product", "Store", "read_catalogue", "render_store_report", "run_audit"]
