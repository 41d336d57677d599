"""Loading inputs: images by content, EXIF orientation, PDFs with and without a text layer, text, stdin, bad inputs."""

from __future__ import annotations

import hashlib
import io
import struct
import zlib
from pathlib import Path

import numpy as np
import pypdfium2 as pdfium
import pytest
from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from labelscan.errors import ExitCode, UnreadableInputError
from labelscan.limits import Limits
from labelscan.sources import load

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
PT_TO_PX = 300 / 72


def label_image(size: tuple[int, int] = (640, 200)) -> Image.Image:
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 28)
    draw.text((20, 20), "Supplement Facts", font=font, fill="black")
    draw.text((20, 90), "Magnesium 144 mg", font=font, fill="black")
    return img


def save(img: Image.Image, path: Path, fmt: str, **kw: object) -> Path:
    img.save(path, fmt, **kw)
    return path


def text_pdf(path: Path, pages: int = 1, rotate: int = 0) -> Path:
    pdf = FPDF(unit="pt", format=(612, 792))
    for _ in range(pages):
        pdf.add_page()
        pdf.set_font("helvetica", size=24)
        pdf.text(72, 100, "Supplement Facts")
        pdf.text(72, 200, "Magnesium 144 mg")
        pdf.set_font("helvetica", size=10)
        pdf.text(72, 300, "Other ingredients: gelatin, rice flour.")
    data = bytes(pdf.output())
    if rotate:
        doc = pdfium.PdfDocument(data)
        doc[0].set_rotation(rotate)
        buf = io.BytesIO()
        doc.save(buf)
        data = buf.getvalue()
    path.write_bytes(data)
    return path


def unreadable(path: object, limits: Limits = Limits(), **kw: object) -> str:
    with pytest.raises(UnreadableInputError) as info:
        load(path, limits, **kw)  # type: ignore[arg-type]
    assert info.value.exit_code == ExitCode.UNREADABLE_INPUT
    assert info.value.hint, "every refusal says what to do"
    return str(info.value)


# -- images -------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "TIFF"])
def test_image_formats_are_recognised_by_content(tmp_path: Path, fmt: str) -> None:
    path = save(label_image(), tmp_path / "label.dat", fmt)  # a misleading name: the bytes decide
    doc = load(path)
    assert doc.kind == "image" and doc.source == str(path)
    assert doc.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    (page,) = doc.pages
    assert page.text_layer is None
    assert page.image is not None and page.image.mode == "RGB" and page.image.size == (640, 200)


def test_exif_rotated_jpeg_is_upright(tmp_path: Path) -> None:
    stored = Image.new("RGB", (200, 100), "white")
    stored.paste((255, 0, 0), (0, 0, 100, 100))  # red on the left as stored
    exif = Image.Exif()
    exif[0x0112] = 6  # "rotate 90° clockwise to display": the left edge becomes the top
    path = save(stored, tmp_path / "photo.jpg", "JPEG", exif=exif.tobytes())
    image = load(path).pages[0].image
    assert image is not None and image.size == (100, 200)
    top, bottom = image.getpixel((50, 40)), image.getpixel((50, 160))
    assert top[0] > 200 and top[1] < 60, top
    assert min(bottom) > 200, bottom


def test_transparent_png_gets_a_white_ground(tmp_path: Path) -> None:
    img = Image.new("RGBA", (60, 40), (0, 0, 0, 0))
    img.paste((0, 0, 0, 255), (10, 10, 20, 20))
    image = load(save(img, tmp_path / "art.png", "PNG")).pages[0].image
    assert image is not None
    assert image.getpixel((1, 1)) == (255, 255, 255) and image.getpixel((15, 15)) == (0, 0, 0)


def test_multi_frame_tiff_uses_the_first_frame(tmp_path: Path) -> None:
    first, second = Image.new("RGB", (30, 20), "white"), Image.new("RGB", (50, 50), "black")
    path = tmp_path / "scan.tif"
    first.save(path, "TIFF", save_all=True, append_images=[second])
    image = load(path).pages[0].image
    assert image is not None and image.size == (30, 20)


# -- PDFs ---------------------------------------------------------------------------------------------------

def test_pdf_text_layer_gives_words_with_boxes_without_ocr(tmp_path: Path) -> None:
    doc = load(text_pdf(tmp_path / "artwork.pdf"))
    assert doc.kind == "pdf" and len(doc.pages) == 1
    layer = doc.pages[0].text_layer
    assert layer is not None and layer.engine == "pdf-text"
    assert layer.text.splitlines() == ["Supplement Facts", "Magnesium 144 mg", "Other ingredients: gelatin, rice flour."]
    assert (layer.width, layer.height) == (2550, 3300)
    word = next(w for w in layer.words if w.text == "144")
    x, y, w, h = word.bbox
    # fpdf2 puts the baseline at y=200 pt; 24 pt Helvetica digits stand ~17 pt tall
    assert abs((y + h) - 200 * PT_TO_PX) < 6 and 15 * PT_TO_PX < h < 20 * PT_TO_PX
    assert 72 * PT_TO_PX < x < 250 * PT_TO_PX and w > 3 * 10
    assert len({w.line for w in layer.words}) == 3
    image = doc.pages[0].image  # rendered on demand, same pixel grid as the boxes
    assert image is not None and image.size == (2550, 3300)
    assert_boxes_on_ink(image, layer.words)


def assert_boxes_on_ink(image: Image.Image, words: list) -> None:
    gray = np.asarray(image.convert("L"))
    for word in words:
        x, y, w, h = word.bbox
        assert gray[y:y + h, x:x + w].min() < 100, f"no ink under {word}"
        assert gray[max(0, y - 2 * h):y - h // 2 - 4, x:x + w].min() > 200 or word.line == 0, f"box too low: {word}"


def test_rotated_pdf_page_boxes_follow_the_rendering(tmp_path: Path) -> None:
    doc = load(text_pdf(tmp_path / "rotated.pdf", rotate=90))
    layer = doc.pages[0].text_layer
    image = doc.pages[0].image
    assert layer is not None and image is not None
    assert (layer.width, layer.height) == image.size == (3300, 2550)
    gray = np.asarray(image.convert("L"))
    for word in layer.words:
        x, y, w, h = word.bbox
        assert gray[y:y + h, x:x + w].min() < 100, f"no ink under {word}"


def test_image_only_pdf_has_no_text_layer(tmp_path: Path) -> None:
    png = save(label_image(), tmp_path / "scan.png", "PNG")
    pdf = FPDF(unit="pt", format=(612, 792))
    pdf.add_page()
    pdf.image(str(png), x=36, y=36, w=540)
    path = tmp_path / "scan.pdf"
    pdf.output(str(path))
    (page,) = load(path).pages
    assert page.text_layer is None
    assert page.image is not None and page.image.size == (2550, 3300)


def test_poster_sized_pdf_page_is_rendered_within_the_pixel_limit(tmp_path: Path) -> None:
    pdf = FPDF(unit="pt", format=(5000, 5000))
    pdf.add_page()
    pdf.set_font("helvetica", size=200)
    pdf.text(200, 1000, "Supplement Facts 144 mg")
    path = tmp_path / "poster.pdf"
    pdf.output(str(path))
    (page,) = load(path, Limits(max_pixels=20_000_000)).pages
    assert page.image is not None and page.image.width * page.image.height <= 20_000_000
    assert page.text_layer is not None and page.text_layer.width == page.image.width


# -- text and stdin -----------------------------------------------------------------------------------------

def test_text_file(tmp_path: Path) -> None:
    path = tmp_path / "label.png"  # text, whatever the name says
    path.write_text("\ufeffSupplement Facts\nMagnesium 144 mg\n", encoding="utf-8")
    doc = load(path)
    assert doc.kind == "text" and doc.pages[0].image is None
    assert doc.pages[0].text_layer is not None and doc.pages[0].text_layer.text == "Supplement Facts\nMagnesium 144 mg"


def test_stdin_text_and_image() -> None:
    doc = load("-", stdin=io.BytesIO(b"Supplement Facts\n"))
    assert doc.source == "-" and doc.kind == "text"
    assert doc.sha256 == hashlib.sha256(b"Supplement Facts\n").hexdigest()
    buf = io.BytesIO()
    label_image().save(buf, "PNG")
    buf.seek(0)
    assert load("-", stdin=buf).kind == "image"


# -- bad inputs ---------------------------------------------------------------------------------------------

def test_missing_file(tmp_path: Path) -> None:
    assert "does not exist" in unreadable(tmp_path / "nope.png")


def test_directory(tmp_path: Path) -> None:
    assert "is a directory" in unreadable(tmp_path)


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = save(label_image(), tmp_path / "locked.png", "PNG")

    def denied(self: Path, *a: object, **k: object) -> object:
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "open", denied)  # chmod 000 does not stop root
    assert "permission denied" in unreadable(path)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.jpg"
    path.write_bytes(b"")
    assert "empty (0 bytes)" in unreadable(path)
    assert "standard input is empty" in unreadable("-", stdin=io.BytesIO(b""))


def test_not_an_image_pdf_or_text(tmp_path: Path) -> None:
    path = tmp_path / "label.png"
    path.write_bytes(bytes(range(256)) * 8)
    assert "not an image, PDF or text file" in unreadable(path)


def test_known_but_unsupported_format(tmp_path: Path) -> None:
    path = save(label_image(), tmp_path / "label.gif", "GIF")
    message = unreadable(path)
    assert "GIF" in message and "convert it to PNG, JPEG or PDF" in message


@pytest.mark.parametrize("fmt", ["PNG", "JPEG"])
def test_truncated_image(tmp_path: Path, fmt: str) -> None:
    whole = save(label_image(), tmp_path / "whole", fmt).read_bytes()
    path = tmp_path / "cut"
    path.write_bytes(whole[: len(whole) // 2])
    assert "truncated or corrupt" in unreadable(path)


def huge_png_header(width: int, height: int) -> bytes:
    """A PNG whose header claims width × height but that carries almost no data."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    chunk = lambda kind, body: struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))  # noqa: E731
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def test_too_many_pixels_is_refused_from_the_header(tmp_path: Path) -> None:
    path = tmp_path / "bomb.png"
    path.write_bytes(huge_png_header(100_000, 100_000))  # 10 Gpx: decoding would need 30 GB
    assert "megapixels" in unreadable(path)
    small = save(label_image(), tmp_path / "small.png", "PNG")
    assert "more than 0.1 megapixels" in unreadable(small, Limits(max_pixels=100_000))


def test_our_pixel_limit_does_not_stay_on_pillow_for_the_rest_of_the_process(tmp_path: Path) -> None:
    """Pillow's limit is process-wide: a scan with a small limit must not make the caller's own big images fail."""
    before = Image.MAX_IMAGE_PIXELS
    small = save(label_image(), tmp_path / "small.png", "PNG")
    unreadable(small, Limits(max_pixels=100_000))
    load(small, Limits(max_pixels=20_000_000))
    assert Image.MAX_IMAGE_PIXELS == before
    Image.new("RGB", (1000, 1000)).crop((0, 0, 900, 900))  # raised DecompressionBombError when the limit leaked


def test_file_over_the_size_limit(tmp_path: Path) -> None:
    path = save(label_image(), tmp_path / "big.png", "PNG")
    assert "larger than" in unreadable(path, Limits(max_file_bytes=1000))
    assert "larger than" in unreadable("-", Limits(max_file_bytes=1000), stdin=io.BytesIO(b"x" * 2000))


def test_encrypted_pdf(tmp_path: Path) -> None:
    pdf = FPDF()
    pdf.set_encryption(owner_password="owner", user_password="secret")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.text(20, 20, "Supplement Facts")
    path = tmp_path / "locked.pdf"
    pdf.output(str(path))
    assert "password-protected" in unreadable(path)


def test_corrupt_pdf(tmp_path: Path) -> None:
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\nthis is not a pdf\n")
    assert "corrupt or truncated PDF" in unreadable(path)


def test_too_many_pdf_pages(tmp_path: Path) -> None:
    path = text_pdf(tmp_path / "book.pdf", pages=3)
    assert "3 pages, more than the limit of 2" in unreadable(path, Limits(max_pdf_pages=2))


def test_whitespace_only_text(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_text("  \n\t\n")
    assert "only whitespace" in unreadable(path)
