"""Check kinds for what a claim or a blend obliges the label to disclose: the FDA disclaimer, a blend's total weight."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz

from ..model import Evidence, Label, Line
from ..parse import find_quantities
from ..textmatch import contains_any, find_phrase, normalise, token_score
from .nutrients import absent_from_label, label_reliable, line_evidence
from .outcome import MIN_CONFIDENCE_FOR_ABSENCE, Outcome, panel_missing, panel_reliable, row_evidence

# ---------------------------------------------------------------- disclaimer-with-claims


class DisclaimerParams(BaseModel):
    """Parameters of `disclaimer-with-claims`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    verbs: list[str] = Field(min_length=1)
    """Claim verbs: supports, promotes, helps, maintains…"""
    subjects: list[str] = Field(min_length=1)
    """What a structure/function claim is about: memory, cognition, sleep, brain, focus, mood…"""
    window: int = Field(default=4, ge=1, le=10)
    """A verb and a subject within this many words of each other (either order) make a claim."""
    disclaimer: list[str] = Field(min_length=1)
    """The sentences of the disclaimer; every one must be printed."""
    threshold: float = Field(default=80.0, ge=50, le=100)
    source: str = "21 CFR 101.93(b)–(d)"


def _is_word(token: str, words: list[str]) -> bool:
    return any(token_score(token, normalise(w)) >= 85 for w in words)


def find_claims(label: Label, params: DisclaimerParams) -> list[Evidence]:
    """Lines that make a structure/function claim (a claim verb near a claim subject)."""
    found: list[Evidence] = []
    for page, line in label.lines():
        tokens = normalise(line.text).split()
        verbs = [i for i, t in enumerate(tokens) if _is_word(t, params.verbs)]
        subjects = [i for i, t in enumerate(tokens) if _is_word(t, params.subjects)]
        if any(abs(v - s) <= params.window for v in verbs for s in subjects):
            found.append(line_evidence(page, line))
    return found


def _disclaimer_parts(label: Label, params: DisclaimerParams) -> tuple[list[str], list[Evidence]]:
    """The disclaimer sentences found (on any page, across line breaks) and the lines that hold them."""
    found: list[str] = []
    evidence: list[Evidence] = []
    for index, page in enumerate(label.pages):
        lines = page.lines()
        text = " ".join(ln.text for ln in lines)
        for sentence in params.disclaimer:
            if sentence in found or not find_phrase(sentence, text, params.threshold):
                continue
            found.append(sentence)
            key = normalise(sentence).split()[-1]
            evidence += [line_evidence(index, ln) for ln in lines if key in normalise(ln.text).split()][:1]
    return found, evidence


SCATTERED_SHARE = 0.6
"""Share of the missing disclaimer sentences' words (of four letters or more) that, read anywhere on the label,
leave the disclaimer's absence unproven: a small-print paragraph in a photo is read in pieces, its lines
interleaved with others' ("*These statements h luated by the Food and Drug Adminis'")."""
SAME_WORD = 85.0


def _words_read(label: Label, sentences: list[str]) -> float:
    """The share of the sentences' words of four letters or more that stand (give or take a letter) on the label."""
    wanted = [w for sentence in sentences for w in normalise(sentence).split() if len(w) >= 4]
    tokens = {t for page in label.pages for word in page.words for t in normalise(word.text).split() if len(t) >= 3}
    if not wanted:
        return 0.0
    return sum(any(fuzz.ratio(w, t) >= SAME_WORD for t in tokens) for w in wanted) / len(wanted)


PIECE_WORDS = 4
"""Consecutive words of a disclaimer sentence ("food and drug administration") that, read anywhere on the label,
show the sentence is printed there, its other words lost to the OCR."""


def _piece_read(label: Label, sentences: list[str], threshold: float) -> str | None:
    """A run of PIECE_WORDS consecutive words of one of the sentences, read in order on a page, or None."""
    texts = [page.text for page in label.pages]  # find_phrase reads across line breaks
    for sentence in sentences:
        words = normalise(sentence).split()
        for start in range(max(1, len(words) - PIECE_WORDS + 1)):
            piece = " ".join(words[start:start + PIECE_WORDS])
            if any(find_phrase(piece, text, threshold) for text in texts):
                return piece
    return None


def disclaimer_with_claims(label: Label, params: DisclaimerParams) -> Outcome:
    """Structure/function claims come with the FDA disclaimer; not-applicable when the label makes none."""
    claims = find_claims(label, params)
    if not claims:
        if label_reliable(label):
            return Outcome("not-applicable", "The label makes no structure/function claim (such as \"supports memory\").")
        return Outcome("unknown", "No structure/function claim was read, but the label was read with low confidence.")
    found, evidence = _disclaimer_parts(label, params)
    value = {"claims": [c.text for c in claims][:5]}
    if len(found) == len(params.disclaimer):
        return Outcome("pass", f"The claim \"{claims[0].text}\" comes with the FDA disclaimer.", claims[:3] + evidence, value)
    missing = [s for s in params.disclaimer if s not in found]
    if (share := _words_read(label, missing)) >= SCATTERED_SHARE:
        return Outcome("unknown", f"The label claims \"{claims[0].text}\"; the FDA disclaimer was not read as its "
                       f"sentences, but {share:.0%} of the words it lacks (\"{missing[0]}\") were read on the label: the OCR "
                       "may have read its lines in pieces or out of order; check the label by eye.",
                       claims[:3] + evidence, value)
    if piece := _piece_read(label, missing, params.threshold):
        return Outcome("unknown", f"The label claims \"{claims[0].text}\"; the FDA disclaimer was not read whole, but "
                       f"part of it was (\"{piece}\"): its small print may be printed there, its other words lost "
                       "to the OCR; check the label by eye.", claims[:3] + evidence, value)
    if found:
        return absent_from_label(label, f"The label claims \"{claims[0].text}\", but its disclaimer is incomplete: "
                                 f"\"{missing[0]}\" is missing ({params.source}).", claims[:3] + evidence)
    return absent_from_label(label, f"The label claims \"{claims[0].text}\", but the FDA disclaimer (\"This "
                             "statement has not been evaluated by the Food and Drug Administration…\") is not "
                             f"printed ({params.source}).", claims[:3])


# ---------------------------------------------------------------- blend-weight-declared


class BlendWeightParams(BaseModel):
    """Parameters of `blend-weight-declared`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    phrases: list[str] = Field(default_factory=lambda: ["proprietary blend", "proprietary formula", "blend",
                                                        "complex", "matrix"])
    """Words that name a blend on a panel line, even one the parser could not turn into a row."""
    skip: list[str] = Field(default_factory=lambda: ["daily value", "supplement facts", "amount per serving",
                                                     "other ingredients"])
    source: str = "21 CFR 101.36(c)(2)"


def _panel_lines(label: Label) -> list[tuple[int, Line]]:
    """The lines inside the panel's box (on the panel's page)."""
    panel = label.panel
    if panel.bbox is None:
        return []
    ev = panel.title or next((r.evidence for r in panel.rows if r.evidence), None)
    page = ev.page if ev else 0
    x, y, w, h = panel.bbox
    out = []
    for index, line in label.lines():
        box = line.bbox
        if index != page or box is None:
            continue
        middle = box[1] + box[3] / 2
        if y <= middle <= y + h and box[0] < x + w and box[0] + box[2] > x:
            out.append((index, line))
    return out


def _weightless_blends(label: Label, params: BlendWeightParams) -> list[Evidence]:
    """Panel lines naming a blend with no weight, unless the next line has its own amount (then it is a heading)."""
    lines = _panel_lines(label)
    out: list[Evidence] = []
    for i, (page, line) in enumerate(lines):
        if find_quantities(line.text) or contains_any(line.text, params.skip, 88.0):
            continue
        if not contains_any(line.text, params.phrases, 88.0):
            continue
        following = lines[i + 1][1].text if i + 1 < len(lines) else ""
        if following and find_quantities(following):
            continue
        out.append(line_evidence(page, line))
    return out


def blend_weight_declared(label: Label, params: BlendWeightParams) -> Outcome:
    """A proprietary blend declares its total weight; not-applicable when there is no blend."""
    if (missing := panel_missing(label)) is not None:
        return missing
    weightless = _weightless_blends(label, params)
    if weightless:
        if all(e.confidence < MIN_CONFIDENCE_FOR_ABSENCE for e in weightless) or not panel_reliable(label):
            return Outcome("unknown", f"\"{weightless[0].text}\" looks like a blend without a weight, but it was read "
                           "with low confidence; check the panel by eye.", weightless)
        return Outcome("fail", f"The blend \"{weightless[0].text}\" gives no total weight ({params.source}: a "
                       "proprietary blend must declare the total amount of its ingredients).", weightless)
    blends = [b for b in label.panel.blends if b.quantity is not None]
    q = blends[0].quantity if blends else None
    if q is not None:
        name = blends[0].name
        return Outcome("pass", f"The blend \"{name}\" declares its total weight: {q.amount:g} {q.unit}.",
                       [row_evidence(b) for b in blends], {"blend": name, **q.to_dict()})
    if panel_reliable(label):
        return Outcome("not-applicable", "The panel has no proprietary blend.")
    return Outcome("unknown", "The panel was read with low confidence, so a blend could have been missed.")
