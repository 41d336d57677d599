"""The audit store as CSV: one row per product, a column per check (pack/id) with its status."""

from __future__ import annotations

import csv
import io
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> str:
    """A cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def render_csv(rows: list[Any]) -> str:
    """`rows` are audit ProductRows: sku, name, verdict, error, one column per check, the images, the other columns."""
    checks: dict[str, None] = {}
    extras: dict[str, None] = {}
    for row in rows:
        for check in row.result.get("checks", []):
            checks.setdefault(f"{check['pack']}/{check['id']}")
        for key in row.extra:
            extras.setdefault(key)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["sku", "name", "verdict", "error", *checks, "images", *extras])
    for row in rows:
        status = {f"{c['pack']}/{c['id']}": c["status"] for c in row.result.get("checks", [])}
        images = ";".join(i["source"] for i in row.images)
        writer.writerow([_cell(v) for v in [row.sku, row.name, row.verdict, row.error or "",
                                              *(status.get(c, "") for c in checks), images,
                                              *(row.extra.get(k, "") for k in extras)]])
    return out.getvalue().rstrip("\n")
