"""Fuzzy phrase matching on OCR text: normalisation and token-by-token matching with rapidfuzz."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

_MARKS = re.compile(r"[®™©*†‡]")
_NON_WORD = re.compile(r"[^a-z0-9%]+")
_BAR_FOR_L = re.compile(r"[|\\!](?=-[^\W\d_])")
"""A bar, backslash or ! before a hyphen and a letter is an l the OCR read as a stroke ("magnesium |-threonate",
"magnesium \\-threonate")."""
LEGIBLE_WORD = re.compile(r"[^\W\d_]{3,}")
"""A word of three letters or more: a name read at least in part."""
_SHORT_EQUIVALENTS = {"l": {"l", "i", "1", "|"}, "i": {"i", "l", "1"}, "1": {"1", "l", "i"}, "0": {"0", "o"}, "o": {"o", "0"}}


def normalise(text: str) -> str:
    """Lower case, accents and ®/™/* removed, punctuation and hyphens turned into single spaces (a stroke before
    a hyphen, "|-", read as "l-" first)."""
    text = unicodedata.normalize("NFKD", _BAR_FOR_L.sub("l", text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = _MARKS.sub(" ", text.lower())
    return _NON_WORD.sub(" ", text).strip()


@dataclass(frozen=True)
class PhraseMatch:
    """Where a phrase was found in a text (token positions) and how well it matched (0–100)."""

    phrase: str
    score: float
    start: int
    end: int


def token_score(found: str, wanted: str) -> float:
    """0–100: how well one OCR token stands for a wanted token. Short tokens must match exactly
    (give or take the l/I/1 and O/0 confusions); longer ones may differ by OCR noise."""
    if found == wanted:
        return 100.0
    if len(wanted) <= 2:
        return 95.0 if found in _SHORT_EQUIVALENTS.get(wanted, {wanted}) and len(found) == len(wanted) else 0.0
    if len(wanted) <= 4:
        return 0.0
    score = fuzz.ratio(found, wanted)
    return score if score >= 80 else 0.0


def _joined_score(found: str, first: str, second: str) -> float:
    """How well one OCR token stands for two wanted tokens run together ("lthreonate" for "l threonate")."""
    if len(first) <= 2:
        head, tail = found[: len(first)], found[len(first):]
        return min(token_score(head, first), token_score(tail, second)) if tail else 0.0
    return token_score(found, first + second)


def _match_at(hay: list[str], start: int, needle: list[str]) -> tuple[float, int] | None:
    """Match `needle` token by token from hay[start]; a hay token may also hold two needle tokens run together."""
    scores: list[float] = []
    i, j = 0, start
    while i < len(needle):
        if j >= len(hay):
            return None
        single = token_score(hay[j], needle[i])
        joined = _joined_score(hay[j], needle[i], needle[i + 1]) if i + 1 < len(needle) else 0.0
        if joined > single:
            scores.extend([joined, joined])
            i += 2
        elif single:
            scores.append(single)
            i += 1
        else:
            return None
        j += 1
    return sum(scores) / len(scores), j


def find_phrase(phrase: str, text: str, threshold: float = 85.0) -> PhraseMatch | None:
    """The best occurrence of `phrase` in `text`, every word of it present in order (fuzzily), scoring at least `threshold`."""
    needle = normalise(phrase).split()
    hay = normalise(text).split()
    if not needle or not hay:
        return None
    best: PhraseMatch | None = None
    for start in range(len(hay)):
        match = _match_at(hay, start, needle)
        if match and match[0] >= threshold and (best is None or match[0] > best.score):
            best = PhraseMatch(phrase, match[0], start, match[1])
    return best


def contains_any(text: str, phrases: list[str], threshold: float = 85.0) -> PhraseMatch | None:
    """The best match of any of `phrases` in `text`, or None."""
    best: PhraseMatch | None = None
    for phrase in phrases:
        match = find_phrase(phrase, text, threshold)
        if match and (best is None or match.score > best.score):
            best = match
    return best
