"""Read one image: prepare it, OCR it, and map every word box back to the original image's pixels."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import numpy as np
from PIL import Image

from ..model import BBox, OcrPage, centre_within
from ..vision.light import DarkGround
from ..vision.prepare import prepare, with_ground_border
from ..vision.unread_ink import lost_print_blocks
from .base import OcrEngine


FEW_WORDS = 0.05
"""Words read per letter-shaped mark in the image's text lines below which the reading failed as a whole
(a page reads about one word per 3–6 such marks; a failed one 1 in 50 or none)."""


def read_image(image: Image.Image, engine: OcrEngine, *, timeout: float = 60.0, psm: int = 3,
               other_size: bool = False) -> OcrPage:
    """The words of `image`, boxes in `image`'s own pixels, width/height those of `image`; `other_size`: its
    body text scaled away from tesseract's preferred size (see `vision.prepare`).

    The image is read as given (the pipeline turns it upright, unrolls and deskews it first, see
    `pipeline.read_document`); boxes are in its coordinates.
    """
    prepared = prepare(image, other_size)
    page = engine.read(prepared.image, psm=psm, timeout=timeout)
    if _words(page) < FEW_WORDS * prepared.glyphs:
        # A white frame round a dark edge (a bottle's shoulders, a dark table) can make tesseract's layout
        # analysis read a page of text as nothing: read it again framed in the image's own shade.
        again = with_ground_border(prepared)
        second = engine.read(again.image, psm=psm, timeout=timeout)
        if _words(second) > _words(page):
            prepared, page = again, second
    size = image.size
    words = [replace(w, bbox=prepared.to_original(w.bbox, size)) for w in page.words]
    return OcrPage(words=words, width=size[0], height=size[1], engine=page.engine, orientation=prepared.rotation)


def _words(page: OcrPage) -> int:
    """Words of at least two letters or digits."""
    return sum(1 for w in page.words if sum(c.isalnum() for c in w.text) >= 2)


def _overlaps(a: BBox, b: BBox) -> bool:
    ax1, ay1, bx1, by1 = a[0] + a[2], a[1] + a[3], b[0] + b[2], b[1] + b[3]
    w = min(ax1, bx1) - max(a[0], b[0])
    h = min(ay1, by1) - max(a[1], b[1])
    return w > 0 and h > 0 and w * h > 0.3 * min(a[2] * a[3], b[2] * b[3])


def read_image_and_dark_regions(image: Image.Image, engine: OcrEngine, regions: list[DarkGround], *,
                                timeout: float = 60.0) -> OcrPage:
    """Read the image, then each light-on-dark region again, inverted and with what lies outside its ground
    blanked (a dark table round a photographed label must not have the label read again, inverted): a word
    of the second reading is added where the first read nothing, and replaces what the first read where it is
    more confident. The extra cost is in proportion to the dark area."""
    page = read_image(image, engine, timeout=timeout)
    for region in regions:
        x, y, w, h = region.bbox
        inverted = 255 - np.asarray(image.convert("L").crop((x, y, x + w, y + h)))
        crop = Image.fromarray(np.where(region.mask > 0, inverted, 255).astype(np.uint8))
        merge_words(page, read_image(crop, engine, timeout=timeout), (x, y))
    return page


def merge_words(page: OcrPage, extra: OcrPage, offset: tuple[int, int], *, replace_less_sure: bool = True) -> int:
    """Add the words of `extra` (a reading of a crop of the page at `offset`) to `page`: where the page read
    nothing, or (`replace_less_sure`) replacing what it read less confidently; each of extra's lines and blocks
    a new one of the page. Returns the number of words added."""
    x, y = offset
    next_line = max((w.line for w in page.words), default=-1) + 1
    next_block = max((w.block for w in page.words), default=-1) + 1
    lines: dict[int, int] = {}
    added = 0
    for word in extra.words:
        box = (word.bbox[0] + x, word.bbox[1] + y, word.bbox[2], word.bbox[3])
        clashing = [old for old in page.words if _overlaps(box, old.bbox)]
        if clashing and (not replace_less_sure or any(old.confidence >= word.confidence for old in clashing)):
            continue
        page.words = [old for old in page.words if old not in clashing]
        line = lines.setdefault(word.line, next_line + len(lines))
        page.words.append(replace(word, bbox=box, line=line, block=next_block + word.block))
        added += 1
    return added


LOST_PRINT_PSM = 6
"""Page segmentation for a block of lost print: one uniform block of text (its lines are all there is)."""
MAX_LOST_BLOCKS = 4
"""Most blocks of lost print read again per page (each is one small OCR call)."""


def read_lost_print(page: OcrPage, image: Image.Image, engine: OcrEngine, skip: list[BBox], *,
                    timeout: float = 60.0, keep: Callable[[OcrPage], bool] | None = None) -> int:
    """Read again, each on its own, the blocks of print the page's reading gave no words for (tesseract's
    layout analysis can drop a whole paragraph of small print in a photo: the disclaimer below the panel),
    and add their words to the page; one block at a time, as the words read near it may bring more of the
    paragraph within reach. `skip`: boxes whose print other stages read; `keep`: whether the page with a
    block's words added may stay so (else they are taken out again). Returns the words added."""
    gray = np.asarray(image.convert("L"))
    tried: list[BBox] = []
    added = 0
    for _ in range(MAX_LOST_BLOCKS):
        blocks = [b for b in lost_print_blocks(gray, page.words, skip)
                  if not any(centre_within(b, old) for old in tried)]
        if not blocks:
            break
        x, y, w, h = blocks[0]
        tried.append(blocks[0])
        extra = read_image(image.crop((x, y, x + w, y + h)), engine, timeout=timeout, psm=LOST_PRINT_PSM)
        before = list(page.words)
        count = merge_words(page, extra, (x, y), replace_less_sure=False)  # the lines read stay as they are
        if count and keep is not None and not keep(page):
            page.words = before
            continue
        added += count
    return added
