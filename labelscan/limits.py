"""Resource limits for one input: file size, decoded pixels, PDF pages and OCR time."""

from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one input may cost before it is refused (or, for OCR, abandoned)."""

    max_file_bytes: int = 200 * MB
    max_pixels: int = 120_000_000
    """Decoded pixels of one image or rendered PDF page; checked from the header before decoding."""
    max_pdf_pages: int = 50
    ocr_timeout_s: float = 60.0


DEFAULT_LIMITS = Limits()
