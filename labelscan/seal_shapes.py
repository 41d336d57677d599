"""The shape route to seals: read each round mark (arc text unwrapped, centre cropped) and each shield or badge
(turned square-on) on its own, and match the catalogue."""

from __future__ import annotations

import dataclasses
import functools
from dataclasses import dataclass, field
from typing import Any

import cv2
import numpy as np
from PIL import Image

from .model import BBox, OcrPage, Seal, Word, centre_within
from .ocr.base import OcrEngine
from .seal_lines import MIN_LINE_SCORE, catalogue_words, read_arc_lines, read_badge_lines
from .seals import find_seals, load_catalogue
from .textmatch import normalise, token_score
from .vision.seal_badges import Badge, find_badges, words_patch
from .vision.seal_rings import MIN_SUPPORT, UNROLLED_SUPPORT, Ring, enlarged_around, find_rings, ring_parts

MIN_WORD_CONFIDENCE = 0.45
MIN_BAND_INK, MAX_BAND_INK = 0.03, 0.5
"""Share of a ring's text band that is ink for it to hold words on a plain ground (less: a plain circle)."""
MIN_BAND_LETTERS = 8
"""Letter-sized marks a ring's band (seen twice over in its strip) holds at least when it carries words: a
few words' letters; a logo's points or spokes are fewer."""
LEGIBLE_BAND = 12
"""Pixels: a ring's text band narrower than this in the image holds letters too small to read or even to
count (they run together into a grey band); ink in it, at least SMALL_BAND_INK, is then taken as words..."""
SMALL_BAND_INK = 0.08
"""...(a bold letter O, read as a small ring, holds less in its band)."""
BLURRED_BAND, BLURRED_INK = 24, 0.25
"""Pixels and share: a band up to BLURRED_BAND wide with at least BLURRED_INK of it ink, in which neither a word
nor enough letters were found, holds letters blurred together (a small disc's arc in a low-resolution photo),
not a plain ring or a logo's few shapes."""
MIN_RING_RADIUS = 15
"""Pixels: a smaller ring is a letter or a dot, or too small to be told from one (a UL seal 37 px across in
a low-resolution photo still has its initials read)."""
LETTER_HEIGHT = (0.2, 1.0)
"""Height of a letter-sized mark as a share of the band's height."""
STRICT_PERCENTILE = 0.5
"""Percentile of a strip's grey levels taken as its ink's extreme (the darkest, or the lightest on a dark
ground). Letters are counted at Otsu's threshold and at one halfway to it: light letters blurred on a dark
disc run together at Otsu's (a blurred Labdoor disc: 5 marks, too few to be letters) and stand apart at the
stricter one (14), so the ring is unread, not taken for a plain one, when no reader reads its words..."""
STRICT_BAND_LETTERS = 12
"""...but there a shape's tips and edges break into bits too (a logo's disc with a diamond cut out: 6 marks at
Otsu's threshold, 8 at the stricter one), so the stricter count stands only when it reaches this many."""
SPARSE_TEXT_PSM = 11
BLOCK_PSM = 6
"""Tesseract's 'one uniform block of text' mode: a badge's few centred lines."""
BAND_HEIGHT = 64
"""Pixels: the unwrapped arc band is enlarged to about this height (letters ~35 px) before OCR."""
CENTRE_SIDE = 160
"""Pixels: the centre disc is enlarged to about this size before OCR."""
MAX_ENLARGE = 4.0
"""Most an arc strip, centre disc or badge is enlarged before OCR."""
READ_BAND = 32
"""Pixels: a ring whose text band is narrower is read a second time, enlarged (with its surroundings) until
the band is this wide before it is turned square-on and unwrapped, its strips sharpened, and the words of
both readings are kept: arc letters a few pixels high lose their shapes when resampled twice at their own
size and blurred by enlarging, yet some rings read better the first way. (Measured on the rings of some
100 photos, ours and the second author's: either way alone lost rings the other read; both lost none.)"""
SHARPEN = 1.0
"""Unsharp-mask strength for a small ring's enlarged strips (sigma: SHARPEN_SIGMA px)."""
SHARPEN_SIGMA = 3.0
BADGE_WIDTH = 640
"""Pixels: a shield or badge is enlarged to about this width before OCR, which brings its small print
(about 1/20 of its width high) to some 30 px."""
BADGE_INSET = 0.04
"""Share of a badge's size trimmed off its outline before OCR: the edge (and a shield's inset line) is no letter."""
UNSURE_WORD = 0.7
"""A badge whose words were read, on average, below this confidence was not read well."""
MONOGRAM_VIEWS = 2
"""Views of a mark's core (see `MarkReading.core_reads`) in which a certifier's initials must be read for the mark
to be taken as that certifier's when nothing else of it matched (see the catalogue's monograms)..."""
SURE_INITIALS = 0.95
"""...or the confidence with which one view must read them: on the second author's seeds 11-18 (800 images)
the initials were read in one view alone on 18 marks, 14 of them at 0.95 or more, every one on a label that
carries that certifier's mark (small shields whose centre tesseract reads as nothing)."""
LINE_PSM = 7
"""Tesseract's 'one text line' mode: a centre disc's initials, which the sparse mode at times reads as nothing."""
NATIVE, ENLARGED = "tesseract", "tesseract enlarged"
"""The views of a mark tesseract reads: as found, and (a small ring) enlarged from the image and sharpened."""


@dataclass
class MarkReading:
    """What was read from one mark: its box, its words (a ring's arc and centre), how much ink a ring's band holds."""

    bbox: BBox
    words: list[str] = field(default_factory=list)
    confidences: list[float] = field(default_factory=list)
    ink: float = 0.0
    letters: int = 0
    """Letter-sized marks in a ring's text band (its upper-arc strip, which holds the band twice over)."""
    band_px: float = 0.0
    """Width of a ring's text band in the image's pixels."""
    page: int = 0
    shape: str = "ring"
    """'ring' (a round mark), 'shield' or 'badge'."""
    second_reader: str = ""
    """The name of the engine's second reader when the mark was read by it too."""
    core_reads: list[tuple[str, str]] = field(default_factory=list)
    """Each reading of the mark's core (a ring's centre disc, a badge's whole face): the view it read (NATIVE,
    ENLARGED, or the second reader's name: readings of one view are not independent) and its words, as one text."""

    @property
    def text(self) -> str:
        return " ".join(self.words)

    def to_dict(self) -> dict[str, Any]:
        """Everything read, as plain JSON values (the audit's store keeps readings so)."""
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any], page_offset: int = 0) -> MarkReading:
        """A reading from `to_dict`'s values, its page moved on by `page_offset` (its product's other images')."""
        known = {f.name for f in dataclasses.fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["bbox"] = tuple(values["bbox"])
        values["core_reads"] = [tuple(read) for read in values.get("core_reads", [])]
        values["page"] = values.get("page", 0) + page_offset
        return cls(**values)

    @property
    def inked(self) -> bool:
        """Whether a ring's text band holds ink as words on a plain ground do (see MIN_BAND_INK)."""
        return MIN_BAND_INK <= self.ink <= MAX_BAND_INK

    @property
    def has_text(self) -> bool:
        """Whether a ring seems to carry words: ink in its text band, and a word-like reading or letter-sized
        marks there (a blurred arc's letters, though none was read as a word; a logo's few shapes are not),
        or a band too narrow to tell (see LEGIBLE_BAND) or blurred solid (see BLURRED_BAND)."""
        word_like = any(sum(c.isalpha() for c in w) >= 3 for w in self.words)
        too_small = self.band_px < LEGIBLE_BAND and self.ink >= SMALL_BAND_INK
        blurred = self.band_px < BLURRED_BAND and self.ink >= BLURRED_INK
        return self.inked and (word_like or self.letters >= MIN_BAND_LETTERS or too_small or blurred)


def _binarised(gray: np.ndarray, *, strict: bool = False) -> np.ndarray:
    """Dark text on white (Otsu; a dark background inverted). `strict`: the threshold moved halfway from
    Otsu's towards the ink's extreme (see STRICT_PERCENTILE), which keeps only the letters' cores."""
    threshold, binary = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    inverted = (binary == 0).mean() > 0.5
    if strict:
        extreme = np.percentile(gray, 100 - STRICT_PERCENTILE if inverted else STRICT_PERCENTILE)
        _, binary = cv2.threshold(gray, (threshold + extreme) / 2, 255, cv2.THRESH_BINARY)
    return 255 - binary if inverted else binary


def _letter_count(binary: np.ndarray) -> int:
    """Letter-sized marks in a binarised strip (see LETTER_HEIGHT; no wider than the strip is high)."""
    _, _, stats, _ = cv2.connectedComponentsWithStats((binary == 0).astype(np.uint8), connectivity=8)
    height = binary.shape[0]
    heights, widths = stats[1:, cv2.CC_STAT_HEIGHT], stats[1:, cv2.CC_STAT_WIDTH]
    return int(((heights >= LETTER_HEIGHT[0] * height) & (heights <= LETTER_HEIGHT[1] * height)
                & (widths <= height)).sum())


def _padded(part: np.ndarray) -> Image.Image:
    """The part on a white border, as tesseract wants text away from the image's edge."""
    return Image.fromarray(cv2.copyMakeBorder(part, 30, 30, 30, 30, cv2.BORDER_CONSTANT, value=255))


def _add_words(reading: MarkReading, page: OcrPage) -> None:
    """The page's words read confidently enough, each once, added to the reading."""
    _add(reading, [(word.text, word.confidence) for word in page.words if word.confidence >= MIN_WORD_CONFIDENCE])


def _add(reading: MarkReading, words: list[tuple[str, float]]) -> None:
    """Words with their confidences, each once, added to the reading."""
    for text, confidence in words:
        if text not in reading.words:
            reading.words.append(text)
            reading.confidences.append(confidence)


def _enlarged(part: np.ndarray, wanted: int) -> np.ndarray:
    """The part scaled up (never down, at most MAX_ENLARGE×) so its short side is about `wanted` pixels:
    arc letters in a small photo are a few pixels high, far below what tesseract reads."""
    factor = min(MAX_ENLARGE, wanted / max(1, min(part.shape[:2])))
    if factor <= 1.05:
        return part
    return cv2.resize(part, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)


def _sharpened(part: np.ndarray) -> np.ndarray:
    """The part with its edges steepened (unsharp mask; see SHARPEN)."""
    blurred = cv2.GaussianBlur(part, (0, 0), SHARPEN_SIGMA)
    return cv2.addWeighted(part, 1 + SHARPEN, blurred, -SHARPEN, 0)


def read_mark(gray: np.ndarray, ring: Ring, engine: OcrEngine, timeout: float) -> MarkReading:
    """OCR a round mark's arc (both reading directions) and its centre, the mark first turned square-on; a
    small one (see READ_BAND) a second time, enlarged first. A mark that seems to carry words none of which
    names a mark of the catalogue has its centre read once more as one line; one whose band holds ink at all
    is read by the engine's second reader, when it has one (light letters blurred on a dark disc run together
    when binarised, so tesseract reads them as nothing and they count as too few letters, yet the second
    reader, which reads the grey strip, reads them)."""
    reading = MarkReading(ring.bbox, band_px=ring.outer - ring.inner)
    strips, centre = ring_parts(gray, ring)
    _read_ring(reading, strips, centre, engine, timeout, NATIVE)
    if reading.band_px < READ_BAND:
        patch, enlarged = enlarged_around(gray, ring, READ_BAND / max(1.0, reading.band_px))
        _read_ring(reading, *ring_parts(patch, enlarged), engine, timeout, ENLARGED, sharpen=True)
    if not reading.inked or find_seals([_as_page(reading)], within_mark=True):
        return reading
    if reading.has_text and min(centre.shape) >= 8:  # the centre as one line too (see `monogram_seal`)
        page = engine.read(_padded(_binarised(_enlarged(centre, CENTRE_SIDE))), psm=LINE_PSM, timeout=timeout)
        _add_words(reading, page)
        reading.core_reads.append((NATIVE, _confident_text(page)))
    lines = getattr(engine, "lines", None)
    if lines is not None:
        centre_text, centre_score = lines.read_line(centre)
        if centre_score >= MIN_LINE_SCORE:
            reading.core_reads.append((lines.name, centre_text))
            _add(reading, [(word, centre_score) for word in catalogue_words(centre_text)])
        _add(reading, read_arc_lines(strips, lines))
        reading.second_reader = lines.name
    return reading


def _read_ring(reading: MarkReading, strips: list[np.ndarray], centre: np.ndarray, engine: OcrEngine,
               timeout: float, view: str, sharpen: bool = False) -> None:
    """Add to `reading` the words of the ring's arc strips and centre (see `ring_parts`; the centre's as a core
    reading of `view` too), and how much ink and how many letters its band holds (the most either reading saw)."""
    parts = [*strips[:2], centre, *strips[2:]]
    measured = False
    for index, part in enumerate(parts):
        if min(part.shape) < 8:
            continue
        part = _enlarged(part, CENTRE_SIDE if index == 2 else BAND_HEIGHT)
        part = _sharpened(part) if sharpen else part
        binary = _binarised(part)
        if not measured:  # the band (its upper-arc strip) tells whether the mark carries words
            reading.ink = reading.ink or float((binary == 0).mean())
            strict = _letter_count(_binarised(part, strict=True))
            strict = strict if strict >= STRICT_BAND_LETTERS else 0
            reading.letters = max(reading.letters, _letter_count(binary), strict)
            measured = True
        page = engine.read(_padded(binary), psm=SPARSE_TEXT_PSM, timeout=timeout)
        _add_words(reading, page)
        if index == 2:
            reading.core_reads.append((view, _confident_text(page)))


def _confident_text(page: OcrPage) -> str:
    """The words of a page read confidently enough (see MIN_WORD_CONFIDENCE), as one text."""
    return " ".join(word.text for word in page.words if word.confidence >= MIN_WORD_CONFIDENCE)


def read_badge(gray: np.ndarray, badge: Badge, engine: OcrEngine, timeout: float) -> MarkReading:
    """OCR a shield or badge on its own: turned square-on, its outline and frame lines wiped, dark words on a
    light ground whatever its colours, enlarged so its small print reaches a size tesseract reads. Read as
    sparse text first; when that matches nothing, as one block too (the sparse layout analysis drops the
    faint, blurred words of a small mark in a photo that the block reading keeps); when neither matches, by
    the engine's second reader too, if it has one."""
    reading = MarkReading(badge.bbox, shape=badge.shape)
    patch = words_patch(gray, badge, BADGE_INSET)
    if patch is None:
        return reading
    factor = min(MAX_ENLARGE, BADGE_WIDTH / max(1, patch.shape[1]))
    if factor > 1.05:
        patch = cv2.resize(patch, None, fx=factor, fy=factor, interpolation=cv2.INTER_CUBIC)
    image = _padded(patch)
    for psm in (SPARSE_TEXT_PSM, BLOCK_PSM):
        page = engine.read(image, psm=psm, timeout=timeout)
        _add_words(reading, page)
        reading.core_reads.append((NATIVE, _confident_text(page)))
        if find_seals([_as_page(reading)], within_mark=True):
            return reading
    lines = getattr(engine, "lines", None)
    if lines is not None:
        lines_read = read_badge_lines(np.asarray(image), lines)
        reading.core_reads.append((lines.name, " ".join(text for text, _ in lines_read)))
        _add(reading, [(word, score) for text, score in lines_read for word in catalogue_words(text)])
        reading.second_reader = lines.name
    return reading


@dataclass
class FoundMarks:
    """The round marks and the shields and badges found in one image, not yet read."""

    rings: list[Ring]
    badges: list[Badge]


def find_marks(image: Image.Image, *, unrolled: bool = False) -> FoundMarks:
    """Every round mark, shield and badge of an image (no OCR: the pipeline runs it beside the page's OCR).
    `unrolled`: the image is a label unrolled from a bottle, where round marks come out only roughly
    elliptical (and see `find_badges`)."""
    gray = np.asarray(image.convert("L"))
    colour = None if image.mode in ("L", "1") else np.asarray(image.convert("RGB"))
    rings = find_rings(gray, colour=colour, min_support=UNROLLED_SUPPORT if unrolled else MIN_SUPPORT)
    return FoundMarks(rings, find_badges(gray, rings, colour, unrolled=unrolled))


def read_marks(image: Image.Image, engine: OcrEngine, *, timeout: float = 30.0, page: int = 0,
               unrolled: bool = False, found: FoundMarks | None = None) -> list[MarkReading]:
    """Every round mark, shield and badge of an image (`found` by `find_marks`, or found here), read on its own."""
    found = found or find_marks(image, unrolled=unrolled)
    gray = np.asarray(image.convert("L"))
    readings = []
    for ring in found.rings:  # small ones too: their words may be unreadable, but then they are unread marks
        if ring.outer >= MIN_RING_RADIUS:
            readings.append(read_mark(gray, ring, engine, timeout))
    for badge in found.badges:
        readings.append(read_badge(gray, badge, engine, timeout))
    for reading in readings:
        reading.page = page
    return readings


def _as_page(reading: MarkReading) -> OcrPage:
    """The mark's words laid out three to a row from its corner, close enough together for the seal finder to
    combine them (a wide badge's own width would set its words too far apart)."""
    x, y, _, h = reading.bbox
    height = max(8, h // 10)
    words = [
        Word(text, (x + (i % 3) * 3 * height, y + (i // 3) * height, 3 * height, height), conf, 0, i // 3)
        for i, (text, conf) in enumerate(zip(reading.words, reading.confidences))
    ]
    return OcrPage(words=words)


GENERIC_WORDS = frozenset({"dietary", "supplement", "free", "for", "by", "com", "natural", "products", "trusted"})
"""Words of seal phrases that also stand on any label or badge: they do not make a badge look like a seal."""


@functools.lru_cache(maxsize=1)
def _seal_words() -> tuple[str, ...]:
    """The words of the catalogue's certification phrases (third-party and facility marks)."""
    words = {token for entry in load_catalogue().seals if entry.kind != "self-claim"
             for phrase in [*entry.phrases, *entry.mark_phrases] for token in normalise(phrase).split()}
    return tuple(sorted(words - GENERIC_WORDS))


def _looks_like_a_seal(reading: MarkReading) -> bool:
    """Whether some word read from the mark is a word of a certification's name ("NSF", "Certified", "BSCG")."""
    tokens = [t for word in reading.words for t in normalise(word).split()]
    return any(token_score(t, wanted) for t in tokens for wanted in _seal_words())


def _unread(reading: MarkReading) -> bool:
    """Whether a mark that matched nothing in the catalogue may still be a seal whose words were not read. A
    round mark: whenever it seems to carry words (arc letters are misread with high confidence, so even a
    clear reading is no proof). A shield or badge (the finder saw lines of letters in it): when its words
    were not read well, or some of them belong to a certification's name; one read clearly as other words
    ("Non-GMO", "Vegan") is no seal."""
    if reading.shape == "ring":
        return reading.has_text
    sure = [c for w, c in zip(reading.words, reading.confidences) if sum(ch.isalpha() for ch in w) >= 3]
    if not sure or sum(sure) / len(sure) < UNSURE_WORD:
        return True
    return _looks_like_a_seal(reading)


def monogram_seal(reading: MarkReading) -> Seal | None:
    """The mark as a certifier's, known by its initials alone (see the catalogue's monograms): when they were
    read in its core, as a word of their own, in at least MONOGRAM_VIEWS views of it, or in one view with
    SURE_INITIALS confidence."""
    catalogue = load_catalogue()
    views = {view for view, _ in reading.core_reads}
    for monogram in catalogue.monograms:
        found = {view for view, text in reading.core_reads if monogram.letters in normalise(text).split()}
        sure = max((c for w, c in zip(reading.words, reading.confidences) if normalise(w) == monogram.letters),
                   default=0.0)
        if len(found) >= MONOGRAM_VIEWS or (found and sure >= SURE_INITIALS):  # confidence: share of views
            return Seal(program=monogram.id, name=monogram.name, kind=catalogue.kind_of(monogram.programs),
                        method="shape", bbox=reading.bbox, confidence=len(found) / len(views),
                        text=monogram.letters.upper(), page=reading.page, covers=tuple(monogram.programs))
    return None


def certifier_seal(reading: MarkReading) -> Seal | None:
    """The mark as a certifier's, known by the certifier's own name read among its words ("INFORMED" round a
    ring whose other words were lost; see the catalogue's certifiers), which of its programmes not known."""
    catalogue = load_catalogue()
    entries = [mark.as_entry(catalogue.kind_of(mark.programs)) for mark in catalogue.certifiers]
    if not entries or not reading.words:
        return None
    found = find_seals([_as_page(reading)], catalogue.model_copy(update={"seals": entries}), within_mark=True)
    if not found:
        return None
    mark = next(m for m in catalogue.certifiers if m.id == found[0].program)
    found[0].covers = tuple(mark.programs)
    return found[0]


def seals_from_marks(readings: list[MarkReading]) -> tuple[list[Seal], list[MarkReading]]:
    """Seals identified from the marks' own words (method 'shape', box = the mark), or else by a certifier's
    initials or name alone, and the marks that may be seals but matched nothing in the catalogue (not those where
    another reading of the same mark, a ring found inside a shield, say, did match)."""
    seals: list[Seal] = []
    unread: list[MarkReading] = []
    matched: list[MarkReading] = []
    for reading in readings:
        found = find_seals([_as_page(reading)], within_mark=True)
        if not found and (known := monogram_seal(reading) or certifier_seal(reading)) is not None:
            found = [known]
        for seal in found:
            seal.method = "shape"
            seal.bbox = reading.bbox
            seal.page = reading.page
        seals.extend(found)
        if found:
            matched.append(reading)
        elif _unread(reading):
            unread.append(reading)
    unread = [u for u in unread if not any(m.page == u.page and (centre_within(u.bbox, m.bbox)
                                                                  or centre_within(m.bbox, u.bbox))
                                           for m in matched)]
    return seals, unread


def merge_seals(by_text: list[Seal], by_shape: list[Seal]) -> list[Seal]:
    """One seal per program and page: the shape reading where both routes found it (its box is the whole mark)."""
    merged: dict[tuple[str, int], Seal] = {}
    for seal in [*by_text, *by_shape]:
        key = (seal.program, seal.page)
        if key not in merged or seal.method == "shape" or seal.confidence > merged[key].confidence:
            merged[key] = seal
    return list(merged.values())
