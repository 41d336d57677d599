"""Marks read by the second reader (a round mark's arc as lines, a badge's lines), and the catalogue's words picked
out of letters run together."""

from __future__ import annotations

import functools
import re
from typing import Protocol

import numpy as np
from rapidfuzz import fuzz

from .seals import load_catalogue
from .textmatch import normalise

WINDOWS = 4
"""Windows read per turn of an arc strip: a line recogniser reads one line, and a whole turn holds the upper
arc's words upright and the lower arc's upside down; a window of part of the turn holds some words whole."""
WINDOW_SPAN = 0.625
"""Share of the circumference each window covers (windows overlap, so every word lies whole in one)."""
MIN_LINE_SCORE = 0.5
"""A line read below this score (the recogniser's, 0–1) is noise: arc letters upside down, a logo."""
LONG_WORD = 5
"""Catalogue words this long or longer are found inside run-together letters fuzzily (see FUZZY); shorter
ones ("nsf", "drug") only letter for letter and where they stand apart (see `catalogue_words`)."""
FUZZY = 80.0
"""Least similarity (0–100) of a long word to the letters it is found in: the same bar as a whole OCR word's."""


class ReadsLines(Protocol):
    """What the second reader offers here (see ocr.line_reader.LineReader)."""

    def read_line(self, gray: np.ndarray) -> tuple[str, float]: ...

    def read_lines(self, gray: np.ndarray) -> list[tuple[str, float]]: ...


@functools.lru_cache(maxsize=1)
def _vocabulary() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The catalogue's words (every mark's, self-claims' too), long ones longest first, and the short ones."""
    words = {token for entry in load_catalogue().seals for phrase in [*entry.phrases, *entry.mark_phrases]
             for token in normalise(phrase).split()}
    long_words = sorted((w for w in words if len(w) >= LONG_WORD), key=lambda w: (-len(w), w))
    return tuple(long_words), tuple(sorted((w for w in words if len(w) < LONG_WORD), key=lambda w: (-len(w), w)))


def _best_window(word: str, letters: str) -> tuple[float, int, int]:
    """Where in `letters` `word` fits best (a stretch one letter shorter, as long, or one longer): score, start, end."""
    best = (0.0, 0, 0)
    for length in (len(word) - 1, len(word), len(word) + 1):
        for start in range(0, max(1, len(letters) - length + 1)):
            stretch = letters[start:start + length]
            if len(stretch) < len(word) - 1:
                continue
            score = fuzz.ratio(word, stretch)
            if score > best[0]:
                best = (score, start, start + len(stretch))
    return best


def catalogue_words(text: str) -> list[str]:
    """The catalogue's words in a line of arc text read with its spaces lost ("CERTIFIEDFORSPORT·" → certified,
    for, sport), in reading order. Short words count only letter for letter and only where they stand apart: at either
    end of a run of letters or against a long word found ("NSF/ANSI173": nsf, ansi, 173), since two or three
    letters turn up by chance in any misread arc."""
    long_words, short_words = _vocabulary()
    found: list[str] = []
    for piece in normalise(text).split():
        if piece in short_words:  # a word read on its own: the centre's "NSF", "UL"
            found.append(piece)
            continue
        fits = sorted(((*_best_window(word, piece), word) for word in long_words), key=lambda f: (-f[0], -len(f[3])))
        taken: list[tuple[int, int, str]] = []
        for score, start, end, word in fits:  # the best fitting word where two would share letters
            if score >= FUZZY and not _overlaps(taken, start, end):
                taken.append((start, end, word))
        edges = {0, len(piece)} | {a for a, _, _ in taken} | {b for _, b, _ in taken}
        for word in short_words:
            if len(word) < 3:
                continue  # two letters inside a run of others are chance
            for match in re.finditer(re.escape(word), piece):
                start, end = match.span()
                if (start in edges or end in edges) and not _overlaps(taken, start, end):
                    taken.append((start, end, word))
                    edges |= {start, end}
        found.extend(word for _, _, word in sorted(taken))
    return found


def _overlaps(taken: list[tuple[int, int, str]], start: int, end: int) -> bool:
    return any(start < b and a < end for a, b, _ in taken)


def arc_windows(strip: np.ndarray) -> list[np.ndarray]:
    """Overlapping windows along an unwrapped arc strip (which holds its turn twice over, see `unwrap_band`)."""
    turn = strip.shape[1] // 2
    span = int(turn * WINDOW_SPAN)
    return [strip[:, int(k * turn / WINDOWS):int(k * turn / WINDOWS) + span] for k in range(WINDOWS)]


def read_arc_lines(strips: list[np.ndarray], reader: ReadsLines) -> list[tuple[str, float]]:
    """The catalogue's words read by `reader` along a round mark's arc strips (see
    `vision.seal_rings.ring_parts`; in windows), each with the score of the line it was read in."""
    words: list[tuple[str, float]] = []
    for part in (window for strip in strips for window in arc_windows(strip)):
        text, score = reader.read_line(part)
        if score >= MIN_LINE_SCORE:
            words.extend((word, score) for word in catalogue_words(text))
    return words


def read_badge_lines(patch: np.ndarray, reader: ReadsLines) -> list[tuple[str, float]]:
    """The lines `reader` read in a shield or badge (`patch`: dark words on a light ground), each with its score,
    noise (see MIN_LINE_SCORE) left out."""
    return [(text, score) for text, score in reader.read_lines(patch) if score >= MIN_LINE_SCORE]
