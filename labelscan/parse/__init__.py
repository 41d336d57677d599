"""Parse stage: the Supplement Facts panel (rows, blends, servings, directions) from OCR text."""

from .panel import parse_pages, parse_panel, parse_text
from .quantities import find_quantities, parse_quantity

__all__ = ["find_quantities", "parse_pages", "parse_panel", "parse_quantity", "parse_text"]
