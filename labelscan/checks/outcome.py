"""What a check function returns, and the thresholds that decide when evidence is strong enough."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

from pydantic import BaseModel
from rapidfuzz import fuzz

from ..model import BBox, Evidence, Label, PanelRow, Status, boxes_overlap, centre_within, within_row
from ..parse.other_views import unparsed_lines
from ..parse.vocabulary import is_salt_anion, vocabulary
from ..textmatch import LEGIBLE_WORD, normalise
from ..vision.glare import WASHED_OUT

MIN_CONFIDENCE_FOR_ABSENCE = 0.60
"""A check may conclude that something is absent (and pass or fail on that) only when the text
it looked in was read with at least this mean OCR confidence; below it the answer is 'unknown'."""


@dataclass
class Outcome:
    """A check's status, its plain-words message, the evidence and any value it read."""

    status: Status
    message: str
    evidence: list[Evidence] = field(default_factory=list)
    value: dict[str, Any] | None = None


CheckFunction = Callable[[Label, Any], Outcome]


@dataclass(frozen=True)
class CheckKind:
    """A kind of check: its parameter model (validated from the pack) and its function."""

    params: type[BaseModel]
    run: CheckFunction
    summary: str


def row_evidence(row: PanelRow) -> Evidence:
    """The evidence of a panel row (its text and box), or its name when it has no box."""
    return row.evidence or Evidence(row.name)


def panel_missing(label: Label) -> Outcome | None:
    """'unknown' when there is no Supplement Facts panel (or none of its rows) to look in; None when there is."""
    if not label.panel.found:
        return Outcome("unknown", "The Supplement Facts panel could not be found or read, so this cannot be checked.")
    if not any(row.quantity is not None for row in label.panel.rows):
        return Outcome("unknown", "The Supplement Facts panel was found but its rows could not be read, so this cannot be checked.")
    return None


def nameless_rows(label: Label) -> list[Evidence]:
    """Rows with an amount whose name (and source, "D3 (as cholecalciferol)") holds no word of three letters or
    more ("ee 1,200 mg"), or only such words the OCR all but guessed ("PARENOCSIOIN 76 mg", see
    LEGIBLE_CONFIDENCE): the OCR lost the name, so the row may be any ingredient, the one a check looks for too."""
    return [row_evidence(row) for row in label.panel.rows if row.quantity is not None and not _name_read(label, row)]


LEGIBLE_CONFIDENCE = 0.3
"""...read with at least this OCR confidence: tesseract gives a run of letters it guessed at from a blurred
word ("PARENOCSIOIN" for "Magnesium") a confidence near 0; a word it read, even poorly, far more."""


def _name_read(label: Label, row: PanelRow) -> bool:
    """Whether the row's name (or source) holds a legible word (see LEGIBLE_WORD) that the OCR read with at
    least LEGIBLE_CONFIDENCE, judged on the words of its page within the row's box (where they cannot be
    found, on the name's letters alone)."""
    name = " ".join([row.name, *row.forms])
    if not LEGIBLE_WORD.search(name):
        return False
    box, page = (row.evidence.bbox, row.evidence.page) if row.evidence is not None else (None, 0)
    if box is None or not 0 <= page < len(label.pages):
        return True
    tokens = set(normalise(name).split())
    words = [w for w in label.pages[page].words
             if centre_within(w.bbox, box) and LEGIBLE_WORD.search(w.text) and tokens & set(normalise(w.text).split())]
    return not words or any(w.confidence >= LEGIBLE_CONFIDENCE for w in words)


def lost_amount_lines(label: Label, about: list[str]) -> list[Evidence]:
    """Lines of the rows table that hold a number yet did not become a row ("peers 75": the OCR garbled the
    name and lost the unit): an amount of some ingredient, perhaps the one a check `about` these looks for."""
    return [line for line in unparsed_table_lines(label)
            if WORD_INITIAL_NUMBER.search(_NAME_NUMBER.sub("-", line.text)) and not _footnote_part(line.text)
            and not _serving_line(line.text)
            and not _names_another(line.text, about) and not names_only_compounds(line.text, about)]


def names_only_compounds(text: str, about: list[str]) -> bool:
    """Whether the text mentions one of the single-word names `about` (a nutrient: "magnesium"), and every such
    mention is the first word of a salt ("Magnesium L-Threonate 1,000", its unit lost): its number is the
    compound's weight, not the nutrient's."""
    tokens = normalise(text).split()
    wanted = [normalise(name) for name in about if len(normalise(name).split()) == 1]
    mentions = [i for i, token in enumerate(tokens) if any(fuzz.ratio(token, w) >= LOST_WORD_MATCH for w in wanted)]
    return bool(mentions) and all(is_salt_anion(tokens[i + 1] if i + 1 < len(tokens) else "")
                                  or is_salt_anion("".join(tokens[i + 1:i + 3])) for i in mentions)


def _serving_line(text: str) -> bool:
    """Whether the line reads as the panel's serving size or servings per container ("Ng Size 2 Capsules"; "Per
    Con tainer 30", a word split in two by the OCR): its number is the serving's, not a lost amount."""
    vocab = vocabulary()
    tokens = normalise(text).split()
    pairs = [first + second for first, second in zip(tokens, tokens[1:])]
    return bool(_wording_tokens(tokens + pairs, vocab.serving_size + vocab.servings_per_container))


def _wording_tokens(tokens: list[str], phrases: list[str]) -> list[str]:
    """The tokens that are, give or take OCR noise, words of four letters or more of the `phrases`."""
    words = {w for phrase in phrases for w in phrase.split() if len(w) >= 4}
    return [t for t in tokens if any(fuzz.ratio(t, w) >= WORDING_MATCH for w in words)]


def _names_another(text: str, about: list[str]) -> bool:
    """Whether the line begins with the name of a nutrient that is none of those the check is `about`
    ("Vitamin B6 (as …) mg 11" for a magnesium check): its lost amount is that nutrient's."""
    words = normalise(text).split()
    wanted = " ".join(normalise(name) for name in about)
    return any(" ".join(words[:len(name.split())]) == name and name not in wanted for name in vocabulary().reference_dv)


def _footnote_part(text: str) -> bool:
    """Whether the line reads as (a piece of) the panel's footnote: "pased on a 2,000 calorie" is the percent
    footnote wrapped, not a lost amount; so is "| based 2,000 calorie AAT Awin |", whose noise spoils the
    whole line's likeness but which holds three of the footnote's words and little else."""
    hay = normalise(text)
    vocab = vocabulary()
    phrases = vocab.footnote_percent + vocab.footnote_dagger
    if len(hay) >= 8 and any(fuzz.partial_ratio(hay, phrase) >= FOOTNOTE_PART for phrase in phrases):
        return True
    tokens = re.sub(r"(?<=\d) (?=\d{3}\b)", "", hay).split()  # "2 000" is one number, as in the wording
    known = _wording_tokens(tokens, phrases)
    return len(known) >= FOOTNOTE_WORDS and 2 * len(known) > len(tokens)


FOOTNOTE_PART = 85.0
"""Least similarity (0–100) of a line to some stretch of a footnote's wording for it to be that footnote."""
WORDING_MATCH = 85.0
"""Least similarity (0–100) of an OCR token to a word of the panel's fixed wording (footnote, serving lines)."""
FOOTNOTE_WORDS = 3
"""A line holding this many of the footnote's words (of four letters or more), making up more than half its
words, is a piece of the footnote."""


WORD_INITIAL_NUMBER = re.compile(r"(?:^|[\s(~=-])\d")
"""A digit that begins a word: a number ("75", "2,000mg"), not part of a name ("Vitamin D3", "B12")."""
_NAME_NUMBER = re.compile(r"(?<=[A-Za-z])-\d+-(?=[A-Za-z])")
"""A number set between hyphens inside a chemical name ("pyridoxal-5-phosphate"): no amount."""


def panel_reliable(label: Label) -> bool:
    """Whether the panel was read well enough to conclude that something is NOT on it: found, with rows
    that carry amounts, and a mean OCR confidence above the threshold."""
    return (label.panel.found and any(row.quantity is not None for row in label.panel.rows)
            and label.panel.confidence >= MIN_CONFIDENCE_FOR_ABSENCE)


MIN_ROW_CONFIDENCE = 0.80
"""A row that bears on a check (the evidence of an absence) must be read at least this well for a 'fail'."""


PANEL_MARGIN = 0.15
"""Glare this far (a share of the panel's width and height) beyond the words read of the panel may hide its rows:
above or below them (rows lost at its top or bottom, unless its title or its closing lines were read), or beside
them (a column lost), not off a corner, where no row of the panel reaches."""
GLARE = f"({WASHED_OUT})"
"""The text of the evidence that marks a glare area."""


def _panel_place(label: Label) -> tuple[int, BBox] | None:
    """The page the panel was read from and the box of its words there, or None."""
    panel = label.panel
    found = [e for e in (panel.title, *(r.evidence for r in panel.rows), *panel.table_lines) if e is not None]
    if panel.bbox is None or not found or found[0].page >= len(label.pages):
        return None
    return found[0].page, panel.bbox


def panel_glare(label: Label) -> list[Evidence]:
    """The glare areas on or next to the Supplement Facts panel (on the page its words were read from): not
    above its title nor below its closing footnote or "Other ingredients", where none of its rows can be."""
    if (place := _panel_place(label)) is None:
        return []
    page, (x, y, w, h) = place
    panel = label.panel
    dx, dy = round(PANEL_MARGIN * w), round(PANEL_MARGIN * h)
    top, bottom = y - dy, y + h + dy
    if (title := _over_the_panel(panel.title, page, x, w)) is not None and title[1] < y + h / 2:
        top = max(top, title[1] + title[3])
    for line in (panel.dagger_footnote, panel.other_ingredients_evidence):
        if (closing := _over_the_panel(line, page, x, w)) is not None and closing[1] > y + h / 2:
            bottom = min(bottom, closing[1])
    across, down = (x - dx, y, w + 2 * dx, h), (x, top, w, max(0, bottom - top))
    return [Evidence(GLARE, box, 0.0, page) for box in label.pages[page].glare
            if boxes_overlap(box, across) or boxes_overlap(box, down)]


def _over_the_panel(line: Evidence | None, page: int, x: int, w: int) -> BBox | None:
    """The box of a line read on `page` within the panel's columns (x, w), else None."""
    if line is None or line.bbox is None or line.page != page:
        return None
    return line.bbox if line.bbox[0] < x + w and line.bbox[0] + line.bbox[2] > x else None


def label_glare(label: Label) -> list[Evidence]:
    """Every glare area on the label, where any print (a statement, a claim) may be lost."""
    return [Evidence(GLARE, box, 0.0, page) for page, box in label.glare]


def off_panel_glare(label: Label) -> list[Evidence]:
    """The glare areas that may hide a seal: not on a square-on view of the panel, nor inside the panel's box
    (seals are not printed within the Supplement Facts table)."""
    place = _panel_place(label)
    return [Evidence(GLARE, box, 0.0, page) for page, box in label.glare
            if not label.pages[page].panel_view and not (place and page == place[0] and _inside(box, place[1]))]


def _inside(a: BBox, b: BBox) -> bool:
    return b[0] <= a[0] and b[1] <= a[1] and a[0] + a[2] <= b[0] + b[2] and a[1] + a[3] <= b[1] + b[3]


def under_glare(message: str, glare: list[Evidence], where: str, evidence: list[Evidence] | None = None) -> Outcome:
    """'unknown': what the check did not find may be printed under glare."""
    return Outcome("unknown", f"{message.rstrip('.')}, but glare washes out part of {where}, so it may be printed "
                   "there unread; check the label by eye or photograph it without the reflection.",
                   (evidence or []) + glare)


def whole_bottle_label(label: Label) -> str:
    """What a conclusion that something is missing rests on for a label unrolled from a bottle whose two ends
    show in the photo (empty for any other label)."""
    if label.whole_on_a_bottle:
        return " Both ends of the label wrapped round the bottle show in the photo: none of it is round the back."
    return ""


def out_of_view(message: str, evidence: list[Evidence] | None = None) -> Outcome:
    """'unknown': what the check did not find may be printed on the side of the bottle the photo does not show."""
    return Outcome("unknown", f"{message.rstrip('.')}, but the label wraps round a bottle and the photo shows one side "
                   "of it, so it may be printed on the side not photographed.", evidence or [])


def absent(label: Label, message: str, evidence: list[Evidence] | None = None,
           settled: list[Evidence] | None = None) -> Outcome:
    """A 'fail' for something missing from the panel, or 'unknown' when the panel — or a row that bears on
    the question — was read too poorly to be sure, or glare washes out part of it. `settled`: rows shown as
    evidence too, whose reading, however poor, cannot be what is missing (their confidence is not judged)."""
    doubtful = [e for e in evidence or [] if e.confidence < MIN_ROW_CONFIDENCE]
    evidence = (evidence or []) + (settled or [])
    if glare := panel_glare(label):
        return under_glare(message, glare, "the Supplement Facts panel", evidence)
    if panel_reliable(label) and not doubtful:
        return Outcome("fail", message, evidence)
    if doubtful:
        pct = round(doubtful[0].confidence * 100)
        return Outcome(
            "unknown",
            f"{message.rstrip('.')}, but the row \"{doubtful[0].text}\" was read with low "
            f"confidence ({pct}%) and may say otherwise.",
            evidence,
        )
    pct = round(label.panel.confidence * 100)
    return Outcome(
        "unknown",
        f"{message.rstrip('.')}, but the panel was read with low confidence ({pct}%), so it may have been missed.",
        evidence,
    )


def absent_row(label: Label, message: str, evidence: list[Evidence] | None = None,
               about: list[str] | None = None, settled: list[Evidence] | None = None) -> Outcome:
    """`absent` for what a row of the panel would say about the ingredients or nutrient named in `about`:
    'unknown' too when a row was read without a legible name, a table line holding a number did not become
    a row (and names no other nutrient), or a run of print in the table gave the OCR no words at all, since
    any of them may be it. `settled`: see `absent`."""
    shown = (evidence or []) + (settled or [])
    if not panel_glare(label):
        if nameless := nameless_rows(label):
            return Outcome("unknown", f"{message.rstrip('.')}, but the row \"{nameless[0].text}\" was read without a "
                           "legible name and may be it; check the label by eye.", shown + nameless)
        if lost := lost_amount_lines(label, about or []):
            return Outcome("unknown", f"{message.rstrip('.')}, but the panel line \"{lost[0].text}\" holds a number "
                           "yet could not be read as a row, and may be it; check the label by eye.", shown + lost)
        if unread_name_lines(label):
            return unread_print(message, label, shown)
    return absent(label, message, evidence, settled)


NAME_SIDE = 0.5
"""Unread print starting in this share of the table's width from its left edge may hold a row's name; further
right it is a lost amount or %DV ("125%"), which names nothing (a row without its amount is caught as such)."""


def unread_name_lines(label: Label) -> list[Evidence]:
    """The panel's unread print (see Panel.unread_lines) that may hold a row's name: starting in the table's
    names side (see NAME_SIDE)."""
    box = label.panel.bbox
    return [u for u in label.panel.unread_lines
            if box is None or u.bbox is None or u.bbox[0] < box[0] + NAME_SIDE * box[2]]


def unread_print(message: str, label: Label, evidence: list[Evidence] | None = None) -> Outcome:
    """'unknown': what the check did not find may be printed in the panel's table where the OCR read nothing."""
    unread = unread_name_lines(label)
    lines = "a line" if len(unread) == 1 else f"{len(unread)} lines"
    return Outcome("unknown", f"{message.rstrip('.')}, but {lines} of print in the panel's table gave the OCR no "
                   "words (boxed in the evidence) and may say it; check the label by eye.", (evidence or []) + unread)


def unparsed_table_lines(label: Label) -> list[Evidence]:
    """Lines of the rows table that did not become (part of) a row: OCR lost their amount or split their
    name, so what they say is not in the rows."""
    components = {t for r in label.panel.rows for c in r.components for t in normalise(c).split()}
    return [line for line in unparsed_lines(label.panel) if not _listed_as_components(line.text, components)]


def _listed_as_components(text: str, components: set[str]) -> bool:
    """Whether a line is (mostly) a blend's component list, which rows keep as components, not as rows."""
    tokens = [t for t in normalise(text).split() if t.isalpha()]
    return bool(tokens) and sum(t in components for t in tokens) >= COMPONENT_SHARE * len(tokens)


LOST_WORD_MATCH = 85.0
COMPONENT_SHARE = 0.6


def lost_lines_mentioning(label: Label, words: list[str]) -> list[Evidence]:
    """The table lines with one of `words` (fuzzily, word by word) that are no row about them: unparsed, or
    taken into a row that names none of them. A row about them may be lost."""
    targets = {t for w in words for t in normalise(w).split() if len(t) >= 5}

    def mentions(text: str) -> bool:
        return any(fuzz.ratio(token, target) >= LOST_WORD_MATCH for token in normalise(text).split()
                   for target in targets)

    unparsed = unparsed_table_lines(label)
    left = {id(line) for line in unparsed}
    taken = [line for line in label.panel.table_lines
             if id(line) not in left and mentions(line.text) and _taken_by_another_row(label, line, mentions)]
    return [line for line in unparsed if mentions(line.text)] + taken


def _taken_by_another_row(label: Label, line: Evidence, mentions: Callable[[str], bool]) -> bool:
    """Whether the line lies in the box of rows none of which `mentions` what it does: such a row took the
    line's amount under another line's name ("Amount 118 mg": the header's first word, with the amount read
    off "Magnesium ....... 118 mg" below it, whose garbled leaders left its own name without one)."""
    rows = [r for r in label.panel.rows if r.evidence and r.evidence.bbox and line.bbox
            and r.evidence.page == line.page and within_row(line.bbox, r.evidence.bbox)]
    return bool(rows) and not any(mentions(r.all_text) for r in rows)


def lost_row(line: Evidence, what: str) -> Outcome:
    """'unknown': a table line that may hold what the check looks for could not be read as a row."""
    return Outcome("unknown", f"The panel line \"{line.text}\" could not be read as a row, and it may {what}; "
                   "check the label by eye.", [line])
