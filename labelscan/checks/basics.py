"""Check kinds for the FDA Supplement Facts basics: required text, panel fields, %DV declared, † footnote."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from ..model import Evidence, Label, PanelRow
from ..parse import find_quantities
from ..parse.vocabulary import vocabulary
from ..textmatch import contains_any, normalise
from .nutrients import DailyValue, absent_from_label, line_evidence, nutrient_of, row_low_confidence
from .outcome import Outcome, absent, out_of_view, panel_missing, panel_reliable, row_evidence


def find_text(label: Label, phrases: list[str], patterns: list[str] | None = None,
              threshold: float = 85.0) -> Evidence | None:
    """The first label line (or pair of lines, for wrapped text) holding one of `phrases` or matching a pattern."""
    lines = label.lines()
    compiled = [re.compile(p) for p in patterns or []]
    for span in (1, 2):
        for i in range(len(lines) - span + 1):
            chunk = lines[i:i + span]
            text = " ".join(ln.text for _, ln in chunk)
            if contains_any(text, phrases, threshold) or any(c.search(normalise(text)) for c in compiled):
                words = [w for _, ln in chunk for w in ln.words]
                ev = line_evidence(chunk[0][0], chunk[0][1])
                return Evidence(text, ev.bbox if span == 1 else None, sum(w.confidence for w in words) / max(1, len(words)),
                                chunk[0][0])
    return None


# ---------------------------------------------------------------- text-present


class TextPresentParams(BaseModel):
    """Parameters of `text-present`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    phrases: list[str] = Field(min_length=1)
    patterns: list[str] = Field(default_factory=list)
    """Regular expressions tried on each normalised line (lower case, no punctuation)."""
    where: Literal["label", "panel-title"] = "label"
    """panel-title: the parsed panel's title first, and absence judged on the panel's reading confidence."""
    threshold: float = Field(default=85.0, ge=50, le=100)
    what: str = "the text"
    source: str = ""

    @field_validator("patterns")
    @classmethod
    def _valid(cls, value: list[str]) -> list[str]:
        for pattern in value:
            try:
                re.compile(pattern)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression {pattern!r} ({exc})") from None
        return value


def text_present(label: Label, params: TextPresentParams) -> Outcome:
    """Pass when one of the phrases is printed on the label."""
    cite = f" ({params.source})" if params.source else ""
    if params.where == "panel-title":
        if not label.panel.found:
            return Outcome("unknown", "The Supplement Facts panel could not be found or read, so this cannot be checked.")
        title = label.panel.title
        if title is not None and contains_any(title.text, params.phrases, params.threshold):
            return Outcome("pass", f"The panel is headed \"{title.text}\".", [title], {"text": title.text})
    found = find_text(label, params.phrases, params.patterns, params.threshold)
    if found is not None:
        return Outcome("pass", f"Found {params.what}: \"{found.text}\".", [found], {"text": found.text})
    message = f"No {params.what} (\"{params.phrases[0]}\") was found on the label{cite}."
    return absent(label, message) if params.where == "panel-title" else absent_from_label(label, message)


# ---------------------------------------------------------------- field-present


class FieldPresentParams(BaseModel):
    """Parameters of `field-present`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    field: Literal["serving-size", "servings-per-container", "other-ingredients"]
    net_quantity: bool = Field(default=False, alias="net-quantity")
    """servings-per-container: a net quantity ("90 Capsules", "Net Wt. 150 g") that gives it also passes."""
    source: str = ""


_HEADINGS = {"serving-size": ["serving size"], "servings-per-container": ["servings per container"],
             "other-ingredients": ["other ingredients", "inactive ingredients"]}
_WORDS = {"serving-size": "serving size", "servings-per-container": "number of servings per container",
          "other-ingredients": "\"Other ingredients\" list"}
_COUNT = re.compile(r"^(?:net (?:contents|quantity|qty) )?(\d{1,4}) ([a-z ]{2,40})$")
_NET_WT = re.compile(r"net (?:wt|weight|contents)\.? *(\d+(?:\.\d+)?) *(g|oz)\b", re.IGNORECASE)
_SERVING_WT = re.compile(r"\((\d+(?:\.\d+)?) *g\)")


def _count_of(text: str) -> tuple[int, str] | None:
    """(count, dosage-unit family) for "90 Veggie Capsules", "3 Capsules"; None otherwise."""
    match = _COUNT.match(normalise(text))
    if not match:
        return None
    units = vocabulary().dosage_units
    words = match.group(2).split()
    for start in range(len(words)):
        family = units.get(" ".join(words[start:]))
        if family:
            return int(match.group(1)), family
    return None


def _from_net_quantity(label: Label) -> tuple[int, Evidence] | None:
    """Servings per container that follow from a net quantity and the serving size."""
    size = label.panel.serving_size or ""
    per = _count_of(size.split("(")[0].strip())
    grams = _SERVING_WT.search(size)
    for page, line in label.lines():
        count = _count_of(line.text)
        if per and count and per[0] > 0 and count[0] > per[0] and (count[1] == per[1] or
                                                                    {count[1], per[1]} <= {"capsule", "softgel"}):
            return round(count[0] / per[0]), line_evidence(page, line)
        weight = _NET_WT.search(line.text)
        if grams and weight and float(grams.group(1)) > 0:
            net = float(weight.group(1)) * (28.35 if weight.group(2).lower() == "oz" else 1.0)
            return round(net / float(grams.group(1))), line_evidence(page, line)
    return None


def field_present(label: Label, params: FieldPresentParams) -> Outcome:
    """Pass when the panel states the field (servings per container may follow from the net quantity)."""
    if (missing := panel_missing(label)) is not None:
        return missing
    panel, name = label.panel, _WORDS[params.field]
    cite = f" ({params.source})" if params.source else ""
    if params.field == "serving-size" and panel.serving_size:
        return Outcome("pass", f"Serving size: {panel.serving_size}.", [e for e in [panel.serving_size_evidence] if e],
                       {"serving_size": panel.serving_size})
    if params.field == "servings-per-container":
        if panel.servings_per_container:
            return Outcome("pass", f"Servings per container: {panel.servings_per_container}.",
                           [e for e in [panel.servings_per_container_evidence] if e],
                           {"servings_per_container": panel.servings_per_container})
        derived = _from_net_quantity(label) if params.net_quantity else None
        if derived:
            return Outcome("pass", f"The net quantity \"{derived[1].text}\" with a serving of {panel.serving_size} "
                           f"gives {derived[0]} servings.", [derived[1]],
                           {"servings_per_container": derived[0], "from": "net quantity"})
    if params.field == "other-ingredients" and (panel.other_ingredients or panel.other_ingredients_evidence):
        ev = panel.other_ingredients_evidence
        return Outcome("pass", f"Other ingredients listed: {', '.join(panel.other_ingredients) or (ev.text if ev else '')}.",
                       [ev] if ev else [], {"other_ingredients": list(panel.other_ingredients)})
    heading = find_text(label, _HEADINGS[params.field], threshold=88.0)
    if heading is not None:
        return Outcome("unknown", f"\"{heading.text}\" is printed, but the {name} could not be read from it.", [heading])
    if params.field == "other-ingredients" and label.partly_in_view:  # the list follows the panel, maybe round the back
        return out_of_view(f"No {name} was found")
    return absent(label, f"The panel does not state the {name}{cite}.")


# ---------------------------------------------------------------- dv-declared


class DvDeclaredParams(BaseModel):
    """Parameters of `dv-declared`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    daily_values: dict[str, DailyValue] = Field(alias="daily-values", min_length=1)
    source: str = "21 CFR 101.36(b)(2)(iii)"


def _number_after_amount(row: PanelRow) -> bool:
    """Whether the row's text has a number after its amount (a %DV printed but not read as one)."""
    found = find_quantities(row.text)
    rest = row.text[found[-1][2]:] if found else ""
    return bool(re.search(r"\d", rest))


def dv_declared(label: Label, params: DvDeclaredParams) -> Outcome:
    """Every declared nutrient that has a Daily Value shows its %DV."""
    if (missing := panel_missing(label)) is not None:
        return missing
    rows = [(r, n) for r in label.panel.rows if r.quantity is not None and (n := nutrient_of(r, params.daily_values))]
    if not rows:
        return Outcome("not-applicable", "No nutrient with a Daily Value (vitamins, minerals) is declared in the panel.")
    daggered = [(r, n) for r, n in rows if r.dv_percent is None and r.dagger]
    lacking = [(r, n) for r, n in rows if r.dv_percent is None and not r.dagger]
    unsure = [r for r, _ in lacking if _number_after_amount(r) or row_low_confidence(r)]
    sure = [(r, n) for r, n in lacking if r not in unsure]
    if daggered:
        row, nutrient = daggered[0]
        return Outcome("fail", f"{nutrient.capitalize()} has a Daily Value, but \"{row.text}\" marks it † (Daily Value "
                       f"not established) instead of giving its %DV ({params.source}).",
                       [row_evidence(r) for r, _ in daggered + sure])
    if sure and panel_reliable(label):
        names = ", ".join(n for _, n in sure)
        return Outcome("fail", f"No %Daily Value is given for {names}: \"{sure[0][0].text}\". {params.source} requires "
                       "the %DV for every dietary ingredient that has a Daily Value.", [row_evidence(r) for r, _ in sure])
    if sure or unsure:
        return Outcome("unknown", "A %Daily Value could not be read for "
                       f"{', '.join(n for r, n in lacking)}; check the panel by eye.",
                       [row_evidence(r) for r, _ in lacking])
    return Outcome("pass", f"Every nutrient with a Daily Value shows its %DV ({', '.join(n for _, n in rows)}).",
                   [row_evidence(r) for r, _ in rows][:5], {"nutrients": [n for _, n in rows]})


# ---------------------------------------------------------------- footnote-for-dagger


class FootnoteParams(BaseModel):
    """Parameters of `footnote-for-dagger`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    phrases: list[str] = Field(default_factory=lambda: ["daily value not established", "daily values not established",
                                                        "dv not established", "daily value not determined"])
    source: str = "21 CFR 101.36(b)(3)(iv)"


def footnote_for_dagger(label: Label, params: FootnoteParams) -> Outcome:
    """A † (or *) used in place of a %DV has its "Daily Value not established" footnote."""
    if (missing := panel_missing(label)) is not None:
        return missing
    marked = [r for r in label.panel.rows if r.dagger]
    if not marked:
        return Outcome("not-applicable", "No ingredient in the panel is marked † (Daily Value not established).")
    footnote = label.panel.dagger_footnote or find_text(label, params.phrases)
    if footnote is not None:
        return Outcome("pass", f"The † is explained: \"{footnote.text}\".", [footnote])
    return absent(label, f"\"{marked[0].text}\" is marked †, but the panel has no \"† Daily Value not established\" "
                  f"footnote to explain it ({params.source}).", [row_evidence(r) for r in marked])
