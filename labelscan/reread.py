"""A second look at doubtful lines of the panel's table: each cropped on its own and read as a single line."""

from __future__ import annotations

from dataclasses import replace

from PIL import Image

from .checks.outcome import MIN_ROW_CONFIDENCE, unparsed_table_lines
from .model import BBox, Evidence, Label, OcrPage, Word
from .ocr.base import OcrEngine
from .ocr.reader import read_image
from .parse import parse_pages

SINGLE_LINE_PSM = 7
"""Tesseract's page segmentation mode for one line of text."""
PAD_ABOVE_BELOW = 0.4
"""The crop reaches this many line heights above and below the line."""
PAD_SIDES = 1.0
"""...and this many line heights beyond its first and last word."""
MAX_LINE_HEIGHT = 1.7
"""A line box taller than this many word heights holds two lines (a wrapped name): not one line to re-read."""
BETTER_BY = 0.05
"""The second reading replaces the first only when its mean word confidence is at least this much higher."""
MIN_KEPT = 0.85
"""...and keeps at least this share of the first reading's letters and digits and of its width: a reading
that drops a faint word (a blend's name) must not win on the confidence of the words left."""
MAX_LINES = 12
"""At most this many lines are read again per scan (a panel has a handful of doubtful rows, not dozens)."""


def doubtful_lines(label: Label) -> list[Evidence]:
    """The lines of the panel's table worth a second reading: read below the confidence a check needs to rely
    on a row, or not become (part of) a row."""
    unparsed = {id(line) for line in unparsed_table_lines(label)}
    doubtful = [line for line in label.panel.table_lines
                if line.bbox is not None and (id(line) in unparsed or line.confidence < MIN_ROW_CONFIDENCE)]
    return doubtful[:MAX_LINES]


def reread_doubtful_lines(pages: list[OcrPage], images: list[Image.Image | None], engine: OcrEngine,
                          timeout: float) -> int:
    """Read each doubtful table line again on its own (cropped, enlarged, one line) and put the new words in
    place of the old ones where they were read more confidently. Returns how many lines were replaced."""
    label = Label(pages=pages, panel=parse_pages(pages))
    if not label.panel.found:
        return 0
    replaced = 0
    for line in doubtful_lines(label):
        image = images[line.page] if line.page < len(images) else None
        if image is None or pages[line.page].words is None:
            continue
        replaced += _reread(pages[line.page], image, line.bbox, engine, timeout)  # type: ignore[arg-type]
    return replaced


def _words_in(words: list[Word], box: BBox) -> list[Word]:
    """The words whose centre lies in the box."""
    x, y, w, h = box
    return [word for word in words
            if x <= word.bbox[0] + word.bbox[2] / 2 <= x + w and y <= word.bbox[1] + word.bbox[3] / 2 <= y + h]


def _reread(page: OcrPage, image: Image.Image, box: BBox, engine: OcrEngine, timeout: float) -> int:
    old = _words_in(page.words, box)
    if not old:
        return 0
    height = sorted(w.bbox[3] for w in old)[len(old) // 2]
    x, y, w, h = box
    if h > MAX_LINE_HEIGHT * height:
        return 0
    left, top = max(0, int(x - PAD_SIDES * height)), max(0, int(y - PAD_ABOVE_BELOW * height))
    right = min(image.width, int(x + w + PAD_SIDES * height))
    bottom = min(image.height, int(y + h + PAD_ABOVE_BELOW * height))
    second = read_image(image.crop((left, top, right, bottom)), engine, timeout=timeout, psm=SINGLE_LINE_PSM)
    new = [word for word in second.words if word.text.strip()]
    if not new or _mean(new) < _mean(old) + BETTER_BY or not _covers(new, old):
        return 0
    first = page.words.index(old[0])
    placed = [replace(word, bbox=(word.bbox[0] + left, word.bbox[1] + top, word.bbox[2], word.bbox[3]),
                      block=old[0].block, line=old[0].line) for word in new]
    kept = [word for word in page.words if word not in old]
    page.words = kept[:first] + placed + kept[first:]
    return 1


def _covers(new: list[Word], old: list[Word]) -> bool:
    """Whether the second reading holds (nearly) as much as the first: letters and digits, and width."""
    def chars(words: list[Word]) -> int:
        return sum(c.isalnum() for w in words for c in w.text)

    def width(words: list[Word]) -> int:
        return max(w.bbox[0] + w.bbox[2] for w in words) - min(w.bbox[0] for w in words)

    return chars(new) >= MIN_KEPT * chars(old) and width(new) >= MIN_KEPT * width(old)


def _mean(words: list[Word]) -> float:
    return sum(w.confidence for w in words) / len(words)
