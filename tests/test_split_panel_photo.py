"""A panel set out in two columns (title and servings left, rows right) photographed small: the rows that
tesseract reads into the title's lines are the panel's, not the next column's."""

from __future__ import annotations

from pathlib import Path

from labelscan import ScanOptions, load_rules, scan_many

DATA = Path(__file__).resolve().parent / "data"


def test_rows_read_into_the_title_lines_still_name_the_threonate():
    """'Facts   Magnesium L-Threonate 1,000 mg': across a column's gap from the title, past the edge found for
    the panel, but going on to an amount. Left out as the next column, 'not named' and 'no elemental' had
    failed with confidence on this compliant label (generated, seed 2026, low resolution)."""
    options = ScanOptions(packs=load_rules(["magnesium-l-threonate"]))
    result = next(scan_many([DATA / "split-panel-rows-beside-title-lowres.jpg"], options))
    status = {f.id: f.status for f in result.findings}
    assert status["threonate-named"] == "pass"
    assert status["elemental-magnesium-stated"] in ("pass", "unknown")  # never a confident fail: 74 mg is printed
    assert result.verdict != "fail"
