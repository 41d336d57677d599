"""Load one input (image, PDF, text file or stdin) into pages, refusing anything unreadable with one clear message."""

from __future__ import annotations

import hashlib
import io
import math
import re
import sys
import threading
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Literal

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from .errors import UnreadableInputError
from .limits import DEFAULT_LIMITS, MB, Limits
from .model import OcrPage

PDF_DPI = 300
IMAGE_FORMATS = {"jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "tiff": "TIFF"}
_PDFIUM_LOCK = threading.Lock()
"""PDFium is not thread-safe: every call into it holds this lock."""


@dataclass(init=False)
class SourcePage:
    """One page: its RGB image (a PDF page is rendered at 300 dpi on first use) and its text, when the input has some.

    `image` is upright (EXIF orientation applied); `text_layer`, when set, is the page's text with boxes in
    the image's pixels, and OCR is skipped.
    """

    text_layer: OcrPage | None = None
    _image: Image.Image | None = field(default=None, repr=False)
    _render: Callable[[], Image.Image] | None = field(default=None, repr=False, compare=False)

    def __init__(self, image: Image.Image | None = None, text_layer: OcrPage | None = None, *,
                 render: Callable[[], Image.Image] | None = None) -> None:
        self._image = image
        self.text_layer = text_layer
        self._render = render

    @property
    def image(self) -> Image.Image | None:
        if self._image is None and self._render is not None:
            self._image = self._render()
        return self._image

    @image.setter
    def image(self, value: Image.Image | None) -> None:
        self._image = value


@dataclass
class Document:
    """A loaded input: where it came from, the sha256 of its bytes, its kind and its pages."""

    source: str
    sha256: str
    kind: Literal["image", "pdf", "text"]
    pages: list[SourcePage]


def load(path: str | Path, limits: Limits = DEFAULT_LIMITS, stdin: BinaryIO | None = None) -> Document:
    """Read an image (JPEG, PNG, WebP, TIFF), a PDF or a UTF-8 text file; '-' reads standard input.

    The kind is decided by the content, not the file name. Raises UnreadableInputError for anything
    that cannot be read, with what is wrong and what to do.
    """
    name = str(path)
    data = _read_bytes(name, limits, stdin)
    sha256 = hashlib.sha256(data).hexdigest()
    kind = sniff(data, name)
    if kind == "pdf":
        return Document(name, sha256, "pdf", _pdf_pages(data, name, limits))
    if kind == "text":
        return Document(name, sha256, "text", [SourcePage(None, _text_page(data, name))])
    return Document(name, sha256, "image", [SourcePage(decode_image(data, name, kind, limits))])


def _display(name: str) -> str:
    return "standard input" if name == "-" else name


def _read_bytes(name: str, limits: Limits, stdin: BinaryIO | None) -> bytes:
    cap = limits.max_file_bytes
    cap_text = f"{cap / MB:g} MB" if cap >= MB else f"{cap} bytes"
    too_big = UnreadableInputError(f"{_display(name)} is larger than the {cap_text} limit",
                                   "shrink or split it, or raise the file size limit")
    if name == "-":
        stream = stdin if stdin is not None else sys.stdin.buffer
        data = stream.read(cap + 1)
    else:
        p = Path(name)
        try:
            if p.is_dir():
                raise UnreadableInputError(f"{name} is a directory", "give the path of an image, PDF or text file")
            if not p.exists():
                raise UnreadableInputError(f"{name} does not exist", "check the path and the spelling")
            if p.is_file() and p.stat().st_size > cap:
                raise too_big
            with p.open("rb") as fh:
                data = fh.read(cap + 1)
        except PermissionError:
            raise UnreadableInputError(f"{name} cannot be read (permission denied)",
                                       "check the file's permissions") from None
        except OSError as exc:
            raise UnreadableInputError(f"{name} cannot be read ({exc.strerror or exc})",
                                       "check that the file is accessible") from None
    if len(data) > cap:
        raise too_big
    if not data:
        raise UnreadableInputError(f"{_display(name)} is empty (0 bytes)", "give a label image, PDF or text file")
    return data


def sniff(data: bytes, name: str = "input") -> str:
    """The input's kind from its first bytes: jpeg, png, webp, tiff, pdf or text; anything else is refused."""
    head = data[:32]
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "tiff"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    other = _known_unsupported(data)
    if other:
        hint = ("if it was downloaded, the download failed: fetch the image itself again" if other.startswith("a web page")
                else "convert it to PNG, JPEG or PDF")
        raise UnreadableInputError(f"{_display(name)} is {other}, which labelscan cannot read", hint)
    if _decode_text(data) is not None:
        return "text"
    raise UnreadableInputError(f"{_display(name)} is not an image, PDF or text file",
                               "give a JPEG, PNG, WebP or TIFF image, a PDF, or a UTF-8 text file")


def _known_unsupported(data: bytes) -> str | None:
    head = data[:32]
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "a GIF image"
    if head[:2] == b"BM":
        return "a BMP image"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in (b"heic", b"heix", b"mif1", b"msf1", b"hevc"):
            return "a HEIC photo"
        if brand in (b"avif", b"avis"):
            return "an AVIF image"
    if head[:4] == b"PK\x03\x04":
        return "a ZIP archive (or an Office document)"
    if b"<svg" in data[:2048].lower():
        return "an SVG drawing"
    start = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head")):
        return "a web page (HTML or XML), not an image"
    return None


def _decode_text(data: bytes) -> str | None:
    """The text if `data` is UTF-8 (or UTF-16 with a BOM) without binary control characters, else None."""
    try:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            text = data.decode("utf-16")
        else:
            text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None
    controls = sum(1 for c in text if ord(c) < 32 and c not in "\t\n\r\f")
    return None if "\x00" in text or controls > len(text) / 100 else text


def _text_page(data: bytes, name: str) -> OcrPage:
    text = _decode_text(data) or ""
    if not text.strip():
        raise UnreadableInputError(f"{_display(name)} contains only whitespace", "give the label's text")
    return OcrPage.from_text(text)


def decode_image(data: bytes, name: str, kind: str, limits: Limits = DEFAULT_LIMITS) -> Image.Image:
    """Fully decode an image's first frame, upright (EXIF orientation) and RGB; transparency becomes white.
    Pillow's own pixel limit is set to ours only while decoding: it is process-wide, and the caller's
    other images are not ours to limit."""
    previous = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = limits.max_pixels
    try:
        return _decode_image(data, name, kind, limits)
    finally:
        Image.MAX_IMAGE_PIXELS = previous


def _decode_image(data: bytes, name: str, kind: str, limits: Limits) -> Image.Image:
    label = _display(name)

    def too_many(size: str = "") -> UnreadableInputError:
        return UnreadableInputError(
            f"{label} is too large to decode safely ({size}more than {limits.max_pixels / 1e6:g} megapixels)",
            "downscale it, or raise the pixel limit")

    corrupt = UnreadableInputError(f"{label} is a truncated or corrupt {kind.upper()} image",
                                   "re-export or re-download the file")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            img = Image.open(io.BytesIO(data), formats=[IMAGE_FORMATS[kind]])
            width, height = img.size  # from the header: nothing decoded yet
            if width * height > limits.max_pixels:
                raise too_many(f"{width}×{height} pixels, ")
            if width < 1 or height < 1:
                raise corrupt
            img.load()
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:  # refused by Pillow at open
            claimed = re.search(r"\((\d+) pixels\)", str(exc))
            raise too_many(f"{int(claimed.group(1)) / 1e6:g} megapixels, " if claimed else "") from None
        except UnreadableInputError:
            raise
        except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, IndexError, KeyError,
                TypeError, MemoryError, ZeroDivisionError):
            raise corrupt from None
    try:
        upright = ImageOps.exif_transpose(img)
    except Exception:  # a malformed EXIF block: keep the pixels as stored rather than refuse the photo
        upright = img
    return _to_rgb(upright if upright is not None else img)


def _to_rgb(img: Image.Image) -> Image.Image:
    if img.mode in ("I;16", "I;16L", "I;16B", "I", "F"):
        a = np.asarray(img, dtype=np.float32)
        top = float(a.max()) if a.size else 0.0
        a = a * (255.0 / top) if top > 255 else a
        return Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).convert("RGB")
    if img.mode in ("RGBA", "LA", "PA", "La", "RGBa") or (img.mode == "P" and "transparency" in img.info):
        rgba = img.convert("RGBA")
        out = Image.new("RGB", rgba.size, (255, 255, 255))
        out.paste(rgba, mask=rgba.getchannel("A"))
        return out
    return img if img.mode == "RGB" else img.convert("RGB")


def _pdf_pages(data: bytes, name: str, limits: Limits) -> list[SourcePage]:
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    from .ocr.pdftext import read_text_layer

    label = _display(name)
    with _PDFIUM_LOCK:
        try:
            pdf = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as exc:
            if exc.err_code == pdfium_c.FPDF_ERR_PASSWORD:
                raise UnreadableInputError(f"{label} is a password-protected PDF",
                                           "remove the password (print or export an unprotected copy) and try again") from None
            if exc.err_code == pdfium_c.FPDF_ERR_SECURITY:
                raise UnreadableInputError(f"{label} uses an unsupported PDF encryption scheme",
                                           "export an unprotected copy and try again") from None
            raise UnreadableInputError(f"{label} is a corrupt or truncated PDF", "re-export or re-download it") from None
        count = len(pdf)
        if count > limits.max_pdf_pages:
            raise UnreadableInputError(f"{label} has {count} pages, more than the limit of {limits.max_pdf_pages}",
                                       "split it into the label pages only, or raise the page limit")
        pages: list[SourcePage] = []
        for index in range(count):
            try:
                page = pdf[index]
                width, height = page.get_size()
                if not (width > 0 and height > 0):
                    raise ValueError("empty page box")
                # 300 dpi, less for a poster-sized page so the render stays within the pixel limit
                # (a hair under, so pypdfium2's ceil() gives 3300 px, not 3301, for a 792 pt page)
                scale = min(PDF_DPI / 72, math.sqrt(limits.max_pixels / (width * height)) * 0.999) * (1 - 1e-9)
                text_layer = read_text_layer(page, scale)
                page.close()
            except (pdfium.PdfiumError, ValueError, OSError) as exc:
                raise UnreadableInputError(f"page {index + 1} of {label} is corrupt ({exc})",
                                           "re-export or re-download the PDF") from None
            pages.append(SourcePage(None, text_layer, render=_renderer(pdf, index, scale, label)))
    return pages


def _renderer(pdf: object, index: int, scale: float, label: str) -> Callable[[], Image.Image]:
    """A function that renders page `index` at `scale` (the PDF stays open while the page is alive)."""

    def render() -> Image.Image:
        import pypdfium2 as pdfium

        with _PDFIUM_LOCK:
            try:
                page = pdf[index]  # type: ignore[index]
                image = page.render(scale=scale).to_pil()
                page.close()
            except (pdfium.PdfiumError, ValueError, OSError, MemoryError) as exc:
                raise UnreadableInputError(f"page {index + 1} of {label} cannot be rendered ({exc})",
                                           "re-export the PDF") from None
        return image if image.mode == "RGB" else image.convert("RGB")

    return render
