"""Certification marks: the seal catalogue and finding its phrases (in any order, close together) in OCR words."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from .errors import RulePackError
from .model import OcrPage, Seal, SealKind, Word, union_bbox
from .resources import rules_dir
from .textmatch import normalise, token_score
from .yamlload import load_yaml_file, describe_validation_error


class SealEntry(BaseModel):
    """One mark of the catalogue."""

    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    kind: SealKind
    phrases: list[str]
    mark_phrases: list[str] = []
    """Phrases that identify the mark only when read from inside one round mark or badge (the shape route):
    too short or too common to trust in running text ("NSF" beside "Contents" on a label is no seal)."""


class Monogram(BaseModel):
    """A certifier's initials that identify its mark when nothing else of the mark could be read."""

    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    letters: str
    programs: list[str] = Field(min_length=1)
    """The catalogue's programmes the mark may be."""


class CertifierMark(BaseModel):
    """Words of a certifier's own name that identify its mark, read inside one mark, when none of its
    programmes' phrases was."""

    model_config = ConfigDict(extra="forbid")
    id: str
    name: str
    mark_phrases: list[str] = Field(min_length=1)
    programs: list[str] = Field(min_length=1)
    """The catalogue's programmes the mark may be."""

    def as_entry(self, kind: SealKind) -> SealEntry:
        """The mark as a catalogue entry found by its mark phrases alone."""
        return SealEntry(id=self.id, name=self.name, kind=kind, phrases=[], mark_phrases=self.mark_phrases)


class SealCatalogue(BaseModel):
    """The whole catalogue file (rules/seals.yaml)."""

    model_config = ConfigDict(extra="forbid")
    catalogue: str
    version: int
    seals: list[SealEntry]
    monograms: list[Monogram] = []
    certifiers: list[CertifierMark] = []

    @model_validator(mode="after")
    def _known_programs(self) -> SealCatalogue:
        known = {entry.id for entry in self.seals}
        for mark in [*self.monograms, *self.certifiers]:
            unknown = [p for p in mark.programs if p not in known]
            if unknown:
                raise ValueError(f"{mark.id}: not in the catalogue's seals: {', '.join(unknown)}")
        return self

    def kind_of(self, programs: list[str]) -> SealKind:
        """The kind the programmes share, or 'certifier' when they differ (a product's or a factory's)."""
        kinds = {entry.kind for entry in self.seals if entry.id in programs}
        return kinds.pop() if len(kinds) == 1 else "certifier"


@functools.lru_cache(maxsize=4)
def load_catalogue(path: Path | None = None) -> SealCatalogue:
    """Load and validate the seal catalogue (default: rules/seals.yaml)."""
    path = path or rules_dir() / "seals.yaml"
    data, lines = load_yaml_file(path)
    try:
        return SealCatalogue.model_validate(data)
    except ValidationError as exc:
        raise RulePackError(describe_validation_error(path, exc, lines)) from None


@dataclass(frozen=True)
class _Token:
    """One normalised token of an OCR word, with the word it came from."""

    text: str
    word_index: int
    word: Word


def _tokens(page: OcrPage) -> list[_Token]:
    tokens: list[_Token] = []
    for index, word in enumerate(page.words):
        for part in normalise(word.text).split():
            tokens.append(_Token(part, index, word))
    return tokens


def _centre(word: Word) -> tuple[float, float]:
    x, y, w, h = word.bbox
    return x + w / 2, y + h / 2


def _near(anchor: Word, other: Word, reach: float) -> bool:
    (ax, ay), (bx, by) = _centre(anchor), _centre(other)
    return math.hypot(ax - bx, ay - by) <= reach


@dataclass
class _Candidate:
    entry: SealEntry
    tokens: list[_Token]
    score: float
    length: int


INITIALS_CONFIDENCE = 0.6
"""A certifier's initials of two letters ("UL", "CL": the catalogue's monograms) count only when read at least
this surely: arc noise is read as such pairs of letters ("UL" at 0.46 in a BSCG ring whose "certified" was
read made it "UL Certified"; on seeds 11-19 every right "UL" or "CL" was read at 0.75 or more)."""


TRUNCATED_LETTERS, TRUNCATED_SHARE, TRUNCATED_SCORE = 5, 0.6, 80.0
"""Inside a mark, a token that begins a catalogue word, with at least TRUNCATED_LETTERS letters and
TRUNCATED_SHARE of the word's, stands for it (scoring TRUNCATED_SCORE): where words run round an arc its last
letters are often lost ("VERIF" for "VERIFIED")."""


def _truncated(found: str, wanted: str, vocabulary: frozenset[str]) -> bool:
    """Whether `found` is `wanted` with its end lost, and no other catalogue word (bar its own plural or
    singular) begins so."""
    if len(found) < max(TRUNCATED_LETTERS, TRUNCATED_SHARE * len(wanted)) or not wanted.startswith(found):
        return False
    return not any(other.startswith(found) and not (other.startswith(wanted) or wanted.startswith(other))
                   for other in vocabulary)


def _score(token: _Token, wanted: str, vocabulary: frozenset[str], initials: frozenset[str] = frozenset(),
           within_mark: bool = False) -> float:
    """token_score, but 0 when the token is closer to another word of the catalogue (an OCR token stands for
    the word it resembles most: "certified" is not a misread "verified"), or is two-letter initials read unsurely.
    `within_mark`: a word whose end was lost counts too (see TRUNCATED_LETTERS)."""
    score = token_score(token.text, wanted)
    if not score and within_mark and _truncated(token.text, wanted, vocabulary):
        score = TRUNCATED_SCORE
    if wanted in initials and len(wanted) <= 2 and token.word.confidence < INITIALS_CONFIDENCE:
        return 0.0
    if 0 < score < 100 and any(token_score(token.text, other) > score for other in vocabulary if other != wanted):
        return 0.0
    return score


def _match_phrase(entry: SealEntry, phrase: list[str], tokens: list[_Token], vocabulary: frozenset[str] = frozenset(),
                  initials: frozenset[str] = frozenset(), within_mark: bool = False) -> list[_Candidate]:
    """Every place where all tokens of `phrase` stand close together (in any order)."""
    found: list[_Candidate] = []
    for anchor in tokens:
        first = _score(anchor, phrase[0], vocabulary, initials, within_mark)
        if not first:
            continue
        reach = 10 * max(anchor.word.bbox[3], 8)
        chosen = [anchor]
        scores = [first]
        for wanted in phrase[1:]:
            best: tuple[float, _Token] | None = None
            for token in tokens:
                if token in chosen or not _near(anchor.word, token.word, reach):
                    continue
                score = _score(token, wanted, vocabulary, initials, within_mark)
                if score and (best is None or score > best[0]):
                    best = (score, token)
            if best is None:
                break
            scores.append(best[0])
            chosen.append(best[1])
        else:
            found.append(_Candidate(entry, chosen, sum(scores) / len(scores), len(phrase)))
    return found


def find_seals(pages: list[OcrPage], catalogue: SealCatalogue | None = None, *,
               within_mark: bool = False) -> list[Seal]:
    """Seals and self-claims found by their words; longer phrases win the words they share with shorter ones.
    `within_mark`: the words were all read from one mark, so its mark phrases count too."""
    catalogue = catalogue or load_catalogue()
    vocabulary = frozenset(word for entry in catalogue.seals for phrase in [*entry.phrases, *entry.mark_phrases]
                           for word in normalise(phrase).split())
    initials = frozenset(monogram.letters for monogram in catalogue.monograms)
    seals: list[Seal] = []
    for page_index, page in enumerate(pages):
        tokens = _tokens(page)
        candidates: list[_Candidate] = []
        for entry in catalogue.seals:
            for phrase in [*entry.phrases, *(entry.mark_phrases if within_mark else [])]:
                words = normalise(phrase).split()
                if words:
                    candidates.extend(_match_phrase(entry, words, tokens, vocabulary, initials, within_mark))
        candidates.sort(key=lambda c: (-c.length, -c.score))
        used: set[int] = set()
        seen: set[str] = set()
        for cand in candidates:
            indices = {t.word_index for t in cand.tokens}
            if indices & used:
                continue
            used |= indices
            if cand.entry.id in seen:
                continue
            seen.add(cand.entry.id)
            words = sorted({t.word_index: t.word for t in cand.tokens}.items())
            confidence = sum(w.confidence for _, w in words) / len(words) * cand.score / 100
            seals.append(
                Seal(
                    program=cand.entry.id,
                    name=cand.entry.name,
                    kind=cand.entry.kind,
                    method="text",
                    bbox=union_bbox([w.bbox for _, w in words]),
                    confidence=confidence,
                    text=" ".join(w.text for _, w in words),
                    page=page_index,
                )
            )
    return seals
