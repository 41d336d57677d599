"""Amounts with units (144 mg, 2,000 mg, 50 mcg, 400 IU) and %DV values read from OCR text."""

from __future__ import annotations

import re
from functools import lru_cache

from ..model import Quantity
from .vocabulary import vocabulary

_D = "[0-9OoIl]"
_NUMBER = rf"{_D}+(?:\s?,\s?{_D}{{3}}(?![0-9]))*(?:[.,]{_D}+)?"
_START = r"(?:(?<![0-9A-Za-z.,])(?=[0-9OoIl])|(?<=[A-Za-z])(?=[0-9]))"
_AFTER_UNIT = r"(?=$|[^A-Za-z0-9µμ]|[tTf](?![A-Za-z]))"
_G9 = r"(?<=\s)9(?=\s*(?:$|\)|<|[†‡*]|[0-9OoIl]{1,4}\s*%))"
MAX_PLAUSIBLE = {"mg": 100_000.0, "mcg": 10_000_000.0, "g": 1_000.0, "IU": 1_000_000.0}


@lru_cache(maxsize=1)
def _quantity_re() -> re.Pattern[str]:
    spellings = sorted(vocabulary().units, key=len, reverse=True)
    units = "|".join(re.escape(s) for s in spellings)
    return re.compile(rf"{_START}(?P<num>{_NUMBER})\s*(?:(?P<unit>(?i:{units})){_AFTER_UNIT}|(?P<g9>{_G9}))")


_DV_RE = re.compile(rf"(?P<lt><\s*)?(?<![0-9A-Za-z.,])(?P<num>{_D}+(?:,{_D}{{3}})*(?:\.{_D}+)?)\s*%")
_OCR_DIGITS = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1"})


def parse_number(raw: str, unit: str | None = None) -> float | None:
    """A number as printed (with OCR confusions and separators), or None when it cannot be one.

    Rules (OCR tolerant):
    - O/o inside a number read as 0, l/I as 1 ("2,0O0 mg", "l44 mg"); a number may follow letters
      only when it starts with a real digit ("Magnesium144mg").
    - "," followed by exactly three digits groups thousands ("2,000", "1 ,500"); "," followed by one
      or two digits is a decimal comma ("0,5 mg").
    - "." followed by exactly three digits (e.g. "2.000 mg") is a thousands separator only when the
      unit is mg or IU (never fractional to three places on a label), the integer part is 1–999
      without a leading zero and the result is at most 100,000 (plausible); otherwise a decimal point.
    - "9" is read as "g" only as a separate token right after a number and before ")", "%DV", a
      dagger or the end of the text ("1 Scoop (5 9)").
    """
    text = re.sub(r"\s+", "", raw.translate(_OCR_DIGITS))
    if not text or not any(c.isdigit() for c in raw):
        return None
    if re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")
    elif re.fullmatch(r"\d+,\d{1,2}", text):
        text = text.replace(",", ".")
    elif re.fullmatch(r"[1-9]\d{0,2}(\.\d{3}){2,}", text):
        text = text.replace(".", "")
    elif re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", text) and unit in ("mg", "IU"):
        candidate = float(text.replace(".", ""))
        if candidate <= MAX_PLAUSIBLE[unit]:
            return candidate
    try:
        return float(text)
    except ValueError:
        return None


def canonical_unit(spelling: str) -> str | None:
    """mg, mcg, g or IU for a unit as OCR printed it ("rng", "mcq", "µg", "lU"…)."""
    units = vocabulary().units
    return units.get(spelling.lower()) or units.get(spelling.lower().rstrip("."))


def find_quantities(text: str) -> list[tuple[Quantity, int, int]]:
    """Every amount-with-unit in `text`, with the character span it covers."""
    found: list[tuple[Quantity, int, int]] = []
    if not isinstance(text, str):
        return found
    for match in _quantity_re().finditer(text):
        unit = "g" if match.group("g9") else canonical_unit(match.group("unit") or "")
        if unit is None:
            continue
        amount = parse_number(match.group("num"), unit)
        if amount is None or amount > MAX_PLAUSIBLE[unit]:
            continue
        found.append((Quantity(amount, unit), match.start(), match.end()))
    return found


def parse_quantity(text: str) -> Quantity | None:
    """The first amount-with-unit in `text` ("2,000 mg", "l44 rng", "50 mcg"), or None."""
    found = find_quantities(text)
    return found[0][0] if found else None


def find_percents(text: str) -> list[tuple[float, bool, int, int]]:
    """Every "34%" / "<1%" in `text`: value, whether it was "<", and its span."""
    out: list[tuple[float, bool, int, int]] = []
    for match in _DV_RE.finditer(text):
        value = parse_number(match.group("num"))
        if value is not None:
            out.append((value, bool(match.group("lt")), match.start(), match.end()))
    return out


def parse_count(text: str) -> float | None:
    """A count written as digits or a word ("3", "two", "Two (2)"), or None."""
    token = text.strip().lower()
    if re.fullmatch(r"[0-9OoIl]+(\.\d+)?", token) and any(c.isdigit() for c in token):
        return parse_number(token)
    return vocabulary().number_words.get(token)
