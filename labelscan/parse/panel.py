"""The Supplement Facts panel of a page (or of the best of several pages) as a structured Panel."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import Evidence, Line, OcrPage, Panel, PanelRow, Word, union_bbox
from .blends import add_components, can_take_components, make_row
from .directions import find_directions, serving_units, servings_per_day
from .ingredients import find_other_ingredients
from .layout import Anchor, build_rows, evidence_of, locate_anchors, panel_words
from .rows import read_row, split_items
from .servings import read_serving_size, read_servings_per_container
from .vocabulary import contains_phrase, starts_with_phrase, vocabulary

_CONNECTORS = ("and", "of", "as", "from", "with", "&", "(as", "(from")


@dataclass
class _Table:
    """Parsing state while walking down the panel's rows."""

    panel: Panel
    words: list[Word] = field(default_factory=list)
    pending: list[Word] = field(default_factory=list)
    """An amount-less row (maybe the first line of a wrapped name) waiting for what follows."""
    pending_text: str = ""
    held: tuple[list[Word], str] | None = None
    """An amount-only line (its name wrapped around it, above and below) waiting for the name's end."""


def _open(text: str) -> bool:
    text = text.rstrip()
    return text.count("(") > text.count(")") or text.endswith("-")


def _glue(a: str, b: str) -> str:
    return a + ("" if a.endswith("-") else " ") + b


def _last_takes_components(table: _Table) -> bool:
    return bool(table.panel.rows) and can_take_components(table.panel.rows[-1])


def _joinable(table: _Table, text: str, starts_with_amount: bool) -> bool:
    """Whether the amount-less pending row and this row are one row wrapped over two lines."""
    prev = table.pending_text.rstrip()
    if starts_with_amount or _open(prev):
        return True
    if _last_takes_components(table):
        return False
    first = text.lstrip()[:1]
    return prev.endswith(",") or prev.split()[-1].lower() in _CONNECTORS or first.islower() or first in "()"


def _release(table: _Table) -> None:
    """Emit a held amount-only line, with the pending name if any."""
    if table.held is None:
        return
    words, text = table.held
    table.held = None
    if table.pending:
        words, text = table.pending + words, _glue(table.pending_text, text)
        table.pending, table.pending_text = [], ""
        _emit(table, words, text)


def _flush(table: _Table) -> None:
    """End the waiting: a held amount joins its name; an amount-less row becomes a blend's components, else is dropped."""
    _release(table)
    if not table.pending:
        return
    if _last_takes_components(table):
        add_components(table.panel.rows[-1], split_items(table.pending_text))
        table.words.extend(table.pending)
    table.pending, table.pending_text = [], ""


def _emit(table: _Table, words: list[Word], text: str) -> None:
    reading = read_row(text)
    evidence = evidence_of(words)
    if evidence is not None:
        evidence.text = text
    if reading.quantity is None and not reading.name and reading.provided:
        last = table.panel.rows[-1] if table.panel.rows else None
        for name, quantity, dv in reading.provided:
            forms = [last.name] if last else []
            table.panel.rows.append(PanelRow(name=name, quantity=quantity, dv_percent=dv, forms=forms, evidence=evidence))
        table.words.extend(words)
        return
    if not reading.name:
        return  # an amount without any name: nothing to attach it to
    row = make_row(reading)
    row.evidence = evidence
    table.panel.rows.append(row)
    for name, quantity, dv in reading.provided:
        table.panel.rows.append(PanelRow(name=name, quantity=quantity, dv_percent=dv, forms=[row.name], evidence=evidence))
    table.words.extend(words)


def _table_row(table: _Table, line: Line) -> None:
    text = line.text
    reading = read_row(text)
    has_amount = reading.quantity is not None or reading.dv is not None or bool(reading.provided)
    amount_only = reading.quantity is not None and not reading.name and not reading.provided
    if table.held is not None:
        if not has_amount and table.pending and _open(table.pending_text):
            table.pending, table.pending_text = table.pending + line.words, _glue(table.pending_text, text)
            if not _open(table.pending_text):
                _release(table)
            return
        if not has_amount and not table.pending and not _last_takes_components(table):
            words, held_text = table.held
            table.held = None
            _emit(table, line.words + words, f"{text} {held_text}")
            return
        _flush(table)
    if table.pending:
        if amount_only and _open(table.pending_text):
            table.held = (line.words, text)
            return
        if has_amount and _joinable(table, text, amount_only):
            words, merged = table.pending + line.words, _glue(table.pending_text, text)
            table.pending, table.pending_text = [], ""
            _emit(table, words, merged)
            return
        if not has_amount and _open(table.pending_text):
            table.pending, table.pending_text = table.pending + line.words, _glue(table.pending_text, text)
            return
        _flush(table)
    if amount_only:
        table.held = (line.words, text)
    elif has_amount:
        _emit(table, line.words, text)
    else:
        table.pending, table.pending_text = list(line.words), text


def _is_anchor_row(line: Line, anchors: list[Anchor | None]) -> bool:
    return any(a is not None and any(w in a.words for w in line.words) for a in anchors)


def _read_rows(rows: list[Line], panel: Panel, title: Anchor | None, headers: list[Anchor | None]) -> tuple[list[Word], int]:
    """Walk the panel's rows: head lines, table rows, footnotes. Returns the panel's words and where the table ended."""
    vocab = vocabulary()
    table = _Table(panel)
    state, end = "head", len(rows)
    for i, line in enumerate(rows):
        text = line.text
        if contains_phrase(text, vocab.footnote_dagger) >= 88:
            _flush(table)
            panel.dagger_footnote = panel.dagger_footnote or evidence_of(line.words)
            table.words.extend(line.words)
            state, end = "after", min(end, i + 1)
            continue
        if state == "after":
            continue
        if contains_phrase(text, vocab.footnote_percent) >= 88:
            _flush(table)
            table.words.extend(line.words)
            state, end = "after", i + 1
            continue
        if _is_anchor_row(line, [title, *headers]):
            table.words.extend(line.words)
            state = "table" if _is_anchor_row(line, headers) else state
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
            _flush(table)
            state, end = "after", i
            continue
        if state == "head":
            if headers or read_row(text).quantity is None:
                continue  # with a column header, the table starts there; without one, at the first amount
            state = "table"
        _table_row(table, line)
    _flush(table)
    return table.words, end


def _parse_panel(page: OcrPage) -> Panel:
    """parse_panel without the safety net (tests call it to see real errors)."""
    if not page.words:
        return Panel()
    title, header, dv = locate_anchors(page)
    if title is None and header is None:
        return Panel()
    headers = [a for a in (header, dv) if a is not None]
    rows = build_rows(panel_words(page, title, headers, dv))
    panel = Panel(found=True, title=evidence_of(title.words) if title else None)
    words, end = _read_rows(rows, panel, title, headers)
    panel.other_ingredients, panel.other_ingredients_evidence = find_other_ingredients(rows[end:])
    if panel.other_ingredients_evidence is None:
        panel.other_ingredients, panel.other_ingredients_evidence = find_other_ingredients(page.lines())
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
    except Exception:  # noqa: BLE001 - OCR text is arbitrary; a parser bug must not stop a scan
        return Panel()


def parse_text(text: str) -> Panel:
    """The panel in plain text (one line per text line)."""
    try:
        return parse_panel(OcrPage.from_text(text if isinstance(text, str) else ""))
    except Exception:  # noqa: BLE001
        return Panel()


def _evidences(panel: Panel) -> list[Evidence]:
    found = [panel.title, panel.serving_size_evidence, panel.servings_per_container_evidence,
             panel.other_ingredients_evidence, panel.dagger_footnote, panel.directions]
    found += [r.evidence for r in panel.rows]
    return [e for e in found if e is not None]


def _score(panel: Panel) -> tuple[bool, int, int, float]:
    amounts = sum(1 for r in panel.rows if r.quantity is not None)
    return panel.found, amounts, len(panel.rows), panel.confidence


def parse_pages(pages: list[OcrPage]) -> Panel:
    """The best panel found on any page (evidence carries its page index); directions and other
    ingredients missing from that page are looked for on the other pages."""
    panels = [parse_panel(page) for page in pages]
    if not panels:
        return Panel()
    for index, panel in enumerate(panels):
        for evidence in _evidences(panel):
            evidence.page = index
    best_index = max(range(len(panels)), key=lambda i: _score(panels[i]))
    best = panels[best_index]
    if not best.found:
        return best
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
