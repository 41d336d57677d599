"""The Supplement Facts panel of a page (or of the best of several pages) as a structured Panel."""

from __future__ import annotations

from ..model import Evidence, Line, OcrPage, Panel, Word, union_bbox
from ..textmatch import LEGIBLE_WORD
from .columns import column_split, side_anchors, split_rows
from .directions import find_directions, serving_units, servings_per_day
from .ingredients import find_other_ingredients
from .layout import (Anchor, build_rows, evidence_of, locate_anchors, median_height, panel_words,
                     without_ghosts, without_leader_dots)
from .other_views import fill_from_other_views, mend_cut_rows
from .rows import amount_tail_start, read_row
from .servings import read_serving_size, read_servings_per_container
from .table import Table, flush, name_left_open, table_row
from .vocabulary import contains_phrase, starts_with_phrase, vocabulary


def _is_anchor_row(line: Line, anchors: list[Anchor | None]) -> bool:
    return any(a is not None and any(w in a.words for w in line.words) for a in anchors)


def _read_rows(rows: list[Line], panel: Panel, title: Anchor | None, headers: list[Anchor | None]) -> tuple[list[Word], int]:
    """Walk the panel's rows: head lines, table rows, footnotes. Returns the panel's words and where the table ended."""
    vocab = vocabulary()
    table = Table(panel)
    state, end = "head", len(rows)
    opened: Line | None = None  # a head line left open ("Magnesium (as"): without a header, it starts the first row
    for i, line in enumerate(rows):
        text = line.text
        if contains_phrase(text, vocab.footnote_dagger) >= 88:
            flush(table)
            panel.dagger_footnote = panel.dagger_footnote or evidence_of(line.words)
            table.words.extend(line.words)
            state, end = "after", min(end, i + 1)
            continue
        if state == "after":
            continue
        if contains_phrase(text, vocab.footnote_percent) >= 88:
            flush(table)
            table.words.extend(line.words)
            state, end = "after", i + 1
            continue
        if _is_anchor_row(line, [title, *headers]):
            table.words.extend(line.words)
            state = "table" if _is_anchor_row(line, headers) else state
            anchor_words = [w for a in (title, *headers) if a is not None for w in a.words]
            rest = [w for w in line.words if w not in anchor_words and any(c.isalpha() for c in w.text)]
            if rest and (evidence := evidence_of(rest)) is not None:  # a row read into the heading's line
                panel.table_lines.append(evidence)
            continue
        size = read_serving_size(line) if panel.serving_size is None else None
        count = read_servings_per_container(line) if panel.servings_per_container is None else None
        if size or count:
            if size:
                panel.serving_size, panel.serving_size_evidence = size
            if count:
                panel.servings_per_container, panel.servings_per_container_evidence = count
            table.words.extend(line.words)
            continue
        if starts_with_phrase(text, vocab.section_headings, 88.0):
            flush(table)
            state, end = "after", i
            continue
        if (evidence := evidence_of(line.words)) is not None:  # head lines too: a row whose amount OCR lost
            panel.table_lines.append(evidence)
        if state == "head":
            if headers or (read_row(text).quantity is None and amount_tail_start(text) is None):
                opened = line if name_left_open(text) else None
                continue  # with a column header, the table starts there; without one, at the first amount
            state = "table"
            if opened is not None and rows[i - 1] is opened:  # "Magnesium (as" / "magnesium L-threonate) 163 mg"
                table_row(table, opened)
        table_row(table, line)
    flush(table)
    return table.words, end


def _parse_panel(page: OcrPage) -> Panel:
    """parse_panel without the safety net (tests call it to see real errors)."""
    if not page.words:
        return Panel()
    title, header, dv = locate_anchors(page)
    if title is None and header is None:
        return Panel()
    headers = [a for a in (header, dv) if a is not None]
    side = side_anchors(page.lines(), headers, median_height(page.words)) if title is None else []
    words = without_ghosts(panel_words(page, title, headers + side, dv))
    h = median_height(words)
    rows = [without_leader_dots(row, h) for row in build_rows(words)]
    split = column_split(rows, title, headers, h)
    if split is not None:
        rows = split_rows(rows, split, title, min(a.bbox[1] for a in headers), h)
    panel = Panel(found=True, title=evidence_of(title.words) if title else None)
    words, end = _read_rows(rows, panel, title, headers)
    panel.other_ingredients, panel.other_ingredients_evidence = find_other_ingredients(rows[end:])
    if panel.other_ingredients_evidence is None:
        panel.other_ingredients, panel.other_ingredients_evidence = find_other_ingredients(page.lines())
    panel.directions, dose = find_directions(rows[end:])
    if panel.directions is None:  # the panel region's rows are cut to its columns; the page's lines are not
        panel.directions, dose = find_directions(page.lines())
    panel.servings_per_day = servings_per_day(dose, serving_units(panel.serving_size))
    panel.bbox = union_bbox([w.bbox for w in words])
    panel.confidence = sum(w.confidence for w in words) / len(words) if words else 0.0
    return panel


def parse_panel(page: OcrPage) -> Panel:
    """The Supplement Facts panel on one page; an empty Panel (found=False) when none is found.

    Never raises on any OCR text; only a missing or broken rules/vocabulary.yaml raises (RulePackError).
    """
    vocabulary()
    try:
        return _parse_panel(page)
    except Exception as exc:  # noqa: BLE001 - OCR text is arbitrary; a parser bug must not stop a scan
        return Panel(parse_failures=[f"{type(exc).__name__}: {exc}"])


def parse_text(text: str) -> Panel:
    """The panel in plain text (one line per text line)."""
    try:
        return parse_panel(OcrPage.from_text(text if isinstance(text, str) else ""))
    except Exception:  # noqa: BLE001
        return Panel()


def _evidences(panel: Panel) -> list[Evidence]:
    found = [panel.title, panel.serving_size_evidence, panel.servings_per_container_evidence,
             panel.other_ingredients_evidence, panel.dagger_footnote, panel.directions]
    found += [r.evidence for r in panel.rows] + panel.table_lines
    return [e for e in found if e is not None]


def _score(panel: Panel) -> tuple[bool, int, int, int, int, float]:
    """Panels compare by: found, rows with a name and an amount, rows with an amount, rows, fewer runs of print
    left unread, confidence. A row whose name was lost ("eS 158 mg") is a row split from its name: a view that
    read the same rows whole is the better one."""
    amounts = [r for r in panel.rows if r.quantity is not None]
    named = sum(1 for r in amounts if LEGIBLE_WORD.search(" ".join([r.name, *r.forms])))
    return panel.found, named, len(amounts), len(panel.rows), -len(panel.unread_lines), panel.confidence


UNREAD_PRINT = "(print the OCR gave no words for)"
"""The text of the evidence that marks a run of print in the table that was not read."""


def parse_pages(pages: list[OcrPage]) -> Panel:
    """The best panel found on any page (evidence carries its page index); directions and other
    ingredients missing from that page are looked for on the other pages."""
    panels = [parse_panel(page) for page in pages]
    if not panels:
        return Panel()
    for index, (panel, page) in enumerate(zip(panels, pages)):
        if panel.found:
            panel.unread_lines = [Evidence(UNREAD_PRINT, box, 0.0, index) for box in page.unread]
        for evidence in _evidences(panel):
            evidence.page = index
    candidates = [i for i, page in enumerate(pages) if not page.fills_only] or list(range(len(panels)))
    best_index = max(candidates, key=lambda i: _score(panels[i]))
    best = panels[best_index]
    best.parse_failures = [failure for panel in panels for failure in panel.parse_failures]
    if not best.found:
        return best
    best.other_readings = [panel for index, panel in enumerate(panels) if index != best_index and panel.found]
    fill_from_other_views(best, best.other_readings)
    mend_cut_rows(best, best.other_readings)
    for index, page in enumerate(pages):
        if index == best_index:
            continue
        try:
            if best.directions is None:
                evidence, dose = find_directions(page.lines())
                if evidence is not None:
                    evidence.page = index
                    best.directions = evidence
                    best.servings_per_day = servings_per_day(dose, serving_units(best.serving_size))
            if best.other_ingredients_evidence is None:
                items, evidence = find_other_ingredients(page.lines())
                if evidence is not None:
                    evidence.page = index
                    best.other_ingredients, best.other_ingredients_evidence = items, evidence
        except Exception:  # noqa: BLE001
            continue
    return best


__all__ = ["parse_panel", "parse_pages", "parse_text"]
