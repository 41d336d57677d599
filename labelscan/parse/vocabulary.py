"""The parser's word lists (rules/vocabulary.yaml), loaded once, with fuzzy phrase helpers."""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from ..resources import rules_dir
from ..textmatch import normalise
from ..yamlload import load_yaml_file

VOCABULARY_FILE = "vocabulary.yaml"


@dataclass(frozen=True)
class ReferenceDV:
    """A reference Daily Value: amount and unit (and IU per unit, for vitamin D)."""

    amount: float
    unit: str
    iu_per_unit: float | None = None


@dataclass(frozen=True)
class Vocabulary:
    """Every list the parser matches against, normalised (lower case, no marks)."""

    title: list[str]
    header_amount: list[str]
    header_dv: list[str]
    serving_size: list[str]
    servings_per_container: list[str]
    servings_qualifiers: list[str]
    units: dict[str, str]
    """OCR spelling (lower case) → canonical unit."""
    blend_keywords: list[str]
    form_markers: list[str]
    salt_anions: list[str]
    """Second words of salts' names ("threonate"): a line beginning with one continues a wrapped name."""
    providing_verbs: list[str]
    providing_fillers: list[str]
    dagger_marks: list[str]
    dagger_ocr: list[str]
    footnote_dagger: list[str]
    footnote_percent: list[str]
    section_headings: list[str]
    other_ingredients_headings: list[str]
    directions_headings: list[str]
    directions_verbs: list[str]
    directions_skip: list[str]
    dosage_units: dict[str, str]
    """Spelling → family (capsule, tablet, scoop…)."""
    number_words: dict[str, float]
    frequencies: dict[str, int]
    per_day: list[str]
    reference_dv: dict[str, ReferenceDV] = field(default_factory=dict)
    """Normalised nutrient name or alias → its reference DV."""


def _norm_list(values: Any) -> list[str]:
    return [normalise(str(v)) for v in (values or []) if normalise(str(v))]


def _build(data: dict[str, Any]) -> Vocabulary:
    units = {str(s).lower(): unit for unit, spellings in (data.get("units") or {}).items() for s in spellings}
    dosage = {normalise(str(s)): fam for fam, spellings in (data.get("dosage-units") or {}).items() for s in spellings}
    refs: dict[str, ReferenceDV] = {}
    for name, spec in (data.get("reference-dv") or {}).items():
        ref = ReferenceDV(float(spec["amount"]), str(spec["unit"]), spec.get("iu-per-unit"))
        for key in [name, *(spec.get("aliases") or [])]:
            refs[normalise(str(key))] = ref
    return Vocabulary(
        title=_norm_list(data.get("title")),
        header_amount=_norm_list(data.get("header-amount")),
        header_dv=_norm_list(data.get("header-dv")),
        serving_size=_norm_list(data.get("serving-size")),
        servings_per_container=_norm_list(data.get("servings-per-container")),
        servings_qualifiers=_norm_list(data.get("servings-qualifiers")),
        units=units,
        blend_keywords=_norm_list(data.get("blend-keywords")),
        form_markers=_norm_list(data.get("form-markers")),
        salt_anions=_norm_list(data.get("salt-anions")),
        providing_verbs=_norm_list(data.get("providing-verbs")),
        providing_fillers=_norm_list(data.get("providing-fillers")),
        dagger_marks=[str(v) for v in data.get("dagger-marks") or []],
        dagger_ocr=[str(v) for v in data.get("dagger-ocr") or []],
        footnote_dagger=_norm_list(data.get("footnote-dagger")),
        footnote_percent=_norm_list(data.get("footnote-percent")),
        section_headings=_norm_list(data.get("section-headings")),
        other_ingredients_headings=_norm_list(data.get("other-ingredients-headings")),
        directions_headings=_norm_list(data.get("directions-headings")),
        directions_verbs=_norm_list(data.get("directions-verbs")),
        directions_skip=_norm_list(data.get("directions-skip")),
        dosage_units=dosage,
        number_words={normalise(k): float(v) for k, v in (data.get("number-words") or {}).items()},
        frequencies={normalise(k): int(v) for k, v in (data.get("frequencies") or {}).items()},
        per_day=_norm_list(data.get("per-day")),
        reference_dv=refs,
    )


def vocabulary_path() -> Path:
    """rules/vocabulary.yaml in the rules folder, else the bundled copy (an overriding rules folder
    need not carry one)."""
    candidates = [rules_dir() / VOCABULARY_FILE, Path(__file__).resolve().parents[2] / "rules" / VOCABULARY_FILE,
                  Path(sys.prefix) / "share" / "labelscan" / "rules" / VOCABULARY_FILE]
    return next((p for p in candidates if p.is_file()), candidates[0])


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The vocabulary from rules/vocabulary.yaml, read once (a missing or broken file raises RulePackError)."""
    data, _ = load_yaml_file(vocabulary_path())
    return _build(data if isinstance(data, dict) else {})


def starts_with_phrase(text: str, phrases: list[str], threshold: float = 86.0) -> tuple[float, int] | None:
    """If normalised `text` begins with one of `phrases` (fuzzily), the score and how many words it took.

    Short phrases (one word of four letters or fewer) must match exactly.
    """
    words = normalise(text).split()
    best: tuple[float, int] | None = None
    for phrase in phrases:
        n = len(phrase.split())
        if len(words) < n:
            continue
        head = " ".join(words[:n])
        if len(phrase) <= 4 and n == 1:
            score = 100.0 if head == phrase else 0.0
        else:
            score = max(fuzz.ratio(head, phrase), fuzz.ratio(head.replace(" ", ""), phrase.replace(" ", "")))
        if score >= threshold and (best is None or score > best[0]):
            best = (score, n)
    return best


def contains_phrase(text: str, phrases: list[str], threshold: float = 86.0) -> float:
    """The best fuzzy score (0 when below `threshold`) of any phrase inside normalised `text`."""
    hay = normalise(text)
    best = 0.0
    for phrase in phrases:
        if not hay or not phrase:
            continue
        if re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", hay):
            return 100.0
        if len(phrase) <= 6 or len(hay) < len(phrase) - 2:
            continue
        score = fuzz.partial_ratio(phrase, hay)
        if score >= threshold:
            best = max(best, score)
    return best


def starts_with_salt_anion(text: str) -> bool:
    """Whether the text begins with a salt's second word ("L-Threonate …", "LThreonate …"; see salt-anions),
    which never starts an ingredient's name: a line that does continues the name above it. Marks before it that
    are no word (a table rule read as "|") are passed over."""
    words = [normalise(w) for w in text.split() if normalise(w)]
    return bool(words) and is_salt_anion(words[0])


def is_salt_anion(word: str) -> bool:
    """Whether a normalised word is a salt's second word, with or without an "L-" or "D-" before it
    ("l threonate", "lthreonate": the hyphen read or lost)."""
    word = word.replace(" ", "")
    return any(word == prefix + anion for anion in vocabulary().salt_anions for prefix in ("", "l", "d", "dl"))


def salt_anion_first(text: str) -> bool:
    """Whether a salt's second word is the first word of the text that names anything: `starts_with_salt_anion`
    past connecting words ("as", "of"; see providing-fillers) and with an "L-" glued on ("as = LThreonate").
    Such a name has lost its first half (the mineral) to the OCR."""
    words = [normalise(w) for w in text.split() if normalise(w)]
    fillers = set(vocabulary().providing_fillers)
    while words and words[0] in fillers:
        words.pop(0)
    return bool(words) and is_salt_anion(words[0])


def reference_for(name: str) -> ReferenceDV | None:
    """The reference DV of a nutrient named exactly (or within a letter or two) as `name`."""
    key = normalise(name)
    refs = vocabulary().reference_dv
    if key in refs:
        return refs[key]
    if len(key) >= 6:
        for ref_name, ref in refs.items():
            if len(ref_name) >= 6 and fuzz.ratio(key, ref_name) >= 92:
                return ref
    return None
