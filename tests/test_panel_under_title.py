"""When the first readings found the panel's title but none of its rows, the part of the image under the
title is read on its own (real OCR); when rows were read, nothing more is read."""

from __future__ import annotations

from labelscan.model import OcrPage
from labelscan.ocr import get_engine
from labelscan.ocr.reader import read_image
from labelscan.parse import parse_pages
from labelscan.pipeline import Reading, ScanOptions, read_panel_under_title
from tests.test_reread import panel_image


def test_rows_lost_under_a_title_that_was_read_are_read_from_the_region_below_it():
    image = panel_image()
    whole = read_image(image, get_engine("tesserocr"))
    title_only = OcrPage(words=[w for w in whole.words if w.text in {"Supplement", "Facts"}],
                         width=whole.width, height=whole.height, engine=whole.engine)
    assert parse_pages([title_only]).title is not None and not parse_pages([title_only]).rows
    reading = Reading([title_only], [], [image])
    timings: dict[str, float] = {}
    read_panel_under_title(image, [title_only], ScanOptions(engine_name="tesserocr"), timings, reading)
    assert len(reading.pages) == 2 and reading.pages[1].panel_view
    rows = parse_pages(reading.pages).rows
    assert [(r.name, r.quantity.amount if r.quantity else None) for r in rows] == [("Magnesium", 144), ("Taurine", 250)]
    assert timings["ocr"] > 0


def test_nothing_more_is_read_when_the_rows_were_read():
    image = panel_image()
    whole = read_image(image, get_engine("tesserocr"))
    reading = Reading([whole], [], [image])
    read_panel_under_title(image, [whole], ScanOptions(engine_name="tesserocr"), {}, reading)
    assert len(reading.pages) == 1
