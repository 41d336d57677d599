"""One Supplement Facts row read from its text: name, amount, %DV, dagger, source forms, "providing" amounts."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Quantity
from .quantities import find_percents, find_quantities, parse_number
from .vocabulary import reference_for, vocabulary

_MARKS = re.compile(r"[®™©℠]|\(R\)|\(TM\)")
_NAME_JUNK = " \t:;,.-–—•·*†‡"
_RULE_TOKEN = re.compile(r"(?:^|(?<=\s))(?:[|¦_—=~]+|[-–]{2,}|[|¦_—–=~-]*[|¦_][|¦_—–=~-]*)(?=\s|$)")
"""A token that is only a fragment of a table rule as OCR reads it: "|", "—___", "_", "==", "--"."""


@dataclass
class RowReading:
    """What one row's text says."""

    name: str = ""
    quantity: Quantity | None = None
    dv: float | None = None
    dagger: bool = False
    forms: list[str] = field(default_factory=list)
    parens: list[str] = field(default_factory=list)
    """Parenthesised groups after the name that are not "(as …)"/"(from …)": a trade name or a blend's contents."""
    colon_items: list[str] = field(default_factory=list)
    provided: list[tuple[str, Quantity, float | None]] = field(default_factory=list)
    """"(providing 144 mg elemental magnesium)": element name, amount, %DV."""


_LEADER = re.compile(r"[.·•…]{3,}(?:[^\s\d]|0(?![.,]?\d)|0\d*(?=\s+\d))*")
"""Dot leaders between a name and its amount ("Magnesium ........ 156 mg"), with what OCR makes of dots run
together, up to the next space or digit ("...............ccc0s 156 mg", "....0+s0scsscocuss 149 mg",
"........148 mg"; a 0 only when no number starts with it: "........0.5 mg"), or up to the amount when the
dots were read as a number that starts with 0 ("..........00005 200 mg": no amount is printed so)."""
PERCENT_ONLY = re.compile(r"\d[\d,.]*\s*%")
"""A percentage and nothing else ("28%"): a %DV standing alone."""
_ONE_BEFORE_UNIT = re.compile(r"(?<=\d)[il|I](?=(?:mg|mcg|g)\b)")
"""A "1" read as a letter between a digit and its unit: "9img" is 91 mg ("Magnesium … 9img 22%")."""


def without_rules(text: str) -> str:
    """The line's text without the pieces of table rules OCR read as words ("| (from 1,200", "| mg"): where a line
    begins or ends is what tells a wrapped name's next line or a unit wrapped from its number."""
    return re.sub(r"\s+", " ", _RULE_TOKEN.sub(" ", text)).strip()


def _first_bracket(text: str) -> str | None:
    """The first bracket of a row's text before its last number (brackets after it are a table rule read as one,
    "… 100 mgt}"), or None."""
    text = clean_text(text)
    digits = [i for i, c in enumerate(text) if c.isdigit()]
    first = re.search(r"[()\[\]]", text[:digits[-1]] if digits else text)
    return first.group(0) if first else None


def closes_unopened_bracket(text: str) -> bool:
    """Whether the first bracket of the row's text closes one it never opened ("glycinate) 200 mg"): the start of
    its name or source was lost."""
    return _first_bracket(text) in (")", "]")


def opens_a_bracket(text: str) -> bool:
    """Whether the first bracket of the row's text opens one ("Zinc (as zinc picolinate) 10 mg"): it names a
    source of its own, so it does not finish a name left open above it."""
    return _first_bracket(text) in ("(", "[")


def clean_text(text: str) -> str:
    """Row text without ®/™, dot leaders and table rules ("|"), "°/o" read as "%", "9img" as "91mg", braces as
    parentheses, whitespace collapsed."""
    text = _MARKS.sub("", text).replace("{", "(").replace("}", ")")
    text = re.sub(r"(?<=\d)\s*(?:°/o|o/o|°/°)", "%", text)
    text = _ONE_BEFORE_UNIT.sub("1", text)
    text = _LEADER.sub(" ", text)
    text = re.sub(r"(?:^|(?<=\s))[.·•…]{2}(?=\d)", "", text)  # the last dots of a leader, glued to the amount
    text = _RULE_TOKEN.sub(" ", text)
    text = re.sub(r"(?<=[A-Za-z)])[|¦_]+(?=\s|$)|(?:^|(?<=\s))[|¦_]+(?=[A-Za-z(])", "", text)
    return re.sub(r"\s+", " ", text).strip()


def clean_name(text: str) -> str:
    """A printed name with marks, stray daggers and edge punctuation removed."""
    text = re.sub(r"[*†‡]", "", clean_text(text))
    text = re.sub(r"\s+", " ", text).strip(_NAME_JUNK)
    return text


def depth_map(text: str) -> list[int]:
    """The parenthesis depth before each character."""
    depth, out = 0, []
    for ch in text:
        out.append(depth)
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth > 0:
            depth -= 1
    return out


def top_level_groups(text: str) -> tuple[str, list[str]]:
    """The text with its outermost (…) groups removed, and those groups' contents."""
    outside, groups, depth, current = [], [], 0, []
    for ch in text:
        if ch in "([":
            if depth > 0:
                current.append(ch)
            depth += 1
        elif ch in ")]" and depth > 0:
            depth -= 1
            if depth == 0:
                groups.append("".join(current))
                current = []
            else:
                current.append(ch)
        elif depth > 0:
            current.append(ch)
        else:
            outside.append(ch)
    if current:
        groups.append("".join(current))
    return re.sub(r"\s+", " ", "".join(outside)).strip(), groups


def split_items(text: str) -> list[str]:
    """Items of a list split on commas/semicolons outside parentheses (not a thousands comma: "2,000"), cleaned."""
    items, depth, current = [], 0, []
    for i, ch in enumerate(text):
        if ch in "([":
            depth += 1
        elif ch in ")]" and depth > 0:
            depth -= 1
        thousands = ch == "," and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
        if ch in ",;" and depth == 0 and not thousands:
            items.append("".join(current))
            current = []
        else:
            current.append(ch)
    items.append("".join(current))
    out = []
    for item in items:
        item = re.sub(r"^\s*(and|&)\s+", "", clean_name(item), flags=re.IGNORECASE)
        item = item.strip(_NAME_JUNK)
        if item and re.search(r"[A-Za-z]", item):
            out.append(item)
    return out


def _providing_re() -> re.Pattern[str]:
    verbs = "|".join(re.escape(v) for v in sorted(vocabulary().providing_verbs, key=len, reverse=True))
    return re.compile(rf"\(?\s*\b(?:{verbs})\b", re.IGNORECASE)


def _element_name(text: str) -> str:
    fillers = set(vocabulary().providing_fillers)
    words = clean_name(re.split(r"[,;()]|\d+(?:\.\d+)?\s*%", text)[0]).split()
    while words and words[0].lower() in fillers:
        words.pop(0)
    name = " ".join(words).strip(_NAME_JUNK)
    return name[:1].upper() + name[1:] if name else ""


def extract_providing(text: str) -> tuple[str, list[tuple[str, Quantity, float | None]]]:
    """The text without its "providing …" clauses, and what each clause provides."""
    provided: list[tuple[str, Quantity, float | None]] = []
    while True:
        match = _providing_re().search(text)
        if not match:
            return text, provided
        start = match.start()
        if text[start] == "(":
            close = text.find(")", match.end())
            end = len(text) if close < 0 else close + 1
        else:
            end = len(text)
        clause = text[match.end():end].rstrip(")")
        found = find_quantities(clause)
        if not found:
            return text, provided
        quantity, qs, qe = found[0]
        name = _element_name(clause[:qs]) or _element_name(clause[qe:])
        percents = find_percents(clause[qe:])
        if name:
            provided.append((name, quantity, percents[0][0] if percents else None))
        text = (text[:start] + " " + text[end:]).strip()


def plausible_dv(name: str, quantity: Quantity | None, raw: str, had_percent: bool) -> float | None:
    """A %DV as read, checked against the reference DV: a lost "%" read as "9" is undone when that fits.

    Without a "%" sign, a number is only accepted when it fits the reference DV for the amount.
    """
    value = parse_number(raw)
    if value is None:
        return None
    stripped = parse_number(raw[:-1]) if len(raw) > 1 and raw.endswith("9") and "," not in raw else None
    expected = expected_dv(name, quantity)
    if had_percent:
        if expected is not None and not _close(value, expected) and stripped is not None and _close(stripped, expected):
            return stripped
        return value
    if expected is None:
        return None
    for candidate in (value, stripped):
        if candidate is not None and _close(candidate, expected):
            return candidate
    return None


def expected_dv(name: str, quantity: Quantity | None) -> float | None:
    """The %DV that `quantity` of nutrient `name` gives, where a reference DV is known."""
    ref = reference_for(name)
    if ref is None or quantity is None or ref.amount <= 0:
        return None
    if quantity.unit == "IU":
        amount = quantity.amount / ref.iu_per_unit if ref.iu_per_unit else None
    else:
        mg = quantity.to_mg()
        factor = {"mg": 1.0, "mcg": 0.001, "g": 1000.0}.get(ref.unit)
        amount = mg / factor if mg is not None and factor else None
    return None if amount is None else amount / ref.amount * 100


def _close(value: float, expected: float) -> bool:
    return abs(value - expected) <= max(1.5, 0.1 * expected)


def _name_and_groups(part: str, reading: RowReading) -> None:
    head, colon, tail = part.partition(":")
    core, groups = top_level_groups(head)
    markers = vocabulary().form_markers
    for group in groups:
        words = group.strip().split(None, 1)
        if words and words[0].lower() in markers:
            reading.forms.extend(split_items(words[1] if len(words) > 1 else ""))
        elif clean_name(group):
            reading.parens.append(clean_name(group))
    reading.name = clean_name(core)
    if colon:
        reading.colon_items.extend(split_items(tail))


def _dv_and_dagger(rest: str, reading: RowReading) -> None:
    vocab = vocabulary()
    bare, groups = top_level_groups(rest)
    for group in groups:
        words = group.strip().split(None, 1)
        if words and words[0].lower() in vocab.form_markers and len(words) > 1:
            reading.forms.extend(split_items(words[1]))
    bare, _, tail = bare.partition(":")
    if tail:
        reading.colon_items.extend(split_items(tail))
    if any(mark in rest for mark in vocab.dagger_marks):
        reading.dagger = True
    percents = find_percents(bare)
    if percents:
        value, _, start, end = percents[0]
        raw = re.sub(r"[<\s%]", "", bare[start:end])
        reading.dv = plausible_dv(reading.name, reading.quantity, raw, True)
        return
    tokens = bare.split()
    for token in tokens:
        if re.fullmatch(r"[0-9OoIl]{1,5}", token) and any(c.isdigit() for c in token):
            dv = plausible_dv(reading.name, reading.quantity, token, False)
            if dv is not None:
                reading.dv = dv
                return
    if not reading.dagger and tokens and is_dagger_token(tokens[-1]):
        reading.dagger = not tokens[-1].isdigit() or expected_dv(reading.name, reading.quantity) is None


def is_dagger_token(token: str) -> bool:
    """Whether a token at the end of a row is the dagger † as OCR reads it ("t", "Tt", "tT", "+", "T"…), in any case.

    A digit ("1", "7") only counts for a nutrient without a reference Daily Value (the caller checks).
    """
    return token.lower() in {d.lower() for d in vocabulary().dagger_ocr} or any(m in token for m in vocabulary().dagger_marks)


def ends_with_source(text: str) -> bool:
    """Whether a name ends on "from", so what follows ("2,000 mg Magnesium L-Threonate") names the source."""
    last = text.split()[-1:]
    return bool(last) and last[0].lower().lstrip("(") == "from"


_FROM = re.compile(r"\s*from\b", re.IGNORECASE)
"""An open "(from …" holds the source's weight ("Magnesium (from magnesium L-threonate 2,000 mg"), not the row's."""


def in_open_source(text: str) -> bool:
    """Whether the text ends inside an open "(from …" ("Magnesium (from 1,500 mg"): what comes is the source's."""
    opening = text.rfind("(")
    return opening >= 0 and ")" not in text[opening:] and _FROM.match(text[opening + 1:]) is not None


def amount_tail_start(text: str) -> int | None:
    """Where the amount columns start in a row whose name is still open: "Magnesium (as   146 mg   35%" → 14.

    A name wrapped over two lines can have its amount and %DV on the first line; the "(" is then
    still open when the amount comes. Only when everything from the amount on is amounts, %DV and
    daggers (not "(providing 111 mg elemental magnesium" with its ")" lost).
    """
    depths = depth_map(text)
    for _, start, _ in find_quantities(text):
        if depths[start] == 0:
            return None
        if text.count("(", 0, start) <= text.count(")", 0, start):
            continue
        if ends_with_source(text[:start]):
            continue  # "(from 2,000 mg magnesium L-threonate)": the source's weight, part of the name
        if _only_amounts(text[start:]) and clean_name(text[:start]):
            return start
        return None
    return None


def _only_amounts(tail: str) -> bool:
    spans = [(s, e) for _, s, e in find_quantities(tail)] + [(s, e) for _, _, s, e in find_percents(tail)]
    rest = "".join(" " if any(s <= i < e for s, e in spans) else ch for i, ch in enumerate(tail))
    tokens = re.sub(r"[()<,|¦_—–-]", " ", rest).split()
    # a %DV misread ("S%" of 35%) is still a %DV column's word
    return all(is_dagger_token(t) or re.fullmatch(r"[0-9OoIl]{1,4}|[*†‡]+|\w{1,3}%", t) for t in tokens)


def read_row(text: str) -> RowReading:
    """Read one (already joined) row of the panel table."""
    reading = RowReading()
    text, reading.provided = extract_providing(clean_text(text))
    depths = depth_map(text)
    quantities = [(q, s, e) for q, s, e in find_quantities(text) if depths[s] == 0]
    if not quantities:
        _name_and_groups(text, reading)
        return reading
    reading.quantity, start, end = quantities[0]
    _name_and_groups(text[:start], reading)
    rest = text[end:]
    if reading.name.lower() in ("includes", "incl", "including") and re.match(r"\s*[A-Za-z]", rest):
        words = re.match(r"\s*([A-Za-z][A-Za-z ]*[A-Za-z])", rest)
        if words:  # "Includes 3 g Added Sugars 6%": the nutrient is named after its amount
            reading.name, rest = words.group(1), rest[words.end():]
    _dv_and_dagger(rest, reading)
    return reading
