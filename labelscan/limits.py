"""Resource limits for one input: file size, decoded pixels, PDF pages, OCR time, URL downloads.

`Limits` is the one place the numbers live. The command line builds one with `Limits.from_settings`:
an option wins, else the LABELSCAN_* environment variable, else the default below.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

from .errors import UsageError

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What one input may cost before it is refused (or, for OCR, abandoned)."""

    max_file_bytes: int = 200 * MB
    max_pixels: int = 120_000_000
    """Decoded pixels of one image or rendered PDF page; checked from the header before decoding."""
    max_pdf_pages: int = 50
    """Checked from the page count before any page is read or rendered."""
    ocr_timeout_s: float = 60.0
    """Per OCR call (one page or one round mark); the engine is abandoned and the image gets an error result."""
    max_download_bytes: int = 50 * MB
    download_timeout_s: float = 20.0

    @classmethod
    def from_settings(cls, environ: Mapping[str, str] | None = None, **options: float | int | None) -> Limits:
        """Limits from command-line `options` (None: not given), else $LABELSCAN_* variables, else the defaults.

        `options` use the SETTINGS names (max_pixels, max_file_mb, max_pdf_pages, ocr_timeout, max_download_mb,
        download_timeout). Raises UsageError for a value that is not a positive number.
        """
        env = os.environ if environ is None else environ
        unknown = set(options) - set(SETTINGS)
        if unknown:
            raise TypeError(f"unknown limit setting(s): {', '.join(sorted(unknown))}")
        changes: dict[str, float | int] = {}
        for setting, (field_name, env_name, to_field) in SETTINGS.items():
            raw: object = options.get(setting)
            origin = f"--{setting.replace('_', '-')}"
            if raw is None and env.get(env_name, "").strip():
                raw, origin = env[env_name].strip(), f"${env_name}"
            if raw is None:
                continue
            try:
                number = float(raw)  # type: ignore[arg-type]
            except (TypeError, ValueError):
                number = math.nan
            if not (math.isfinite(number) and number > 0):
                raise UsageError(f"{origin} must be a positive number, not {raw!r}",
                                 "see 'labelscan scan --help' for the limits and their defaults")
            changes[field_name] = to_field(number)
        return replace(cls(), **changes)



def _count(number: float) -> int:
    return max(1, int(number))


def _mb(number: float) -> int:
    return max(1, int(number * MB))


SETTINGS: dict[str, tuple[str, str, Callable[[float], float | int]]] = {
    # option name: (Limits field, environment variable, conversion)
    "max_pixels": ("max_pixels", "LABELSCAN_MAX_PIXELS", _count),
    "max_file_mb": ("max_file_bytes", "LABELSCAN_MAX_FILE_MB", _mb),
    "max_pdf_pages": ("max_pdf_pages", "LABELSCAN_MAX_PDF_PAGES", _count),
    "ocr_timeout": ("ocr_timeout_s", "LABELSCAN_OCR_TIMEOUT", float),
    "max_download_mb": ("max_download_bytes", "LABELSCAN_MAX_DOWNLOAD_MB", _mb),
    "download_timeout": ("download_timeout_s", "LABELSCAN_DOWNLOAD_TIMEOUT", float),
}
"""Every configurable limit: its command-line option (--max-pixels…), field and environment variable."""

DEFAULT_LIMITS = Limits()
