"""Check kinds about the panel's ingredients: named explicitly, amount stated, no proprietary blend."""

from __future__ import annotations

import re
from statistics import median

from pydantic import BaseModel, ConfigDict, Field
from rapidfuzz import fuzz

from ..model import Evidence, Label, PanelRow, Quantity
from ..parse.blends import has_blend_keyword
from ..parse.rows import PERCENT_ONLY, closes_unopened_bracket, split_items
from ..parse.vocabulary import is_salt_anion, reference_for, salt_anion_first, starts_with_salt_anion, vocabulary
from ..textmatch import LEGIBLE_WORD, contains_any, normalise
from .nutrients import mg
from .outcome import (LEGIBLE_CONFIDENCE, MIN_CONFIDENCE_FOR_ABSENCE, WORD_INITIAL_NUMBER, Outcome,
                      absent_row, lost_lines_mentioning, lost_row, names_only_compounds, panel_glare, panel_missing,
                      panel_reliable, row_evidence, under_glare, unparsed_table_lines, unread_name_lines, unread_print)


# ---------------------------------------------------------------- ingredient-named


class IngredientNamedParams(BaseModel):
    """Parameters of `ingredient-named`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    names: list[str] = Field(min_length=1)
    near_misses: list[str] = Field(default_factory=list, alias="near-misses")
    """Names that come close but are not enough (e.g. without the L-): 'unknown', for a person to look."""
    threshold: float = Field(default=85.0, ge=50, le=100)


MIN_PIECE_LENGTH = 4
"""Shortest word taken for a piece of a wanted word ("onate" of threonate); shorter ones match too much."""
MIN_PIECE_SCORE = 90.0
"""rapidfuzz partial_ratio at which a word lies (almost) whole inside a wanted word."""
WHOLE_WORD_SCORE = 85.0
"""rapidfuzz ratio at which a word is the wanted word itself, read with OCR noise."""


def _broken_name_word(row: PanelRow, names: list[str]) -> str | None:
    """A word of the row that is a piece of a wanted name's own word ("onate" or "threo" of "threonate"),
    not that word read whole: the OCR broke the name, so the row may well name the ingredient. Words the
    row's own name already holds ("magnesium" in "Magnesium (as …)") are not the telling ones."""
    own = normalise(row.name).split()
    telling = {t for name in names for t in normalise(name).split()
               if len(t) > MIN_PIECE_LENGTH and not any(fuzz.ratio(o, t) >= WHOLE_WORD_SCORE for o in own)}
    for word in normalise(" ".join([*row.forms, row.text])).split():
        if len(word) < MIN_PIECE_LENGTH:
            continue
        for wanted in telling:
            if fuzz.ratio(word, wanted) < WHOLE_WORD_SCORE and fuzz.partial_ratio(word, wanted) >= MIN_PIECE_SCORE:
                return word
    return None


def _spelled_out(text: str, names: list[str]) -> bool:
    """Whether the text spells one of `names` letter for letter once its spaces are gone: OCR splits words
    ("Magnesium L-Th reonate")."""
    joined = normalise(text).replace(" ", "")
    return any(normalise(name).replace(" ", "") in joined for name in names)


def _salt_first_word_unread(row: PanelRow, names: list[str]) -> str | None:
    """The text of the row (its name, a source or a blend's component) in which a sought salt's second word
    ("threonate") follows no word that names a nutrient: a word that names nothing known ("Azanesium
    L-Threonate", magnesium misread; "(from 1,200 ime L-Threonate)", the line "mg Magnesium" lost and "mg"
    misread), or nothing but the source's weight or a connector while the row's own name is the salt's first
    word ("Magnesium (from 1,200 L-Threonate)"). Its first word was lost or misread, so the row may well name
    the salt. "Calcium L-Threonate" names another nutrient's salt, and so does "Zinc (as L-threonate)"."""
    units, fillers = vocabulary().units, {*vocabulary().providing_fillers, "from"}
    for name in names:
        words = normalise(name).split()
        if len(words) < 2 or not is_salt_anion(words[-1]):
            continue
        for text in [row.name, *row.forms, *row.components]:
            tokens = normalise(text).split()
            for i in (i for i, token in enumerate(tokens) if is_salt_anion(token) and token.endswith(words[-1])):
                before = [t for t in tokens[:i] if t not in ("l", "d", "dl")]
                while before and (before[-1].isdigit() or before[-1] in units or before[-1] in fillers):
                    before.pop()  # the source's weight, "as", "from"
                if before:
                    if reference_for(before[-1]) is None:
                        return text
                elif text is not row.name and fuzz.ratio(normalise(row.name), words[0]) >= WHOLE_WORD_SCORE:
                    return text  # the row's own name is the salt's first word; the source's lost with a line
    return None


def _source_of_an_unread_nutrient(row: PanelRow) -> bool:
    """Whether the row's source names only a salt's second word ("(as L-threonate)") and its own name is no nutrient
    ("M jum (as — | L-threonate)", magnesium garbled): the name and source read together may be the sought salt."""
    return reference_for(row.name) is None and any(salt_anion_first(form) for form in row.forms)


def _wrapped_names(label: Label) -> list[tuple[Evidence, Evidence]]:
    """Table lines holding only a name that did not become a row, each with the table line after it when that
    begins with a salt's second word ("Magnesium" / "L-Threonate 2,000", the amount's unit lost): one name
    wrapped over two lines."""
    unparsed = {id(line) for line in unparsed_table_lines(label)}
    lines = label.panel.table_lines
    return [(first, second) for first, second in zip(lines, lines[1:])
            if id(first) in unparsed and not any(c.isdigit() for c in first.text)
            and starts_with_salt_anion(second.text)]


_PERCENTAGE = re.compile(rf"(?:^|(?<=\s)){PERCENT_ONLY.pattern}(?=\s|$)")
"""A percentage standing as a word of its own ("22%"): a %DV, never a word of an ingredient's name."""


def _name_text(text: str) -> str:
    """The text without its percentages: a name wrapped over two lines has its %DV, printed beside the first,
    read into the middle of it ("Magnesium (from 1,200 mg Magnesium 22% L-Threonate) 92 mg")."""
    return _PERCENTAGE.sub(" ", text)


def _without_lone_letters(text: str) -> str:
    """The text with its one-letter words dropped: an isomer's letter misread ("Magnesium t-Threonate") leaves
    a near miss, not a different name."""
    return " ".join(word for word in normalise(text).split() if len(word) > 1 or not word.isalpha())


def ingredient_named(label: Label, params: IngredientNamedParams) -> Outcome:
    """Pass when a panel row names one of `names`."""
    if (missing := panel_missing(label)) is not None:
        return missing
    for row in label.panel.rows:
        match = (contains_any(_name_text(row.all_text), params.names, params.threshold)
                 or _spelled_out(row.text, params.names))
        if match:
            return Outcome("pass", f"The panel names {params.names[0]}: \"{row.text}\".", [row_evidence(row)])
    for line in unparsed_table_lines(label):  # the name read whole; only the line's amount was lost
        if contains_any(_name_text(line.text), params.names, params.threshold):
            return Outcome("pass", f"The panel names {params.names[0]}: \"{line.text}\" (a table line whose "
                           "amount could not be read).", [line])
    for first, second in _wrapped_names(label):
        if contains_any(_name_text(f"{first.text} {second.text}"), params.names, params.threshold):
            return Outcome("pass", f"The panel names {params.names[0]}: \"{first.text}\" / \"{second.text}\" (a "
                           "name wrapped over two table lines that were not read as one row).", [first, second])
    for other in label.panel.other_readings:  # the best reading garbled it ("L-Threonate, …" / "Magnesium")
        # a line holding the name (its own box), else a row whose name wrapped over lines
        for text, evidence in [(line.text, line) for line in other.table_lines] + [
                (row.all_text, row_evidence(row)) for row in other.rows]:
            if contains_any(_name_text(text), params.names, params.threshold):
                return Outcome("pass", f"The panel names {params.names[0]}: \"{text}\" (on another reading of the "
                               "panel; the best reading garbled that line).", [evidence])
    for row in label.panel.rows:
        near = contains_any(_without_lone_letters(_name_text(row.all_text)), params.near_misses, params.threshold)
        if near:
            return Outcome(
                "unknown",
                f"The panel says \"{row.text}\", close to but not exactly {params.names[0]}; check the label by eye.",
                [row_evidence(row)],
            )
    if lost := lost_lines_mentioning(label, params.names):
        return lost_row(lost[0], f"name {params.names[0]}")
    for row in label.panel.rows:
        if piece := _broken_name_word(row, params.names):
            return Outcome(
                "unknown",
                f"The panel does not clearly name {params.names[0]}, but the row \"{row.text}\" holds \"{piece}\", "
                f"which reads like part of it broken by the OCR; check the label by eye.",
                [row_evidence(row)],
            )
    for row in label.panel.rows:
        if salt_anion_first(row.name) or _source_of_an_unread_nutrient(row):
            return Outcome(
                "unknown",
                f"The panel does not clearly name {params.names[0]}, but the row \"{row.text}\" names only the "
                "second half of a salt: its first half (or the nutrient it is a source of) was not read; check the "
                "label by eye.",
                [row_evidence(row)],
            )
    for row in label.panel.rows:
        if misread := _salt_first_word_unread(row, params.names):
            return Outcome(
                "unknown",
                f"The panel does not clearly name {params.names[0]}, but \"{misread}\" (in the row \"{row.text}\") "
                "names its second word after none that names a nutrient: its first word may have been lost or "
                "misread by the OCR; check the label by eye.",
                [row_evidence(row)],
            )
    related = [r for r in label.panel.rows if _mentions_a_word_of(r.all_text, params.names)]
    other_salts = [r for r in related if _sourced_from_other_salts(r, params.names)]
    return absent_row(label, f"The panel does not name {params.names[0]}.",
                      [row_evidence(r) for r in related if r not in other_salts], params.names,
                      settled=[row_evidence(r) for r in other_salts])


LIKE_A_NAMED_SALT = 75.0
"""rapidfuzz ratio at which a salt word read may be a salt of the names misread: "threonete" and "thronate"
score 94 against "threonate", "citrate" and "chelate" 62."""
_SOURCE = re.compile(r"\(\s*(?:as|from)\s+([^()]+)\)", re.IGNORECASE)
"""A row's source, read whole to its closing bracket: "(as magnesium glycinate)"."""


def _sourced_from_other_salts(row: PanelRow, names: list[str]) -> bool:
    """Whether the row's sources, each read to its closing bracket, name only the nutrient and salts that are
    none of `names` ("Magnesium (as magnesium Olycinate)" beside the name "magnesium L-threonate"): the row is
    about another salt however poorly it was read — OCR noise does not turn "L-threonate" into "glycinate" —
    so it leaves no doubt that the name sought is missing. A word that is neither, or a salt of the names,
    and the row keeps its doubt."""
    sources = _SOURCE.findall(row.text)
    name_words = {word for name in names for word in normalise(name).split()}
    named_salts = [word for word in name_words if is_salt_anion(word)]
    nutrient_words = name_words.difference(named_salts)  # "magnesium"
    for source in sources:
        salts = [word for word in normalise(source).split() if word not in nutrient_words]
        if not salts or any(max(fuzz.ratio(word, anion) for anion in vocabulary().salt_anions) < WHOLE_WORD_SCORE
                            or any(fuzz.ratio(word, named) >= LIKE_A_NAMED_SALT for named in named_salts)
                            for word in salts):
            return False
    return bool(sources)


STEM = 6
"""Letters of a word that identify it in a row ("magnes…", "threon…"), so a row naming part of what is sought
still counts as bearing on it."""


def _mentions_a_word_of(text: str, names: list[str]) -> bool:
    """Whether the text holds a word beginning like a word (four letters or more) of one of the names: a row
    about the same nutrient or compound, whose reading (its confidence) bears on whether a name is absent."""
    stems = {w[:STEM] for name in names for w in normalise(name).split() if len(w) >= 4}
    return any(token.startswith(stem) for token in normalise(text).split() for stem in stems)


# ---------------------------------------------------------------- nutrient-amount-stated


class FormSpec(BaseModel):
    """A compound form of a nutrient: how much of the nutrient it can hold."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    names: list[str] = Field(min_length=1)
    elemental_fraction: tuple[float, float] = Field(alias="elemental-fraction")
    """The nutrient's share of the compound's weight: (lowest, highest) for commercial material."""
    max_compound_mg_per_serving: float = Field(default=3000, alias="max-compound-mg-per-serving")


class NutrientAmountParams(BaseModel):
    """Parameters of `nutrient-amount-stated`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    nutrient: str
    forms: list[FormSpec] = Field(default_factory=list)
    max_mg_per_serving: float | None = Field(default=None, gt=0, alias="max-mg-per-serving")
    """More of the nutrient than any supplement carries per serving: a row stating more holds another row's
    amount read beside its name (a blend's weight, a compound's) and proves nothing: 'unknown'."""


def _is_nutrient_row(row: PanelRow, nutrient: str) -> bool:
    """A row for the nutrient itself ("Magnesium", "Elemental magnesium"), not for a compound of it."""
    name = normalise(row.name)
    for prefix in ("elemental ", "total "):
        name = name.removeprefix(prefix)
    name = name.removesuffix(" elemental")
    return not row.blend and fuzz.ratio(name, normalise(nutrient)) >= 88


def _form_of(row: PanelRow, forms: list[FormSpec]) -> FormSpec | None:
    text = " ".join([*row.forms, row.text])
    return next((f for f in forms if contains_any(text, f.names)), None)


def _compound_mg(label: Label, form: FormSpec, nutrient: str) -> float | None:
    """The printed weight of the compound itself (e.g. "Magnesium L-Threonate 2,000 mg"), if any."""
    for row in label.panel.rows:
        if row.quantity is None or row.blend or _is_nutrient_row(row, nutrient) or row.dv_percent is not None:
            continue  # a compound has no Daily Value: a row with a %DV is the nutrient's, its name read short
        if _lost_its_opening(row, nutrient):
            continue  # "Magnesium L-threonate) 74 mg": the nutrient's own row, its "(as magnesium" lost
        if contains_any(row.name, form.names):
            return row.quantity.to_mg()
    return None


def _elemental_ceiling_mg(form: FormSpec) -> float:
    """The most of the nutrient a serving of the form can give: its largest serving of the compound at the
    form's highest elemental share."""
    return form.max_compound_mg_per_serving * form.elemental_fraction[1]


def _impossible_reason(label: Label, row: PanelRow, quantity: Quantity, forms: list[FormSpec], nutrient: str) -> str | None:
    """Why this amount cannot be the elemental nutrient from the named form, or None if it can."""
    mg = quantity.to_mg()
    form = _form_of(row, forms)
    if mg is None or form is None:
        return None
    low, high = form.elemental_fraction
    compound = _compound_mg(label, form, nutrient)
    if compound and mg > compound * high * 1.03:
        return (f"{row.text!r} gives more {nutrient} than {compound:g} mg of {form.names[0]} can hold "
                f"(at most {high:.1%}, {compound * high:.0f} mg)")
    if mg > _elemental_ceiling_mg(form):
        return (f"{mg:g} mg of {nutrient} from {form.names[0]} would need more than "
                f"{mg / high:,.0f} mg of the compound per serving ({form.names[0]} is at most {high:.1%} {nutrient}); "
                f"this is the compound's weight, not the elemental amount")
    return None


BROKEN_END = 5
"""Letters a misread word shares with the start or end of the nutrient's name ("x2esium" of "magnesium") for it
to be that name broken by the OCR."""


def _broken_nutrient_word(row: PanelRow, nutrient: str) -> str | None:
    """The first word of the row's name when it is the nutrient's name broken by the OCR ("x2esium (from 1,000 mg
    …) 74 mg"): it shares the name's first or last BROKEN_END letters without being it, nor another nutrient."""
    words = normalise(row.name).split()
    wanted = normalise(nutrient)
    if not words or len(wanted) <= BROKEN_END:
        return None
    word = "".join(c for c in words[0] if c.isalpha())
    if fuzz.ratio(word, wanted) >= WHOLE_WORD_SCORE or word in vocabulary().reference_dv:
        return None
    shares = word.startswith(wanted[:BROKEN_END]) or word.endswith(wanted[-BROKEN_END:])
    return words[0] if shares else None


DV_ROUNDING = 1.0
"""Percentage points a printed %DV may differ from the amount over the reference Daily Value (rounding)."""


def _names_nutrient_itself(row: PanelRow, nutrient: str) -> bool:
    """Whether a word of the row's name is the nutrient, not only as a salt's first word ("Vegetarian Capsule |
    Elemental Magnesium": a cell of the column beside it read into the name)."""
    words, wanted = normalise(row.name).split(), normalise(nutrient)
    return (not row.blend and any(fuzz.ratio(w, wanted) >= 88 for w in words)
            and not names_only_compounds(row.name, [nutrient]))


def _dv_miss(row: PanelRow, nutrient: str) -> tuple[float, float] | None:
    """How far (percentage points) the row's printed %DV lies from the %DV its amount implies as the nutrient,
    and that implied %DV; None without a printed %DV, an amount in mg or the nutrient's Daily Value in mg."""
    ref = reference_for(nutrient)
    mg = row.quantity.to_mg() if row.quantity else None
    if ref is None or mg is None or row.dv_percent is None or ref.unit != "mg":
        return None
    implied = 100 * mg / ref.amount
    return abs(row.dv_percent - implied), implied


def _dv_is_nutrients(row: PanelRow, nutrient: str) -> bool:
    """Whether the row's printed %DV is its amount over the nutrient's reference Daily Value: only the nutrient
    itself has a Daily Value, so such a row states the nutrient, not a compound of it."""
    miss = _dv_miss(row, nutrient)
    return miss is not None and miss[0] <= DV_ROUNDING


DV_CONTRADICTION = 0.1
"""Share of the %DV an amount implies by which the printed %DV must miss it (besides rounding) to contradict the
amount: older labels' Daily Values differ from today's by about 5 % (magnesium's 400 mg, now 420 mg)."""


def _dv_contradicts(row: PanelRow, nutrient: str) -> bool:
    """Whether the row's printed %DV is far from its amount over the nutrient's Daily Value ("396mg 23%", 96 mg
    misread): one of the two numbers was misread."""
    miss = _dv_miss(row, nutrient)
    return miss is not None and miss[0] > DV_ROUNDING + DV_CONTRADICTION * miss[1]


def _vouched_by_dv(label: Label, row: PanelRow, params: NutrientAmountParams, note: str = "") -> Outcome | None:
    """A pass when the row's %DV shows its amount is the nutrient's own (and the amount is possible), else None;
    `note` follows the row's text in the message."""
    q = row.quantity
    if q is None or not _dv_is_nutrients(row, params.nutrient) or _impossible_reason(label, row, q, params.forms,
                                                                                      params.nutrient):
        return None
    return Outcome("pass", f"Elemental {params.nutrient} per serving is stated: {q.amount:g} {q.unit} (the row read as "
                   f"\"{row.text}\"{note}; its {row.dv_percent:g}% Daily Value fits {q.amount:g} {q.unit} of "
                   f"{params.nutrient}).", [row_evidence(row)], q.to_dict())


def _noisy_nutrient_outcome(label: Label, params: NutrientAmountParams) -> Outcome | None:
    """A row whose name holds the nutrient among other words ("Magnesium ii 133 mg 32%", "Vegetarian Capsule |
    Elemental Magnesium 74mg 18%"): a pass when its %DV shows the amount is the nutrient's own, else 'unknown'
    (it may be the nutrient's row); None when there is no such row."""
    mentions = [r for r in label.panel.rows if r.quantity is not None and _names_nutrient_itself(r, params.nutrient)]
    for row in mentions:  # the %DV vouches for the amount however confidently it was read (two numbers agree)
        if (vouched := _vouched_by_dv(label, row, params)) is not None:
            return vouched
    if mentions:
        return Outcome("unknown", f"No row clearly states the elemental {params.nutrient} per serving, but the row "
                       f"\"{mentions[0].text}\" names {params.nutrient} among other words and may be it; check the "
                       "label by eye.", [row_evidence(r) for r in mentions])
    return None


def _name_unread(row: PanelRow, params: NutrientAmountParams) -> bool:
    """Whether a row with an amount, no blend, has a name that is no nutrient the OCR read and no form of this
    one: its name may be the nutrient's, garbled."""
    return (row.quantity is not None and not row.blend and reference_for(row.name) is None
            and not any(contains_any(row.name, f.names) for f in params.forms))


def _sourced_from_a_form(row: PanelRow, params: NutrientAmountParams) -> bool:
    """Whether a form of the nutrient is the row's source (not its name) and the name is no nutrient the OCR read
    ("M jum (as — | L-threonate) 134 mg 32%"): the row may be the nutrient's own, its name garbled."""
    return _name_unread(row, params) and any(contains_any(form, f.names) for form in row.forms for f in params.forms)


DV_ALONE = 10.0
"""A %DV at least this high vouches for the nutrient on its own, the row's name and source unread ("Manes ‘
87 mg 21%"): only magnesium has a Daily Value of about 420 mg (the nearest, cholesterol's 300 mg and choline's
550 mg, print percentages a third apart from it there; below this, rounding could make them agree)."""


def _named_nothing(row: PanelRow, params: NutrientAmountParams) -> bool:
    """Whether the row's name is no nutrient the OCR read, names neither this one nor a form of it (rows that
    do are judged by the rules above), and its %DV is high enough to vouch for the amount alone (see DV_ALONE)."""
    return (_name_unread(row, params) and row.dv_percent is not None and row.dv_percent >= DV_ALONE
            and normalise(params.nutrient) not in normalise(row.name).split())


def _lost_its_opening(row: PanelRow, nutrient: str) -> bool:
    """Whether the row begins with the nutrient's name and closes a bracket it never opened ("| Magnesium |
    citrate) 250 mg", where "(as magnesium" was lost): what reads as a compound's name and weight may be the
    nutrient's own row, its source cut short."""
    return closes_unopened_bracket(row.text) and normalise(row.name).split()[:1] == [normalise(nutrient)]


def _may_be_the_nutrients_row(row: PanelRow, params: NutrientAmountParams) -> str | None:
    """Why a row whose name the OCR did not read may be the nutrient's own row, or None: its text closes a
    bracket it never opened ("glycinate) 200 mg", "Magnesium (as magnesium" lost), or its source begins with the
    nutrient ("t@sium (as magnesium tate) 200 mg"). Not when its first word or its %DV shows it is another
    nutrient's, nor when its amount is more than a serving holds."""
    mg = row.quantity.to_mg() if row.quantity is not None else None
    first = normalise(row.name).split()[:1]
    if (mg is None or not _name_unread(row, params) or _dv_contradicts(row, params.nutrient)
            or (first and reference_for(first[0]) is not None)  # "Zinc citrate) 250 mg": another nutrient's
            or (params.max_mg_per_serving is not None and mg > params.max_mg_per_serving)):
        return None
    if closes_unopened_bracket(row.text):
        return "closes a bracket it never opened: the OCR lost the start of its name"
    wanted = normalise(params.nutrient)
    for source in row.forms:
        words = normalise(source).split()
        if (words and fuzz.ratio(words[0], wanted) >= WHOLE_WORD_SCORE
                and not _beyond_elemental_ceiling(row, params.forms)):
            return f"has a source of {params.nutrient} (\"{source}\") but a name the OCR could not read"
    return None


def nutrient_amount_stated(label: Label, params: NutrientAmountParams) -> Outcome:
    """Pass when a row states the elemental nutrient per serving with a plausible amount."""
    if (missing := panel_missing(label)) is not None:
        return missing
    rows = [r for r in label.panel.rows if _is_nutrient_row(r, params.nutrient)]
    problems: list[str] = []
    unreadable, implausible, contradicted = [], [], []
    for row in rows:
        if row.quantity is None or row.quantity.to_mg() is None:
            unreadable.append(row)
            continue
        reason = _impossible_reason(label, row, row.quantity, params.forms, params.nutrient)
        if reason and _dv_contradicts(row, params.nutrient):  # a misread amount proves no mislabel
            contradicted.append(row)
            continue
        if reason:
            problems.append(reason)
            continue
        q = row.quantity
        if params.max_mg_per_serving is not None and (q.to_mg() or 0) > params.max_mg_per_serving:
            implausible.append(row)
            continue
        low_conf = row.evidence is not None and row.evidence.confidence < MIN_CONFIDENCE_FOR_ABSENCE
        if low_conf and not _dv_is_nutrients(row, params.nutrient):
            unreadable.append(row)
            continue
        how = (f" (the row \"{row.text}\" was read with low confidence, but its {row.dv_percent:g}% Daily Value "
               f"fits {q.amount:g} {q.unit} of {params.nutrient}: two numbers read apart that agree)" if low_conf else "")
        return Outcome("pass", f"Elemental {params.nutrient} per serving is stated: {q.amount:g} {q.unit}{how}.",
                       [row_evidence(row)], q.to_dict())
    if unreadable:
        return Outcome("unknown", f"A {params.nutrient} row was found but its amount could not be read reliably.",
                       [row_evidence(r) for r in unreadable])
    if implausible:
        return Outcome("unknown", f"The row \"{implausible[0].text}\" states more {params.nutrient} per serving than "
                       f"any supplement carries (over {mg(params.max_mg_per_serving)} mg): it may be another row's "
                       "amount read beside its name; check the label by eye.", [row_evidence(r) for r in implausible])
    if contradicted:
        row = contradicted[0]
        q, dv = row.quantity, row.dv_percent
        return Outcome("unknown", f"The row \"{row.text}\" reads {q.amount:g} {q.unit} of {params.nutrient}, more than "
                       f"its form can give, but its own {dv:g}% Daily Value contradicts that amount: one of the two was "
                       "misread; check the label by eye.", [row_evidence(r) for r in contradicted])
    if problems:
        bad = [row_evidence(r) for r in rows]
        return Outcome("fail", f"No usable elemental {params.nutrient} amount: {problems[0]}.", bad)
    if (noisy := _noisy_nutrient_outcome(label, params)) is not None:
        return noisy
    lost = [line for line in lost_lines_mentioning(label, [params.nutrient])
            if not names_only_compounds(line.text, [params.nutrient])]
    if lost:
        return lost_row(lost[0], f"state the {params.nutrient} per serving")
    for row in label.panel.rows:
        if (row.quantity is not None and not any(contains_any(row.name, f.names) for f in params.forms)
                and (piece := _broken_nutrient_word(row, params.nutrient))):  # not the compound's own row
            broken = f" begins with \"{piece}\", {params.nutrient} broken by the OCR"
            if (vouched := _vouched_by_dv(label, row, params, broken)) is not None:
                return vouched
            return Outcome("unknown", f"No row clearly states the elemental {params.nutrient} per serving, but the row "
                           f"\"{row.text}\" begins with \"{piece}\", which reads like {params.nutrient} broken by the "
                           "OCR; check the label by eye.", [row_evidence(row)])
    for row in label.panel.rows:
        if _sourced_from_a_form(row, params) and (vouched := _vouched_by_dv(
                label, row, params, f"; its name \"{row.name}\" is no nutrient the OCR could read, its source a form "
                f"of {params.nutrient}")) is not None:
            return vouched
    for row in label.panel.rows:
        if _named_nothing(row, params) and (vouched := _vouched_by_dv(
                label, row, params, f"; its name \"{row.name}\" is no nutrient the OCR could read")) is not None:
            return vouched
    for row in label.panel.rows:
        if row.quantity is not None and _lost_its_opening(row, params.nutrient):
            return Outcome("unknown", f"No row clearly states the elemental {params.nutrient} per serving, but the row "
                           f"\"{row.text}\" closes a bracket it never opened: the OCR lost the start of its name's "
                           f"source, and it may be {params.nutrient}'s own row (\"{params.nutrient.capitalize()} (as "
                           "…)\"); check the label by eye.", [row_evidence(row)])
    compounds = [r for r in label.panel.rows if params.forms and _form_of(r, params.forms)]
    # a compound's row weighing more than the form's elemental ceiling is its weight however poorly it was read
    # ("Magnesium L-Threonate 2,000 mg" at 79 %): misread, it still states no possible elemental amount
    heavy = [_beyond_elemental_ceiling(r, params.forms) for r in compounds]
    settled = [row_evidence(r) for r, beyond in zip(compounds, heavy) if beyond]
    compound_rows = [row_evidence(r) for r, beyond in zip(compounds, heavy) if not beyond]
    # a row whose name begins with the nutrient and a salt's word ("Magnesium Glycinate 500 mg"; rows that run on
    # in noise were settled by _noisy_nutrient_outcome) bears on it: read with low confidence, the absence is doubtful
    noisy = [row_evidence(r) for r in label.panel.rows
             if normalise(r.name).startswith(normalise(params.nutrient) + " ") and not _form_of(r, params.forms)]
    outcome = absent_row(label, f"No row states the elemental {params.nutrient} per serving; only the compound weight "
                         "is given." if compounds else f"No row states the elemental {params.nutrient} per serving.",
                         compound_rows + noisy, [params.nutrient], settled)
    if outcome.status != "fail":
        return outcome
    for row in label.panel.rows:
        if (why := _may_be_the_nutrients_row(row, params)) is not None:
            return Outcome("unknown", f"No row clearly states the elemental {params.nutrient} per serving, but the row "
                           f"\"{row.text}\" {why}; it may be {params.nutrient}'s own row; check the label by eye.",
                           [row_evidence(row)])
    return outcome


def _beyond_elemental_ceiling(row: PanelRow, forms: list[FormSpec]) -> bool:
    """Whether the row's amount is more of the nutrient than the most of its form a serving holds could give
    (see `_impossible_reason`): it is the compound's weight."""
    form = _form_of(row, forms)
    mg = row.quantity.to_mg() if row.quantity is not None else None
    return form is not None and mg is not None and mg > _elemental_ceiling_mg(form)


# ---------------------------------------------------------------- no-proprietary-blend


class NoBlendParams(BaseModel):
    """Parameters of `no-proprietary-blend`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    phrases: list[str] = Field(default_factory=lambda: ["proprietary blend", "proprietary formula", "proprietary complex"])
    """Words that declare a blend wherever they stand on the panel, even if the row was not parsed."""


def _unparsed_blend_line(label: Label) -> Evidence | None:
    """A table line with a blend word ("Cognitive Matrix 800 t") that did not become a row: its amount was
    lost, so it may be a blend the rows do not show."""
    return next((line for line in unparsed_table_lines(label) if has_blend_keyword(line.text)), None)


def _unparsed_component_list(label: Label) -> Evidence | None:
    """A table line that did not become a row and lists ingredients without an amount ("Ginkgo biloba leaf,
    L-Theanine"), as a blend's components are listed: the blend's own line may be the one the OCR garbled.
    Each item is a name: a few words, capitalised ("Store in a cool, dry place" is a sentence, not a list)."""
    heights = [line.bbox[3] for line in label.panel.table_lines if line.bbox]
    for line in unparsed_table_lines(label):
        if heights and _rule_read_as_letters(line, median(heights)):
            continue
        items = split_items(line.text)
        if len(items) >= 2 and not WORD_INITIAL_NUMBER.search(line.text) and all(_ingredient_like(i) for i in items):
            return line
    return None


def _rule_read_as_letters(line: Evidence, line_height: float) -> bool:
    """Whether a table line is one of the panel's heavy rules that the OCR turned into letters
    ("—CSsSCSC‘C;SCié«C,"): far thinner than the table's lines of print (see THIN_LINE), read with next to no
    confidence."""
    return bool(line.bbox) and line.bbox[3] < THIN_LINE * line_height and line.confidence < LEGIBLE_CONFIDENCE


THIN_LINE = 0.5
"""A table line less than this share of the table's median line height is no line of print."""


def _ingredient_like(item: str) -> bool:
    """Whether a list item reads as an ingredient's name: a legible word, a capital first, a few words."""
    letters = [c for c in item if c.isalpha()]
    return bool(LEGIBLE_WORD.search(item)) and letters[0].isupper() and len(item.split()) <= MAX_ITEM_WORDS


MAX_ITEM_WORDS = 5
"""Longest item of a component list, in words ("Bacopa monnieri leaf extract")."""


def _weight(row: PanelRow) -> str:
    """' 800 mg': the row's amount as printed after its name, or nothing."""
    return f" {row.quantity.amount:g} {row.quantity.unit}" if row.quantity else ""


def no_proprietary_blend(label: Label, params: NoBlendParams) -> Outcome:
    """Fail when the panel hides doses in a proprietary blend."""
    if (missing := panel_missing(label)) is not None:
        return missing
    blends = label.panel.blends
    if blends:
        first = blends[0]
        parts = f" ({', '.join(first.components)})" if first.components else ""
        return Outcome("fail", f"Doses are hidden in a blend: \"{first.name}\"{_weight(first)}{parts}, one total weight for "
                       "its ingredients.", [row_evidence(b) for b in blends])
    if elsewhere := label.panel.blends_read_elsewhere:  # the panel's best reading garbled the blend's line
        first = elsewhere[0]
        return Outcome("fail", f"Doses are hidden in a blend: \"{first.name}\"{_weight(first)}, one total weight for its "
                       "ingredients (read on another reading of the panel; the best reading garbled that line).",
                       [row_evidence(b) for b in elsewhere])
    for row in label.panel.rows:
        match = contains_any(row.text, params.phrases)
        if match:
            return Outcome("fail", f"The panel declares a proprietary blend: \"{row.text}\".", [row_evidence(row)])
    if (unparsed := _unparsed_blend_line(label)) is not None:
        return Outcome("unknown", f"The panel line \"{unparsed.text}\" names what may be a blend, but its amount "
                       "could not be read, so it cannot be told whether doses are hidden.", [unparsed])
    if (listed := _unparsed_component_list(label)) is not None:
        return Outcome("unknown", f"The panel line \"{listed.text}\" lists ingredients without amounts, as a blend's "
                       "components are, but no blend was read above it; check the label by eye.", [listed])
    if amountless := [r for r in label.panel.rows if r.quantity is None]:
        return Outcome("unknown", f"The row \"{amountless[0].text}\" was read without an amount, so it cannot be "
                       "told whether every ingredient has its own.", [row_evidence(r) for r in amountless])
    if glare := panel_glare(label):  # a blend row may be under it: no pass on what could not be seen
        return under_glare("No proprietary blend was read", glare, "the Supplement Facts panel")
    if unread_name_lines(label):  # a blend row may be the print the OCR lost
        return unread_print("No proprietary blend was read", label)
    if panel_reliable(label):
        return Outcome("pass", "No proprietary blend: every ingredient has its own amount.",
                       [row_evidence(r) for r in label.panel.rows if r.quantity][:3])
    return Outcome("unknown", "The panel was read with low confidence, so a blend could have been missed.")
