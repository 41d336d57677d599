"""Where the bundled rule packs and catalogues live (the repo's rules/ or the installed copy)."""

from __future__ import annotations

import os
import sys
from pathlib import Path


def rules_dir() -> Path:
    """The folder holding the bundled rule packs: $LABELSCAN_RULES_DIR, the source tree's rules/, or the installed copy."""
    override = os.environ.get("LABELSCAN_RULES_DIR")
    if override:
        return Path(override)
    in_tree = Path(__file__).resolve().parent.parent / "rules"
    if in_tree.is_dir():
        return in_tree
    return Path(sys.prefix) / "share" / "labelscan" / "rules"
