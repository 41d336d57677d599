"""Check kind `seal-present`: a third-party certification (or an accepted facility mark) is on the label."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..model import Evidence, Label, Seal
from ..seals import load_catalogue
from .outcome import MIN_CONFIDENCE_FOR_ABSENCE, Outcome, off_panel_glare, under_glare, whole_bottle_label

KIND_WORDS = {
    "third-party": "a third-party product certification",
    "facility": "a third-party certification of the factory (GMP), not of the product",
    "self-claim": "the maker's own claim, not a seal",
    "certifier": "a certifier's mark, of the product or of its factory",
}


class SealPresentParams(BaseModel):
    """Parameters of `seal-present`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    accept: list[str] = Field(min_length=1)
    """Catalogue ids (rules/seals.yaml) that satisfy the check."""

    @field_validator("accept")
    @classmethod
    def _known_programs(cls, value: list[str]) -> list[str]:
        known = {s.id for s in load_catalogue().seals}
        unknown = [v for v in value if v not in known]
        if unknown:
            raise ValueError(f"not in the seal catalogue: {', '.join(unknown)} (known: {', '.join(sorted(known))})")
        return value


def _evidence(seal: Seal) -> Evidence:
    return Evidence(seal.text or seal.name, seal.bbox, seal.confidence, seal.page)


def seal_present(label: Label, params: SealPresentParams) -> Outcome:
    """Pass on an accepted seal; fail on none or only self-claims; unknown when the label was read too poorly."""
    accepted = [s for s in label.seals if s.accepted_by(params.accept)]
    if accepted:
        best = max(accepted, key=lambda s: (not s.covers, s.kind == "third-party", s.confidence))
        initials = f" (only \"{best.text}\" could be read of it, not its programme)" if best.covers else ""
        return Outcome(
            "pass",
            f"Found {best.name}{initials}: {KIND_WORDS[best.kind]}.",
            [_evidence(s) for s in accepted],
            {"program": best.program, "kind": best.kind},
        )
    maybe = [s for s in label.seals if set(s.covers) & set(params.accept)]
    if maybe:  # a certifier's mark known by its initials, which may be a programme the check does not accept
        programs = ", ".join(sorted(set(maybe[0].covers) - set(params.accept)))
        return Outcome("unknown", f"Found {maybe[0].name}, whose programme could not be read: it may be one this "
                       f"check does not accept ({programs}); look at it by eye.", [_evidence(s) for s in maybe])
    others = [s for s in label.seals if not s.accepted_by(params.accept)]
    # Each wording once: the same claim printed twice, or read on two pages, is one thing to tell the user.
    names = "; ".join(dict.fromkeys(f"\"{s.text or s.name}\" ({KIND_WORDS[s.kind]})" for s in others))
    if label.unread_marks:  # a self-claim found elsewhere does not tell what an unreadable round mark says
        also = f" (found only {names})" if others else ""
        return Outcome("unknown", f"No accepted seal was read{also}, but the label carries a mark shaped like a "
                       "seal (round, a shield or a badge) whose words could not be read; look at it by eye.",
                       list(label.unread_marks) + [_evidence(s) for s in others])
    if label.partly_in_view:  # nor does the side of a bottle the photo shows tell what is round the back
        also = f" (only {names})" if others else ""
        return Outcome("unknown", f"No accepted seal was found on the side of the bottle in the photo{also}; the label "
                       "wraps round it, so a seal may be on the side not photographed.", [_evidence(s) for s in others])
    if glare := off_panel_glare(label):  # nor does a label whose print is partly washed out by glare
        found = f"No accepted seal was found (only {names})" if others else "No seal was found"
        return under_glare(found, glare, "the label", [_evidence(s) for s in others])
    if others:
        return Outcome("fail", f"No accepted seal; found only {names}.{whole_bottle_label(label)}",
                       [_evidence(s) for s in others])
    if label.mean_confidence < MIN_CONFIDENCE_FOR_ABSENCE:
        pct = round(label.mean_confidence * 100)
        return Outcome("unknown", f"No seal was found, but the label was read with low confidence ({pct}%), so one may have been missed.")
    return Outcome("fail", "No third-party quality seal or GMP certification mark was found on the label."
                   + whole_bottle_label(label))
