"""Property-based tests: the quantity parser, the panel parser, the phrase matcher and the rule loader never raise
on arbitrary text (the rule loader raises only RulePackError), and well-formed input round-trips."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from labelscan.checks.pack import parse_pack
from labelscan.errors import RulePackError
from labelscan.model import OcrPage, Quantity
from labelscan.parse import find_quantities, parse_quantity, parse_text
from labelscan.parse.panel import _parse_panel
from labelscan.parse.quantities import MAX_PLAUSIBLE, find_percents, parse_number
from labelscan.textmatch import find_phrase, normalise
from labelscan.yamlload import load_yaml_text

FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

# Text that looks like OCR of a label: letters, digits, separators, units, %, daggers, odd unicode.
LABELISH = st.lists(
    st.sampled_from(list("abcdefgilmnoprstuIOlS0123456789 ,.%()*†‡<>-:\n\tµμ®™/") + ["mg", "mcg", " IU", "g ", "\ufffd", "卍", "😀", "\x00"]),
    max_size=150,
).map("".join)
ANY_TEXT = st.one_of(st.text(max_size=300), LABELISH)


# -- quantities ---------------------------------------------------------------------------------------------

@FAST
@given(ANY_TEXT)
@example("2,000 mg 1.500 mg 0,5 mcg 9 9 9 l44 rng 1e308 mg 99999999999999999999999 IU")
@example("(5 9) 1 Scoop (5 9)")
def test_quantity_parsers_never_raise_and_spans_are_sane(text: str) -> None:
    found = find_quantities(text)
    for quantity, start, end in found:
        assert 0 <= start < end <= len(text)
        assert quantity.unit in MAX_PLAUSIBLE
        assert 0 <= quantity.amount <= MAX_PLAUSIBLE[quantity.unit]
    assert parse_quantity(text) == (found[0][0] if found else None)
    for value, _lt, start, end in find_percents(text):
        assert value >= 0 and 0 <= start < end <= len(text)
    parse_number(text)
    parse_number(text, "mg")


SPELLINGS = {"mg": ["mg", "MG", "Mg"], "mcg": ["mcg", "µg", "MCG"], "g": ["g", "G"], "IU": ["IU", "iu"]}


@st.composite
def printed_quantity(draw: st.DrawFn) -> tuple[str, Quantity]:
    unit = draw(st.sampled_from(sorted(SPELLINGS)))
    spelling = draw(st.sampled_from(SPELLINGS[unit]))
    cap = int(MAX_PLAUSIBLE[unit])
    if draw(st.booleans()):
        whole = draw(st.integers(0, cap))
        number = f"{whole:,}" if draw(st.booleans()) else str(whole)
        amount = float(whole)
    else:  # a decimal with one or two places (three would read as a thousands group for mg and IU)
        places = draw(st.integers(1, 2))
        hundredths = draw(st.integers(0, min(cap, 9999) * 10**places))
        amount = hundredths / 10**places
        number = f"{amount:.{places}f}"
    space = draw(st.sampled_from(["", " "]))
    return f"{number}{space}{spelling}", Quantity(amount, unit)


@FAST
@given(printed_quantity(), st.sampled_from(["", "Magnesium ", "Zinc (as zinc citrate) ", "Vitamin D3 "]),
       st.sampled_from(["", " 34%", " †", "*", ")"]))
def test_a_printed_quantity_round_trips(printed: tuple[str, Quantity], before: str, after: str) -> None:
    text, expected = printed
    got = parse_quantity(before + text + after)
    assert got is not None, before + text + after
    assert got.unit == expected.unit
    assert got.amount == pytest.approx(expected.amount)
    assert Quantity(got.amount, got.unit).to_dict()["unit"] == expected.unit


# -- the panel ----------------------------------------------------------------------------------------------

@FAST
@given(ANY_TEXT)
@example("Supplement Facts\nServing Size\nAmount Per Serving\n% Daily Value\n" + "Magnesium 144 mg 34%\n" * 30)
@example("Supplement\nFacts\n\n\n(((((((\n)))))))\nProprietary Blend 0 mg\n  - , , ,")
def test_the_panel_parser_never_raises(text: str) -> None:
    panel = _parse_panel(OcrPage.from_text(text))  # without parse_text's safety net: a bug shows here
    assert parse_text(text).found == panel.found
    for row in panel.rows:
        assert isinstance(row.name, str)


# Lines of a panel as OCR splits and garbles them: names waiting for their amount, amounts and units wrapped
# onto lines of their own, pieces of table rules read alone, blend lists, footnotes.
PANEL_LINES = st.lists(st.sampled_from([
    "Magnesium (as magnesium L-threonate) 144 mg 34%", "Zinc (as zinc picolinate)", "Apigenin", "Magnesium (as",
    "Magtein\u00ae) 157 mg 37%", "L-Threonate) 163", "mg 39%", "mg,", "(from 2,000 mg", "Magnesium from", "34%",
    "144 mg", "2,000 mg \u2020", "_", "|", "| |", "\u2014 \u2014", "==", "~~_____", "...", "Proprietary Blend 500 mg",
    "Brain Matrix", "Magnesium L-Threonate, Ginkgo,", "rhodiola, taurine", "(pyridoxal-5-phosphate)2",
    "\u2020 Daily Value not established.", "Other ingredients: rice flour.", "Vitamin B6 ..2mg 118%", ""]),
    max_size=14).map("\n".join)


@FAST
@given(PANEL_LINES)
def test_the_panel_parser_never_raises_on_garbled_panel_lines(rows: str) -> None:
    text = "Supplement Facts\nServing Size 3 Capsules\nAmount Per Serving % Daily Value\n" + rows
    panel = _parse_panel(OcrPage.from_text(text))  # without parse_text's safety net: a bug shows here
    assert panel.found


NO_TITLE_TEXT = st.lists(st.sampled_from(list("0123456789 ,.%()*†<-:\n") + ["mg", "mcg", "IU"]), max_size=150).map("".join)


@FAST
@given(NO_TITLE_TEXT)
def test_no_panel_is_found_without_a_title_or_header(text: str) -> None:
    assert not parse_text(text).found


ROW_NAMES = st.sampled_from(["Magnesium", "Zinc", "Vitamin C", "Vitamin D3", "Calcium", "Iron"])


@FAST
@given(st.lists(st.tuples(ROW_NAMES, printed_quantity()), min_size=1, max_size=6, unique_by=lambda r: r[0]))
def test_a_well_formed_panel_is_found_and_its_rows_read(rows: list[tuple[str, tuple[str, Quantity]]]) -> None:
    text = "Supplement Facts\nServing Size 1 Capsule\nAmount Per Serving\n"
    text += "".join(f"{name} {printed}\n" for name, (printed, _) in rows)
    panel = parse_text(text)
    assert panel.found
    read = {row.name: row.quantity for row in panel.rows}
    for name, (_, quantity) in rows:
        assert name in read, (text, read)
        assert read[name] is not None and read[name].unit == quantity.unit
        assert read[name].amount == pytest.approx(quantity.amount)


# -- phrase matching ----------------------------------------------------------------------------------------

@FAST
@given(ANY_TEXT, ANY_TEXT, st.floats(0, 100))
def test_find_phrase_never_raises(phrase: str, text: str, threshold: float) -> None:
    match = find_phrase(phrase, text, threshold)
    if match is not None:
        assert threshold <= match.score <= 100
        assert 0 <= match.start < match.end <= len(normalise(text).split())


WORDS = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)


@FAST
@given(st.lists(WORDS, min_size=1, max_size=4), st.lists(WORDS, max_size=5), st.lists(WORDS, max_size=5),
       st.sampled_from([" ", "  ", ", ", "\n", " - "]))
def test_a_phrase_present_verbatim_is_found(phrase: list[str], before: list[str], after: list[str], sep: str) -> None:
    text = sep.join(before + phrase + after)
    match = find_phrase(" ".join(phrase), text)
    assert match is not None and match.score == 100
    assert match.end - match.start == len(phrase)
    assert normalise(text).split()[match.start:match.end] == phrase


# -- the rule loader ----------------------------------------------------------------------------------------

def load_text(text: str) -> None:
    data, lines = load_yaml_text(text, "pack.yaml")
    parse_pack(data, Path("pack.yaml"), lines)


SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20))
KEYS = st.sampled_from(["pack", "version", "title", "checks", "applies-when", "text-matches", "always", "id", "kind",
                        "severity", "message", "names", "nutrient", "accept", "colour", "description", "source"])
YAMLISH = st.recursive(SCALARS, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                         st.dictionaries(st.one_of(KEYS, st.text(max_size=8)), inner, max_size=5)),
                       max_leaves=25)
KINDS = st.sampled_from(["ingredient-named", "nutrient-amount-stated", "no-proprietary-blend", "seal-present", "panel-title", "nope"])


@st.composite
def pack_like(draw: st.DrawFn) -> dict:
    """Mostly-valid packs with random damage: wrong types, unknown keys, missing keys, bad kinds."""
    checks = draw(st.lists(st.fixed_dictionaries(
        {"id": st.one_of(st.sampled_from(["a", "b-1", "a"]), st.text(max_size=6)), "kind": KINDS},
        optional={"severity": st.sampled_from(["error", "warning", "info", "fatal", 3]), "names": YAMLISH,
                  "nutrient": YAMLISH, "accept": YAMLISH, "extra": YAMLISH}), max_size=4))
    pack = draw(st.fixed_dictionaries({}, optional={
        "pack": st.one_of(st.just("my-pack"), SCALARS), "version": st.one_of(st.just(1), SCALARS),
        "title": st.one_of(st.just("T"), SCALARS), "checks": st.one_of(st.just(checks), YAMLISH),
        "applies-when": st.one_of(st.fixed_dictionaries({"text-matches": st.sampled_from(["magtein", "(", "[a-", "x|y"])}), YAMLISH),
        "colour": SCALARS}))
    return pack


@FAST
@given(st.one_of(st.text(max_size=300), LABELISH))
@example("a: &a [1]\nb: *a\n")
@example("!!python/object/apply:os.system ['true']")
@example("pack: x\nversion: 1\ntitle: t\nchecks:\n  - {id: a, kind: panel-title}\n  - {id: a, kind: panel-title}\n")
@example("\ufeff%YAML 1.1\n--- !!set {a, b}\n")
@example("pack: x\n---\npack: y\n")
def test_the_rule_loader_raises_only_rule_pack_errors_on_any_text(text: str) -> None:
    try:
        load_text(text)
    except RulePackError as exc:
        assert str(exc) and "\n" not in str(exc), "one line"


@FAST
@given(st.one_of(pack_like(), YAMLISH))
def test_the_rule_loader_raises_only_rule_pack_errors_on_yamlish_data(data: object) -> None:
    try:
        text = yaml.safe_dump(data, allow_unicode=True)
    except yaml.YAMLError:
        assume(False)
    try:
        load_text(text)
    except RulePackError as exc:
        assert "pack.yaml" in str(exc) or "YAML" in str(exc)


@pytest.mark.parametrize("text", ["a:\n" + "".join(" " * i + "b:\n" for i in range(1, 3000)), "- " * 5000 + "x"])
def test_deeply_nested_yaml_is_a_rule_pack_error(text: str) -> None:
    with pytest.raises(RulePackError):
        load_text(text)
