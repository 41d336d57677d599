"""The hostile-input corpus: bad, hostile and huge inputs and rule packs, written into a folder by `build`.

Each `Case` is what a new user would type (`labelscan <args>`), the exit code the README documents, and a
few words the one stderr line must contain. Nothing here is checked in: every file is generated.
"""

from __future__ import annotations

import io
import os
import random
import struct
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF
from PIL import Image, ImageDraw, ImageFont

from tests.helpers import COMPLIANT_TEXT

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"

PACK = "magnesium-l-threonate"
MARKER = "python-tag-executed"
"""A file the !!python/object pack would create if its tag were ever constructed."""


@dataclass
class Case:
    """One hostile input: the CLI arguments, the documented exit code, words the stderr line must hold."""

    id: str
    args: list[str | bytes]
    code: int
    words: str
    input: str | bytes | None = None
    """The input path, for the batch test (None: not an input, e.g. a bad rule pack)."""
    verdict: str = "error"
    """The verdict of that input in a batch."""
    env: dict[str, str] = field(default_factory=dict)


def label_image(lines: tuple[str, ...] = ("Supplement Facts", "Magnesium 144 mg"), size: tuple[int, int] = (640, 240)) -> Image.Image:
    img = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(img)
    font = ImageFont.truetype(FONT, 28)
    for i, line in enumerate(lines):
        draw.text((20, 20 + 70 * i), line, font=font, fill="black")
    return img


def encoded(img: Image.Image, fmt: str) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt)
    return buf.getvalue()


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width × height pixels (decoding it would need width*height*3 bytes)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + chunk(b"IEND", b"")


def pdf_bytes(pages: int, text: str = "Supplement Facts", password: str | None = None) -> bytes:
    pdf = FPDF(unit="pt", format=(200, 200))
    if password:
        pdf.set_encryption(owner_password="owner", user_password=password)
    pdf.set_font("helvetica", size=12)
    for _ in range(pages):
        pdf.add_page()
        if text:
            pdf.text(20, 40, text)
    return bytes(pdf.output())


ALIAS_BOMB = "\n".join(
    ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join([f'*{chr(97 + i)}'] * 9)}]" for i in range(8)]
) + "\n"
"""The 'billion laughs': nine levels of nine-fold aliases, 9^9 strings if expanded."""


def packs(folder: Path) -> dict[str, str]:
    """Bad rule pack files: name → file text (the binary one is written as bytes)."""
    marker = folder / MARKER
    return {
        "pack-unknown-key.yaml": "pack: x\nversion: 1\ntitle: X\ncolour: red\nchecks:\n  - {id: a, kind: panel-title}\n",
        "pack-wrong-types.yaml": "pack: Not A Name!\nversion: one\ntitle: [a, b]\nchecks: {a: 1}\n",
        "pack-python-tag.yaml": f"pack: !!python/object/apply:os.system [\"touch {marker}\"]\nversion: 1\ntitle: x\n"
                                f"checks:\n  - id: a\n    kind: !!python/object/apply:os.system [\"touch {marker}\"]\n",
        "pack-alias-bomb.yaml": ALIAS_BOMB,
        "pack-not-yaml.yaml": "pack: [unclosed\n  title: {\n: : :\n\t- ]]\n",
    }


def build(folder: Path) -> list[Case]:
    """Write the corpus into `folder` and return its cases (paths absolute)."""
    folder.mkdir(parents=True, exist_ok=True)
    p = lambda name: str(folder / name)  # noqa: E731
    good = folder / "good.txt"
    good.write_text(COMPLIANT_TEXT)

    jpeg = encoded(label_image(), "JPEG")
    png = encoded(label_image(), "PNG")
    files: dict[str, bytes] = {
        "empty.jpg": b"",
        "truncated.jpg": jpeg[: len(jpeg) * 6 // 10],
        "truncated.png": png[: len(png) * 6 // 10],
        "header-only.jpg": jpeg[: jpeg.index(b"\xff\xda")],  # cut just before the first scan (SOS) segment
        "html-page.jpg": b"<!DOCTYPE html><html><body><h1>404 Not Found</h1></body></html>\n",
        "text.jpg": b"hello, this is not a label\n",  # the content decides: scanned as text, nothing to judge
        "random.png": random.Random(1).randbytes(4096),
        "one-pixel.png": encoded(Image.new("RGB", (1, 1), "white"), "PNG"),
        "bomb-60000x60000.png": png_claiming(60000, 60000),
        "corrupt.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nendobj\ntrailer << /Root 1 0 R >>\n%%EOF garbage\n",
        "encrypted.pdf": pdf_bytes(1, password="secret"),
        "pages-2000.pdf": pdf_bytes(2000, text=""),
        "pages-2.pdf": pdf_bytes(2),
        "label.png": png,
    }
    for name, data in files.items():
        (folder / name).write_bytes(data)
    (folder / "folder.jpg").mkdir(exist_ok=True)
    unreadable = folder / "unreadable.png"
    if os.geteuid() == 0:  # root reads any file whatever its mode: a file that fails on read() instead
        unreadable.symlink_to("/proc/self/mem")
        unreadable_words = "cannot be read"
    else:
        unreadable.write_bytes(png)
        unreadable.chmod(0)
        unreadable_words = "permission denied"
    odd = os.fsencode(str(folder)) + b"/label-\xff\xfe.txt"  # not valid UTF-8
    with open(odd, "wb") as fh:
        fh.write(COMPLIANT_TEXT.encode())
    odd_missing = os.fsencode(str(folder)) + b"/missing-\xff.png"
    for name, text in packs(folder).items():
        (folder / name).write_text(text)
    (folder / "pack-binary.yaml").write_bytes(png)

    def scan(name: str, code: int, words: str, verdict: str = "error") -> Case:
        return Case(name, ["scan", p(name)], code, words, input=p(name), verdict=verdict)

    def pack(name: str, words: str) -> Case:
        return Case(name, ["scan", str(good), "--rules", p(name)], 5, words)

    return [
        scan("empty.jpg", 4, "empty (0 bytes)"),
        scan("truncated.jpg", 4, "truncated or corrupt jpeg"),
        scan("truncated.png", 4, "truncated or corrupt png"),
        scan("header-only.jpg", 4, "truncated or corrupt jpeg"),
        scan("html-page.jpg", 4, "is a web page (html or xml), not an image"),
        scan("text.jpg", 1, "", verdict="needs-review"),
        scan("random.png", 4, "not an image, pdf or text file"),
        scan("one-pixel.png", 1, "", verdict="needs-review"),
        scan("bomb-60000x60000.png", 4, "(3600 megapixels, more than 120 megapixels)"),
        scan("corrupt.pdf", 4, "corrupt or truncated pdf"),
        scan("encrypted.pdf", 4, "password-protected"),
        scan("pages-2000.pdf", 4, "2000 pages, more than the limit of 50"),
        scan("folder.jpg", 4, "is a directory"),
        scan("missing.png", 4, "does not exist"),
        scan("unreadable.png", 4, unreadable_words),
        Case("non-utf8-name", ["scan", odd, "--rules", PACK], 0, "", input=odd, verdict="pass"),
        Case("non-utf8-missing", ["scan", odd_missing], 4, "does not exist", input=odd_missing),
        pack("pack-unknown-key.yaml", "unknown key"),
        pack("pack-wrong-types.yaml", "pack-wrong-types.yaml"),
        pack("pack-python-tag.yaml", "python/object"),
        pack("pack-alias-bomb.yaml", "aliases"),
        pack("pack-not-yaml.yaml", "not valid yaml"),
        pack("pack-binary.yaml", "not a text file"),
        Case("unknown-pack", ["scan", str(good), "--rules", "no-such-pack"], 5, "unknown rule pack 'no-such-pack'"),
        Case("unknown-format", ["scan", str(good), "--format", "yaml"], 2, "unknown output format 'yaml'"),
        Case("unknown-engine", ["scan", p("label.png"), "--engine", "magic"], 2, "magic"),
        Case("no-such-command", ["frobnicate"], 2, "no such command"),
        # the limits, from the command line and from the environment
        Case("max-file-mb", ["scan", p("label.png"), "--max-file-mb", "0.001"], 4, "larger than the 1048 bytes limit"),
        Case("max-pixels", ["scan", p("label.png"), "--max-pixels", "1000"], 4, "more than 0.001 megapixels"),
        Case("max-pdf-pages", ["scan", p("pages-2.pdf"), "--max-pdf-pages", "1"], 4, "2 pages, more than the limit of 1"),
        Case("env-max-pixels", ["scan", p("label.png")], 4, "megapixels", env={"LABELSCAN_MAX_PIXELS": "1000"}),
        Case("env-bad-value", ["scan", str(good)], 2, "$labelscan_max_pixels must be a positive number",
             env={"LABELSCAN_MAX_PIXELS": "lots"}),
        Case("option-bad-value", ["scan", str(good), "--ocr-timeout", "-1"], 2, "--ocr-timeout must be a positive number"),
        Case("option-not-a-number", ["scan", str(good), "--max-pdf-pages", "many"], 2, "'many' is not a valid integer"),
    ]
