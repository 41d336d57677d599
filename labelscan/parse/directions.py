"""Directions for use ("Take 3 capsules daily") read as dosage units per day, then servings per day."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..model import Evidence, Line
from .layout import evidence_of
from .vocabulary import contains_phrase, starts_with_phrase, vocabulary

MAX_LINES = 4
COMPATIBLE = [{"capsule", "softgel"}, {"tablet", "chewable"}]


@dataclass
class Dose:
    """Dosage units per day and their family (capsule, tablet, scoop…; "serving" for servings)."""

    units_per_day: float
    family: str


@lru_cache(maxsize=1)
def _noun_re() -> str:
    spellings = sorted(vocabulary().dosage_units, key=len, reverse=True)
    return "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in spellings)


def _prepare(text: str) -> str:
    """Lower case, number words as digits, "two (2)" once, ranges as their upper bound; a lone "|", "l" or "i"
    before a dosage unit is OCR's "1" ("Take | capsule")."""
    text = re.sub(r"[®™*†]", "", text.lower())
    words = {w: v for w, v in vocabulary().number_words.items() if len(w) > 2 and float(v).is_integer()}
    text = re.sub(r"\b(" + "|".join(words) + r")\b", lambda m: str(int(words[m.group(1)])), text)
    text = re.sub(rf"(?<!\S)[|!il](?=\s+(?:level\s+)?(?:{_noun_re()})\b)", "1", text)
    text = re.sub(r"\b(\d+)\s*\(\s*\1\s*\)", r"\1", text)
    text = re.sub(r"\b\d+\s*(?:-|–|to|or)\s*(\d+)\b(?!\s*(?:hours|hrs|oz|ml))", r"\1", text)
    return re.sub(r"\s+", " ", text)


def _family(noun: str) -> str | None:
    return vocabulary().dosage_units.get(re.sub(r"\s+", " ", noun.strip()))


def _frequency(segment: str) -> float | None:
    """Times per day said in `segment`, or None when it says none."""
    vocab = vocabulary()
    match = re.search(r"\b(\d+)\s*(?:x|times)\b", segment)
    if match:
        return float(match.group(1))
    for word, times in vocab.frequencies.items():
        if re.search(rf"\b{word}\b", segment):
            return float(times)
    match = re.search(r"\bevery (\d+) (?:hours|hrs)\b", segment)
    if match and int(match.group(1)) > 0:
        return 24.0 / int(match.group(1))
    return None


def dose_per_day(text: str) -> Dose | None:
    """Dosage units per day from the directions text, or None when unreadable.

    Rules:
    clauses "N <dosage unit>" in the first sentence that has any are summed, each times its
    frequency ("twice daily" ×2, "3 times a day" ×3, "every 8 hours" ×3, otherwise once a day);
    "two (2)" counts once; a range "1-2"/"1 to 2" counts its upper bound; amounts after "do not
    exceed"/"up to a maximum" are skipped; "with each meal"/"with meals" without a count of times
    is unreadable (None).
    """
    vocab = vocabulary()
    noun = _noun_re()
    for sentence in re.split(r"(?<!\d)\.(?!\d)|;", _prepare(text)):
        clauses = list(re.finditer(rf"(?<![\w.])(\d+(?:\.\d+)?|an?|half)\s+(?:level\s+|full\s+)?({noun})\b", sentence))
        clauses = [c for c in clauses if not any(s in sentence[max(0, c.start() - 25):c.start()] for s in vocab.directions_skip)]
        if not clauses:
            continue
        lead = _frequency(sentence[:clauses[0].start()])
        total = 0.0
        family = _family(clauses[0].group(2)) or "serving"
        extra = re.finditer(r"\band (\d+) (?=in|at|before|with|after|each|upon)", sentence)
        for i, clause in enumerate(clauses):
            end = clauses[i + 1].start() if i + 1 < len(clauses) else len(sentence)
            segment = sentence[clause.end():end]
            times = _frequency(segment) or lead
            if times is None and re.search(r"\b(each|every|with) meals?\b|\bwith meals\b", segment):
                return None
            count = {"a": 1.0, "an": 1.0, "half": 0.5}.get(clause.group(1)) or float(clause.group(1))
            total += count * (times or 1.0)
        for match in extra:
            if not any(c.start() <= match.start() < c.end() for c in clauses):
                total += float(match.group(1)) * (_frequency(sentence[match.end():]) or 1.0)
        return Dose(total, family) if total > 0 else None
    return None


def serving_units(serving_size: str | None) -> Dose | None:
    """How many dosage units one serving is ("3 Capsules" → 3 capsule), or None."""
    if not serving_size:
        return None
    found = dose_per_day(serving_size.split("(")[0])
    return found


def servings_per_day(dose: Dose | None, serving: Dose | None) -> float | None:
    """Servings per day: units per day ÷ units per serving, when both are read in compatible units."""
    if dose is None:
        return None
    if dose.family == "serving":
        return dose.units_per_day
    if serving is None or serving.units_per_day <= 0:
        return None
    same = dose.family == serving.family or any({dose.family, serving.family} <= pair for pair in COMPATIBLE)
    return round(dose.units_per_day / serving.units_per_day, 3) if same else None


def _is_dose_line(text: str) -> bool:
    prepared = _prepare(text)
    verbs = "|".join(re.escape(v) for v in vocabulary().directions_verbs)
    return bool(re.search(rf"\b({verbs})\b.*?\b(\d+|an?)\s+(?:level\s+)?({_noun_re()})\b", prepared))


def find_directions(lines: list[Line]) -> tuple[Evidence | None, Dose | None]:
    """The directions on a page (a "Suggested use"/"Directions" heading first, else a "take N capsules" line)."""
    vocab = vocabulary()
    candidates: list[tuple[int, int]] = []
    for i, line in enumerate(lines):
        if starts_with_phrase(line.text, vocab.directions_headings, 88.0):
            candidates.append((0, i))
        elif _is_dose_line(line.text):
            candidates.append((1, i))
    for _, i in sorted(candidates):
        chunk = [lines[i]]
        for nxt in lines[i + 1:i + MAX_LINES]:
            if starts_with_phrase(nxt.text, vocab.section_headings, 88.0) or chunk[-1].text.rstrip().endswith("."):
                break
            chunk.append(nxt)
        text = " ".join(ln.text for ln in chunk)
        dose = dose_per_day(text)
        if dose is not None or contains_phrase(text, vocab.directions_verbs):
            return evidence_of([w for ln in chunk for w in ln.words]), dose
    return None, None
