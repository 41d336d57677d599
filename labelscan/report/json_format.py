"""The json and jsonl formats: ScanResult.to_dict() serialised as the documented contract."""

from __future__ import annotations

import json
from typing import Any

from labelscan.model import ScanResult


def _dumps(obj: Any, indent: int | None) -> str:
    """JSON in the contract's key order, UTF-8 text kept as is, odd values (paths, sets…) as strings."""
    separators = None if indent else (", ", ": ")
    return json.dumps(obj, ensure_ascii=False, indent=indent, separators=separators, default=str)


def render_json(results: list[ScanResult], color: bool = False) -> str:
    """One object for one result, otherwise an array (empty for none); indented by 2."""
    if len(results) == 1:
        return _dumps(results[0].to_dict(), indent=2)
    return _dumps([r.to_dict() for r in results], indent=2)


def render_jsonl(results: list[ScanResult], color: bool = False) -> str:
    """One compact object per line, one line per result."""
    return "\n".join(_dumps(r.to_dict(), indent=None) for r in results)
