"""The table walker: the panel's table rows one visual line at a time, joining wrapped names and amounts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Evidence, Line, Panel, PanelRow, Word, union_bbox
from .blends import add_components, can_take_components, make_row
from .layout import evidence_of, median_height
from .rows import (PERCENT_ONLY, amount_tail_start, depth_map, ends_with_source, in_open_source, opens_a_bracket,
                   read_row, split_items, without_rules)
from .vocabulary import starts_with_salt_anion, vocabulary

_CONNECTORS = ("and", "of", "as", "from", "with", "&", "(as", "(from")


@dataclass
class Table:
    """Parsing state while walking down the panel's rows."""

    panel: Panel
    words: list[Word] = field(default_factory=list)
    pending: list[Word] = field(default_factory=list)
    """An amount-less row (maybe the first line of a wrapped name) waiting for what follows."""
    pending_text: str = ""
    held: tuple[list[Word], str] | None = None
    """An amount-only line (its name wrapped around it, above and below) waiting for the name's end."""
    list_x: dict[int, float] = field(default_factory=dict)
    """Per blend row (by id): the left edge of its first component line."""


def _open(text: str) -> bool:
    text = text.rstrip()
    return text.count("(") > text.count(")") or text.endswith("-")


def _unclosed(text: str) -> int:
    """How many brackets the text opens and does not close."""
    return max(0, text.count("(") - text.count(")"))


def _starts_its_own_row(text: str) -> bool:
    """Whether a line names a row of its own rather than finishing a name left open above it: it begins with a
    capital ("Zinc", not "magnesium L-threonate)") that is no salt's second word ("L-Threonate (Magtein®))")
    and opens a bracket before it closes one ("Zinc (as zinc picolinate) 10 mg")."""
    first = next((c for c in text if c.isalpha()), "")
    return first.isupper() and not starts_with_salt_anion(text) and opens_a_bracket(text)


def _glue(a: str, b: str) -> str:
    return a + ("" if a.endswith("-") else " ") + b


def _last_takes_components(table: Table) -> bool:
    return bool(table.panel.rows) and can_take_components(table.panel.rows[-1])


def _joinable(table: Table, text: str, starts_with_amount: bool) -> bool:
    """Whether the amount-less pending row and this row are one row wrapped over two lines."""
    prev = table.pending_text.rstrip()
    if starts_with_amount or _open(prev):
        return True
    if _last_takes_components(table):
        return False
    first = text.lstrip()[:1]
    return (prev.endswith(",") or prev.split()[-1].lower() in _CONNECTORS or first.islower() or first in "()"
            or starts_with_salt_anion(text) or (_blend_word_only(text) and not any(c.isdigit() for c in prev)))


def _blend_word_only(text: str) -> bool:
    """Whether the row's name is one blend word alone ("Formula  900 mg"): the end of a name wrapped from the
    line above ("Sleep & Recovery" / "Formula  900 mg"), not a row of its own ("Proprietary Blend" is one)."""
    name = read_row(text).name.lower().split()
    return len(name) == 1 and name[0] in vocabulary().blend_keywords


def name_left_open(text: str) -> bool:
    """Whether a line without an amount leaves its name open for the next line to finish: an unclosed
    parenthesis ("Magnesium (as") or a connector at its end ("Magnesium from")."""
    words = text.split()
    return bool(words) and (_open(text) or words[-1].lower() in _CONNECTORS)


def _continues_name(table: Table, text: str) -> bool:
    """Whether an amount-less line continues the amount-less name waiting above it, whose amount comes on a
    later line ("Elemental Magnesium" / "(as Magnesium" / "L-Threonate)  162 mg"): it opens with a
    parenthesis or a salt's second word, or the name above ends on a connector ("Magnesium (from")."""
    if _last_takes_components(table):
        return False
    prev = table.pending_text.rstrip()
    return (text.lstrip()[:1] == "(" or starts_with_salt_anion(text) or prev.endswith(",")
            or any(word.lower() in _CONNECTORS for word in prev.split()[-1:]))


def _unit_wrapped(prev: str, text: str) -> bool:
    """Whether a line wrapped between an amount's number and its unit ("… L-Threonate) 163" / "mg  39%"), the
    number perhaps read glued to the bracket before it ("(as pyridoxal-5-phosphate)2" / "mg  118%")."""
    last, first = prev.split()[-1:], text.split()[:1]
    return (bool(last) and bool(first) and re.fullmatch(r"(?:\S*\))?\d[\d,.]*", last[0]) is not None
            and first[0].lower().rstrip(",.;:") in vocabulary().units)  # "mg," : a comma read after the unit


def _release(table: Table, close_name: bool = False) -> None:
    """Emit a held amount-only line, with the pending name if any (`close_name`: its open brackets closed
    before the amount, their ")" lost)."""
    if table.held is None:
        return
    words, text = table.held
    table.held = None
    if table.pending:
        name = table.pending_text + ")" * _unclosed(table.pending_text) if close_name else table.pending_text
        words, text = table.pending + words, _glue(name, text)
        table.pending, table.pending_text = [], ""
        _emit(table, words, text)


def _enclosed(text: str) -> str | None:
    """The inside of a text that is one parenthesised group, "(Magtein®)" → "Magtein®", else None."""
    text = text.strip()
    if not (text.startswith("(") and text.endswith(")")):
        return None
    depths = depth_map(text)
    return text[1:-1] if all(d > 0 for d in depths[1:]) else None


def flush(table: Table) -> None:
    """End the waiting: a held amount joins its name; an amount-less row becomes a blend's components, or,
    when it is one parenthesised group, the previous row's forms (its name wrapped: "(Magtein®)"); else is dropped."""
    _release(table)
    if not table.pending:
        return
    inside = _enclosed(table.pending_text)
    last = table.panel.rows[-1] if table.panel.rows else None
    x, h = min(w.bbox[0] for w in table.pending), median_height(table.pending)
    if last is not None and _last_takes_components(table):
        first_x = table.list_x.setdefault(id(last), x)
        if x >= first_x - 0.5 * h:  # a line left of the list's own indent is a row (its amount unread), not a component
            add_components(last, split_items(inside if inside is not None else table.pending_text))
            table.words.extend(table.pending)
    elif (last is not None and last.quantity is not None and _just_below(last, table.pending, h)
          and (inside is not None or _wraps(last, table.pending_text, x, h))):
        reading = read_row(f"{last.name} {table.pending_text}" if inside is None else f"{last.name} ({inside})")
        last.name = reading.name or last.name
        last.forms.extend(f for f in reading.forms + [i for p in reading.parens for i in split_items(p)] if f not in last.forms)
        if last.evidence is not None and last.evidence.bbox:  # the row's evidence covers its whole name
            boxes = [last.evidence.bbox, *(w.bbox for w in table.pending)]
            last.evidence = Evidence(f"{last.evidence.text} {table.pending_text}", union_bbox(boxes),
                                     last.evidence.confidence, last.evidence.page)
        for name, quantity, dv in reading.provided:  # "(providing 154 mg elemental / magnesium)" wrapped under it
            table.panel.rows.append(PanelRow(name=name, quantity=quantity, dv_percent=dv, forms=[last.name],
                                             evidence=last.evidence))
        table.words.extend(table.pending)
    table.pending, table.pending_text = [], ""


def _just_below(row: PanelRow, words: list[Word], h: float) -> bool:
    """Whether `words` start within about a line height under `row` (not text further down the page)."""
    box = row.evidence.bbox if row.evidence else None
    if box is None:
        return True
    return min(w.bbox[1] for w in words) - (box[1] + box[3]) <= 1.2 * h


def _wraps(row: PanelRow, text: str, x: float, h: float) -> bool:
    """Whether an amount-less line, hanging-indented under `row`, is the rest of its name ("Magnesium  1,000 mg" /
    "  L-Threonate (Magtein®)"). Not a list (no commas outside parentheses); only with real word boxes."""
    box = row.evidence.bbox if row.evidence else None
    if box is None or not 0.3 * h <= x - box[0] <= 4 * h:
        return False
    depths = depth_map(text)
    return not any(ch in ",;" and depths[i] == 0 for i, ch in enumerate(text))


def _split_open_amount(line: Line) -> tuple[list[Word], list[Word]] | None:
    """A line whose name is still open when its amount columns come ("Magnesium (as   146 mg  35%"):
    the name's words and the amount words, else None."""
    start = amount_tail_start(line.text)
    if start is None:
        return None
    offset = 0
    for i, word in enumerate(line.words):
        if offset >= start or offset + len(word.text) > start:
            return (line.words[:i], line.words[i:]) if i > 0 else None
        offset += len(word.text) + 1
    return None


def _emit(table: Table, words: list[Word], text: str) -> None:
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


def _continues_list(table: Table, text: str) -> bool:
    """Whether an amount-less line continues the blend's component list waiting before it."""
    prev = table.pending_text.rstrip()
    return _last_takes_components(table) and (prev.endswith(",") or text.lstrip()[:1].islower())


def table_row(table: Table, line: Line) -> None:
    split = _split_open_amount(line)
    if split is not None:
        table_row(table, Line(split[0]))
        if table.pending and table.held is None and _open(table.pending_text):
            table.held = (split[1], " ".join(w.text for w in split[1]))
        else:  # the name did not wait (joined to a row above): read the line whole
            flush(table)
            _emit(table, line.words, line.text)
        return
    text = without_rules(line.text)
    if not text:  # a piece of a table rule read alone ("_"): no words to join to a row, nor a row's end
        return
    reading = read_row(text)
    # an amount, or a %DV, alone on its line: set beside a name wrapped over two lines, it may come between them
    percent_only = PERCENT_ONLY.fullmatch(text.strip()) is not None
    has_amount = reading.quantity is not None or reading.dv is not None or bool(reading.provided) or percent_only
    amount_only = (reading.quantity is not None and not reading.name and not reading.provided) or percent_only
    if (table.held is not None and table.pending and _open(table.pending_text) and _starts_its_own_row(text)
            and (has_amount or any(c.isdigit() for c in text))):
        # "Magnesium (as magnesium L-threonate  148 mg" (its ")" lost) then "Zinc (as zinc picolinate) 10 m": a
        # row of its own (its amount perhaps misread), not the end of the name left open, which ends where its
        # amount columns begin
        _release(table, close_name=True)
    if table.held is not None:
        if amount_only and table.pending:  # "28%" then "119 mg": one row's
            words = sorted(table.held[0] + line.words, key=lambda w: (w.text.endswith("%"), w.bbox[0]))  # %DV last
            table.held = (words, " ".join(w.text for w in words))
            return
        if has_amount and table.pending and _open(table.pending_text):  # "60%" then "citrate)  250 mg"
            held_words, held_text = table.held
            table.held = None
            words, merged = table.pending + line.words + held_words, f"{_glue(table.pending_text, text)} {held_text}"
            table.pending, table.pending_text = [], ""
            _emit(table, words, merged)
            return
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
        flush(table)
    if table.pending:
        if _open(table.pending_text) and ends_with_source(table.pending_text):
            # "Magnesium (from" / "2,000 mg Magnesium" / "L-Threonate)  155 mg": the source's weight
            table.pending, table.pending_text = table.pending + line.words, _glue(table.pending_text, text)
            return
        if _unit_wrapped(table.pending_text, text):
            words, merged = table.pending + line.words, _glue(table.pending_text, text)
            if in_open_source(merged):  # "Magnesium (from 1,500" / "mg": the source's weight, the row goes on
                table.pending, table.pending_text = words, merged
                return
            table.pending, table.pending_text = [], ""
            _emit(table, words, merged)
            return
        if amount_only and (_open(table.pending_text) or percent_only):  # more of the row's amounts may follow
            table.held = (line.words, text)
            return
        if has_amount and _joinable(table, text, amount_only):
            words, merged = table.pending + line.words, _glue(table.pending_text, text)
            table.pending, table.pending_text = [], ""
            _emit(table, words, merged)
            return
        if not has_amount and (_open(table.pending_text) or _continues_list(table, text)
                               or _continues_name(table, text)):
            table.pending, table.pending_text = table.pending + line.words, _glue(table.pending_text, text)
            return
        flush(table)
    if amount_only:
        table.held = (line.words, text)
    elif has_amount:
        _emit(table, line.words, text)
    else:
        table.pending, table.pending_text = list(line.words), text
