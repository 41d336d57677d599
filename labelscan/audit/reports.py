"""Reports from an audit store: html, csv, json and jsonl (rendered from stored rows, not from ScanResults)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .store import ProductRow, Store

STORE_FORMATS = ("html", "csv", "json", "jsonl")


def product_object(row: ProductRow) -> dict[str, Any]:
    """One product as the json and jsonl reports give it."""
    result = row.result
    return {"sku": row.sku, "name": row.name, "verdict": row.verdict, "error": row.error,
            "checks": result.get("checks", []), "panel": result.get("panel"), "seals": result.get("seals", []),
            "warnings": result.get("warnings", []), "ocr": result.get("ocr"),
            "images": [{k: i.get(k) for k in ("source", "sha256", "kind", "pages", "error")} for i in row.images],
            "extra": row.extra}


def render_store_report(db: str | Path, fmt: str) -> str:
    """The whole report of the store at `db` in `fmt` (one of html, csv, json, jsonl)."""
    if fmt not in STORE_FORMATS:
        raise UsageError(f"unknown report format {fmt!r}", f"choose one of {', '.join(STORE_FORMATS)}")
    store = Store(db, create=False)
    try:
        rows = store.products()
        if fmt == "jsonl":
            return "\n".join(json.dumps(product_object(r), ensure_ascii=False) for r in rows)
        if fmt == "json":
            return json.dumps({"schema_version": 1, "runs": store.runs(), "products": [product_object(r) for r in rows]},
                              ensure_ascii=False, indent=2)
        if fmt == "csv":
            from ..report.csv_format import render_csv

            return render_csv(rows)
        from ..report.html import render_html

        return render_html(rows, store.preview, store.runs())
    finally:
        store.close()
