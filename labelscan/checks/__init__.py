"""Rule packs and checks: load packs, evaluate a Label, decide the verdict."""

from .engine import evaluate, verdict_of
from .pack import RulePack, bundled_packs, load_pack, load_rules
from .registry import KINDS

__all__ = ["KINDS", "RulePack", "bundled_packs", "evaluate", "load_pack", "load_rules", "verdict_of"]
