"""labelscan: scan dietary-supplement labels and check them against rule packs.

The public API: `scan()` one input, `scan_many()` several, `load_rules()` rule packs.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["ScanOptions", "__version__", "load_rules", "scan", "scan_many"]


def __getattr__(name: str) -> Any:
    """Import the API on first use, so `import labelscan.model` stays light."""
    if name == "load_rules":
        from .checks import load_rules

        return load_rules
    if name in {"ScanOptions", "scan", "scan_many"}:
        from . import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)
