"""The scan pipeline: load → prepare/read → parse → evaluate, one plain function per stage."""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image

from .checks import RulePack, evaluate, load_rules
from .checks.outcome import panel_glare, unparsed_table_lines
from .errors import LabelscanError
from .limits import DEFAULT_LIMITS, Limits
from .model import BBox, Evidence, Label, OcrPage, Panel, ScanResult, union_bbox
from .ocr import OcrEngine, get_engine
from .ocr.pdftext import ENGINE as PDF_TEXT_LAYER
from .ocr.reader import read_image, read_image_and_dark_regions, read_lost_print
from .parse import parse_pages
from .parse.panel import parse_panel
from .parse.layout import panel_anchor_centres
from .reread import doubtful_lines, reread_doubtful_lines
from .seal_shapes import FoundMarks, MarkReading, find_marks, merge_seals, read_marks, seals_from_marks
from .seals import find_seals
from .sources import Document, load
from .vision.cylinder import flatten_cylinder
from .vision.deblur import deblur
from .vision.deskew import deskew
from .vision.glare import glare_regions
from .vision.label_ends import both_ends_in_view
from .vision.light import dark_regions, locally_binarised
from .vision.panel_box import find_panel_quad, is_flat, rectify
from .vision.orient import upright
from .vision.unread_ink import table_right_edge, unread_runs

LOW_CONFIDENCE = 0.60
WELL_READ = 0.80
"""A panel row read below this confidence is worth a second, square-on reading of the panel."""
PANEL_MARGIN = 0.05
"""The panel is cut out for another reading with this margin round the words read of it (a share of its width)."""
PANEL_BELOW = 4.0
"""The square-on panel reading looks this many box heights below the box found (its rows may be ruled off)."""


@dataclass
class ScanOptions:
    """Everything a scan needs besides the input: packs, engine, limits, where to write annotated images."""

    packs: list[RulePack] = field(default_factory=list)
    engine_name: str = "auto"
    limits: Limits = DEFAULT_LIMITS
    annotate_dir: Path | None = None
    marks_beside_ocr: bool = True
    """Seek the seal marks on a second thread while the page is OCRed (an audit worker, one core's worth of
    work in a pool of them, seeks them after)."""
    _engine: OcrEngine | None = field(default=None, repr=False)

    def engine(self) -> OcrEngine:
        """The OCR engine, created on first use (text files and PDF text layers need none)."""
        if self._engine is None:
            self._engine = get_engine(self.engine_name)
        return self._engine


@contextmanager
def _timed(timings: dict[str, float], stage: str) -> Iterator[None]:
    start = time.perf_counter()
    try:
        yield
    finally:
        timings[stage] = timings.get(stage, 0.0) + time.perf_counter() - start


@dataclass
class Reading:
    """What the read stage gives: one OcrPage per page, the round marks read on their own, and each
    page's upright image (the one the boxes refer to; None for text)."""

    pages: list[OcrPage]
    marks: list[MarkReading]
    images: list[Image.Image | None]


def read_document(doc: Document, options: ScanOptions, timings: dict[str, float]) -> Reading:
    """One OcrPage per page (the text layer where there is one, else OCR of the page image turned upright),
    and the round marks of every page image read on their own."""
    reading = Reading([], [], [])
    whole_views: list[int] = []  # the pages that read a whole page image (not a view of its panel)
    for page in doc.pages:
        image = page.image if doc.kind != "text" else None
        found: FoundMarks | None = None
        if page.text_layer is not None:
            ocr_page = page.text_layer
        elif image is not None:
            engine = options.engine()
            with _timed(timings, "prepare"):
                image, _ = deblur(image)  # the camera's shake, in the camera's pixels: before any turn resamples it
                image, rotation = upright(image, engine)
                image, wrapped, ends_in_view = flattened(image)
                image, _ = deskew(image)
                dark = dark_regions(image)
                glare = glare_regions(image)
            # The marks are sought (no OCR) on a second thread while the page is read, or after it (see ScanOptions).
            with ThreadPoolExecutor(max_workers=1) as beside:
                search = beside.submit(find_marks, image, unrolled=wrapped) if options.marks_beside_ocr else None
                with _timed(timings, "ocr"):
                    ocr_page = read_image_and_dark_regions(image, engine, dark, timeout=options.limits.ocr_timeout_s)
                with _timed(timings, "seals"):
                    found = search.result() if search is not None else find_marks(image, unrolled=wrapped)
            ocr_page.orientation, ocr_page.wrapped, ocr_page.glare = rotation, wrapped, glare
            ocr_page.ends_in_view = ends_in_view
        else:
            continue
        reading.pages.append(ocr_page)
        reading.images.append(image)
        if image is not None:
            with _timed(timings, "seals"):
                reading.marks.extend(read_marks(image, options.engine(), timeout=options.limits.ocr_timeout_s,
                                                page=len(reading.pages) - 1, unrolled=ocr_page.wrapped, found=found))
        if image is not None and page.text_layer is None:
            first = len(reading.pages) - 1
            whole_views.append(first)
            read_panel_square_on(image, ocr_page, options, timings, reading)
            read_panel_under_title(image, reading.pages[first:], options, timings, reading)
            read_panel_binarised(image, reading.pages[first:], options, timings, reading)
    ocr_images = [image if page.engine not in ("", PDF_TEXT_LAYER) else None
                  for page, image in zip(reading.pages, reading.images)]
    if any(image is not None for image in ocr_images):
        with _timed(timings, "ocr"):
            reread_doubtful_lines(reading.pages, ocr_images, options.engine(), options.limits.ocr_timeout_s)
        with _timed(timings, "parse"):
            for page, image in zip(reading.pages, ocr_images):
                if image is not None:
                    page.unread = unread_table_print(page, image)
        read_panel_where_print_was_lost(reading, ocr_images, options, timings)
        read_panel_at_another_size(reading, ocr_images, options, timings)
    with _timed(timings, "ocr"):  # last: what it adds must not sway how the panel's stages judge a page
        for index in whole_views:
            if (view := reading.images[index]) is not None:
                read_print_the_page_lost(reading, index, view, options)
    return reading


def read_print_the_page_lost(reading: Reading, index: int, image: Image.Image, options: ScanOptions) -> None:
    """Read again the blocks of print the page's reading left without words (see `read_lost_print`), but not
    in the panel (its own stages read it again, as a whole) nor in a round mark (read on its own). The panel
    is where any reading of the whole image found it (the page itself may not have read its title, where the
    image binarised did). Words that would change the panel's table as the page reads it are not added
    either: a block of the table itself, where the panel's box was read short, comes out garbled."""
    page = reading.pages[index]
    same_view = {i: parse_panel(p) for i, p in enumerate(reading.pages)
                 if (p.width, p.height) == (page.width, page.height)}
    panels = [panel.bbox for panel in same_view.values() if panel.found and panel.bbox is not None]
    skip = [m.bbox for m in reading.marks if m.page == index] + panels
    table = _table_read(same_view[index])
    read_lost_print(page, image, options.engine(), skip, timeout=options.limits.ocr_timeout_s,
                    keep=lambda changed: _table_read(parse_panel(changed)) == table)


def _table_read(panel: Panel) -> tuple[object, ...]:
    """What a page read of the panel's table: its title, rows and table lines, as text."""
    title = panel.title.text if panel.title else None
    return (panel.found, title, [row.text for row in panel.rows], [line.text for line in panel.table_lines])


def read_panel_where_print_was_lost(reading: Reading, ocr_images: list[Image.Image | None], options: ScanOptions,
                                    timings: dict[str, float]) -> None:
    """When the best panel read left runs of print in its table unread (tesseract's layout analysis can drop a
    whole line of a photographed table, or a column of amounts), read the panel cut out of that page once more,
    as a page of its own: on its own, with its own threshold, the table's lines are laid out afresh. Else the
    first reading of the panel cut out (see OcrPage.panel_cut) with unread print is cut out again: the best
    reading may have its rows only because it read another view, less well; and when no reading has a row with
    an amount, the first page with unread print in its table."""
    best = parse_pages(reading.pages)
    if not best.found:
        return
    cut = next((i for i, p in enumerate(reading.pages) if p.panel_cut and p.unread), -1)
    if best.unread_lines:
        page = best.unread_lines[0].page
    elif cut >= 0:
        page = cut
    elif not any(row.quantity is not None for row in best.rows):
        page = next((i for i, p in enumerate(reading.pages) if p.unread), -1)
    else:
        return
    if (crop := _panel_cut(reading, ocr_images, page)) is None:
        return
    read_panel_view(crop, options, timings, reading, cut=True)
    with _timed(timings, "parse"):
        reading.pages[-1].unread = unread_table_print(reading.pages[-1], crop)


def read_panel_at_another_size(reading: Reading, ocr_images: list[Image.Image | None], options: ScanOptions,
                               timings: dict[str, float]) -> None:
    """When lines of the best panel's table are still doubtful after the other stages (not read as rows, or
    read with low confidence), read the panel cut out of their page once more with its print at another size,
    as a page of its own: tesseract's misreading of a line (a rule under it, the gap before its amount column)
    changes with the size of the print, and the parser gives the best panel's garbled lines the rows this view
    read well (see `parse.other_views`); only those: the view's own panel is never taken for the label's."""
    best = parse_pages(reading.pages)
    doubtful = doubtful_lines(Label(pages=reading.pages, panel=best)) if best.found else []
    if not doubtful:
        return
    if (crop := _panel_cut(reading, ocr_images, doubtful[0].page)) is None:
        return
    read_panel_view(crop, options, timings, reading, cut=True, other_size=True)
    reading.pages[-1].fills_only = True  # its own misreadings must not replace the best panel's rows read well


def _panel_cut(reading: Reading, ocr_images: list[Image.Image | None], page: int) -> Image.Image | None:
    """The panel the page read cut out of its image, with a margin, and with the page's unread print (amounts
    to the right of every name read lie outside the box of the words read); None without an image or panel."""
    image = ocr_images[page] if 0 <= page < len(ocr_images) else None
    panel = parse_panel(reading.pages[page]) if image is not None else None
    if image is None or panel is None or panel.bbox is None:
        return None
    x, y, w, h = union_bbox([panel.bbox, *reading.pages[page].unread])
    margin = round(PANEL_MARGIN * w)
    return image.crop((max(0, x - margin), max(0, y - margin), min(image.width, x + w + margin),
                       min(image.height, y + h + margin)))


def unread_table_print(page: OcrPage, image: Image.Image) -> list[BBox]:
    """Runs of print in the page's Supplement Facts table (below its title and serving lines) that the OCR gave
    no words for."""
    panel = parse_panel(page)
    if not panel.found or panel.bbox is None:
        return []
    x, y, w, h = panel.bbox
    heads = [e.bbox for e in (panel.title, panel.serving_size_evidence, panel.servings_per_container_evidence)
             if e is not None and e.bbox is not None]
    top = max([y, *(b[1] + b[3] for b in heads)])
    if y + h - top < 10:
        return []
    gray = np.asarray(image.convert("L"))
    table = (x, top, w, y + h - top)
    right = table_right_edge(gray, page.words, table)  # its rules may reach past the words read: amounts lost
    return unread_runs(gray, page.words, (x, top, right - x, y + h - top))


def flattened(image: Image.Image) -> tuple[Image.Image, bool, bool]:
    """A label wrapped round a bottle (its text lines curve) unrolled flat, True, and whether both its ends
    show in the photo; any other image as it is, False and False."""
    flat = flatten_cylinder(image)
    if flat is None:
        return image, False, False
    return flat[0], True, both_ends_in_view(image, flat[1])


def read_panel_square_on(image: Image.Image, first_reading: OcrPage, options: ScanOptions,
                         timings: dict[str, float], reading: Reading) -> None:
    """Find the Supplement Facts box (the one holding the panel words of the first reading), flatten its
    perspective and read it again, as a page of its own (the parser takes the better panel): in a photo taken
    at an angle, or where the first reading of the panel was poor (glare, uneven light: a crop gets its own
    threshold). Nothing is done for a flat scan read well."""
    with _timed(timings, "prepare"):
        quad = find_panel_quad(image, panel_anchor_centres(first_reading))
        if quad is None or (is_flat(quad) and panel_read_well(first_reading)):
            return
        panel_image = rectify(image, quad, below=PANEL_BELOW)
    read_panel_view(panel_image, options, timings, reading, cut=True)


def read_panel_under_title(image: Image.Image, readings: list[OcrPage], options: ScanOptions,
                           timings: dict[str, float], reading: Reading) -> None:
    """When the panel's title was read but none of its rows (by the whole-image reading nor the square-on one:
    tesseract's layout can lose a table's column among a label's other columns), read the part of the image
    from the title down and to the right on its own, as a page of its own."""
    if any(row.quantity is not None for row in parse_pages(readings).rows):
        return
    title = parse_pages(readings[:1]).title  # where it stands in `image`
    if title is None or title.bbox is None:
        return
    x, y, _, h = title.bbox
    region = (max(0, x - h), max(0, y - h), image.width, image.height)
    read_panel_view(image.crop(region), options, timings, reading)


def read_panel_binarised(image: Image.Image, readings: list[OcrPage], options: ScanOptions,
                         timings: dict[str, float], reading: Reading) -> None:
    """When the panel was not found, or some of its rows (or all) were read without an amount, read the image
    once more binarised locally, as a page of its own: a pale-grey amount column falls on the paper's side
    of tesseract's global threshold, set between black print and white paper, and is lost in a photo; and
    where most of a photo is darker than that threshold (a white label on a dark bottle), tesseract takes the
    label for the print and its text for holes in it, and reads nothing of it. Each pixel compared with its
    own neighbourhood is ink or paper whatever the rest of the photo is."""
    panel = parse_pages(readings)
    if panel.found and panel.rows and all(row.quantity is not None for row in panel.rows):
        return
    with _timed(timings, "prepare"):
        binary = locally_binarised(image)
    with _timed(timings, "ocr"):
        page = read_image(binary, options.engine(), timeout=options.limits.ocr_timeout_s)
    page.glare, page.panel_view = readings[0].glare, True  # the same view: its glare is the first reading's
    reading.pages.append(page)
    reading.images.append(image)


def read_panel_view(view: Image.Image, options: ScanOptions, timings: dict[str, float], reading: Reading,
                    cut: bool = False, other_size: bool = False) -> None:
    """Read a view of the panel (a crop, or the panel turned square on) as a page of its own, its glare marked;
    `cut`: the view is the panel cut out (see OcrPage.panel_cut); `other_size`: its print is read away from
    tesseract's preferred size (see `vision.prepare.OTHER_X_HEIGHTS`)."""
    with _timed(timings, "prepare"):
        glare = glare_regions(view)
    with _timed(timings, "ocr"):
        page = read_image(view, options.engine(), timeout=options.limits.ocr_timeout_s,
                          other_size=other_size)
    page.glare, page.panel_view, page.panel_cut = glare, True, cut
    reading.pages.append(page)
    reading.images.append(view)


def panel_read_well(page: OcrPage) -> bool:
    """Whether the page's panel was found under its title, with rows that carry amounts, each row read with
    good confidence, and no line of its table left out of the rows (a line split between text blocks, or
    read in pieces, leaves one out)."""
    panel = parse_pages([page])
    rows = [row for row in panel.rows if row.quantity is not None]
    return (panel.found and panel.title is not None and bool(rows)
            and all(row.evidence is None or row.evidence.confidence >= WELL_READ for row in rows)
            and not unparsed_table_lines(Label(pages=[page], panel=panel)))


def parse_label(pages: list[OcrPage], marks: list[MarkReading] | None = None) -> Label:
    """Structure what was read: the Supplement Facts panel, the seals (by their words and by their shape),
    and warnings about the reading."""
    by_shape, unread = seals_from_marks(marks or [])
    label = Label(pages=pages, panel=parse_pages(pages), seals=merge_seals(find_seals(pages), by_shape),
                  unread_marks=[Evidence(m.text or f"(unreadable {'round mark' if m.shape == 'ring' else m.shape})",
                                         m.bbox, 0.0, m.page) for m in unread])
    if label.panel.parse_failures:
        label.warnings.append(f"Internal error: the panel parser gave up on {len(label.panel.parse_failures)} "
                              f"reading(s) of the label ({label.panel.parse_failures[0]}); what it would have "
                              "read there is missing. Please report it.")
    if not label.panel.found:
        label.warnings.append("No Supplement Facts panel was found.")
    elif label.panel.confidence < LOW_CONFIDENCE:
        label.warnings.append(f"The panel was read with low OCR confidence ({label.panel.confidence:.0%}).")
    if label.glare:
        where = " including part of the Supplement Facts panel" if panel_glare(label) else ""
        label.warnings.append(f"Glare washes out part of the photo{where}; print there could not be read.")
    return label


def scan_document(doc: Document, options: ScanOptions) -> ScanResult:
    """Scan a loaded document: read, parse, evaluate; annotate if asked."""
    timings: dict[str, float] = {}
    start = time.perf_counter()
    reading = read_document(doc, options, timings)
    pages = reading.pages
    with _timed(timings, "parse"):
        label = parse_label(pages, reading.marks)
    with _timed(timings, "evaluate"):
        findings, verdict = evaluate(label, options.packs)
    timings["total"] = time.perf_counter() - start
    engines = sorted({p.engine for p in pages if p.engine})
    engines.extend(sorted({mark.second_reader for mark in reading.marks if mark.second_reader}))
    first_image = next((image for image in reading.images if image is not None), None)
    result = ScanResult(
        source=doc.source,
        sha256=doc.sha256,
        verdict=verdict,
        findings=findings,
        label=label,
        engine=", ".join(engines),
        timings=timings,
        image_size=first_image.size if first_image is not None else None,
    )
    if options.annotate_dir is not None:
        from .report.annotate import write_annotated

        for index, image in enumerate(reading.images):
            if image is not None:
                write_annotated(result, image, options.annotate_dir, page=index if len(reading.images) > 1 else None)
    return result


def error_result(source: str, exc: LabelscanError, sha256: str = "") -> ScanResult:
    """The result for an input that could not be scanned at all."""
    return ScanResult(source=source, sha256=sha256, verdict="error", error=str(exc), exit_code=int(exc.exit_code))


def scan(path: str | Path, rules: Iterable[str] | None = None, engine: str = "auto",
         annotate_dir: str | Path | None = None, limits: Limits = DEFAULT_LIMITS) -> ScanResult:
    """Scan one label (image, PDF, text file or '-') and check it against the packs named (default: all that apply).

    Raises RulePackError or MissingDependencyError for problems that affect every input;
    an unreadable input gives a ScanResult with verdict 'error'.
    """
    options = ScanOptions(
        packs=load_rules(list(rules) if rules else None),
        engine_name=engine,
        limits=limits,
        annotate_dir=Path(annotate_dir) if annotate_dir else None,
    )
    return next(scan_many([path], options))


def scan_many(paths: Iterable[str | Path], options: ScanOptions) -> Iterator[ScanResult]:
    """Scan inputs one after another; one bad input gives an error result and the rest go on."""
    for path in paths:
        try:
            doc = load(path, options.limits)
        except LabelscanError as exc:
            yield error_result(str(path), exc)
            continue
        try:
            yield scan_document(doc, options)
        except LabelscanError as exc:
            if exc.exit_code == 3:  # a missing engine affects every input: stop and say so
                raise
            yield error_result(doc.source, exc, doc.sha256)
