"""Specs: validation (exit 5 with file and line), amounts and names compared, and every planted difference caught."""

from __future__ import annotations

from pathlib import Path

import pytest

from labelscan.errors import ExitCode
from labelscan.model import Quantity
from labelscan.spec import (SpecError, compare, load_spec, parse_spec, same_amount, spec_from_label)
from tests.fixtures_artwork import APPROVED_SPEC, PLANTED, checked, scanned, spec_file
from tests.helpers import label, row

SEALS = "NSF Certified for Sport"


def spec_of(**data) -> object:
    return parse_spec(data, "test-spec.yaml")


def statuses(findings) -> dict[str, str]:
    return {f.id: f.status for f in findings}


# ---- loading and validation -------------------------------------------------------------------


def test_loads_the_issue_example(tmp_path: Path) -> None:
    spec = load_spec(spec_file())
    assert spec.serving_size == "3 Capsules" and spec.servings_per_container == 30
    assert spec.rows[0].name == "Magnesium" and spec.rows[0].quantity == Quantity(144, "mg")
    assert spec.seals == ["nsf-certified-for-sport"] and len(spec.statements) == 1


@pytest.mark.parametrize("text, where", [
    ("serving_size: 3 Capsules\nservings: 30\n", "line 2, servings: unknown key"),
    ("rows:\n  - name: Magnesium\n    amount: 144\n    unit: mg\n    colour: red\n", "line 5, rows.0.colour: unknown key"),
    ("rows:\n  - {name: Magnesium, amount: 144, unit: grains}\n", "unknown unit 'grains'"),
    ("rows:\n  - {name: Magnesium, amount: -1, unit: mg}\n", "rows.0.amount"),
    ("seals:\n  - nsf-certified\n", "line 2, seals.0: unknown seal 'nsf-certified'"),
    ("rows:\n  - {name: Zinc, amount: 1, unit: mg}\n  - {name: zinc, amount: 2, unit: mg}\n", "duplicate row"),
    ("product: only a name\n", "lists nothing to compare"),
    ("- just\n- a list\n", "must be a YAML mapping"),
    ("rows: [\n", "not valid YAML"),
])
def test_invalid_specs_name_file_and_line(tmp_path: Path, text: str, where: str) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SpecError) as exc:
        load_spec(path)
    assert exc.value.exit_code == ExitCode.INVALID_RULES == 5
    assert str(path) in str(exc.value) and where in str(exc.value)


def test_missing_spec_file_is_exit_5(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="spec file not found") as exc:
        load_spec(tmp_path / "nope.yaml")
    assert exc.value.exit_code == 5


def test_units_are_normalised() -> None:
    spec = spec_of(rows=[{"name": "B12", "amount": 500, "unit": "µg"}, {"name": "D3", "amount": 400, "unit": "iu"}])
    assert [r.unit for r in spec.rows] == ["mcg", "IU"]


# ---- comparison on hand-built labels ----------------------------------------------------------


@pytest.mark.parametrize("a, b, same", [
    (Quantity(0.5, "g"), Quantity(500, "mg"), True),
    (Quantity(500, "mcg"), Quantity(0.5, "mg"), True),
    (Quantity(144, "mg"), Quantity(144, "mcg"), False),
    (Quantity(144, "mg"), Quantity(144.5, "mg"), False),
    (Quantity(400, "IU"), Quantity(400, "IU"), True),
    (Quantity(400, "IU"), Quantity(400, "mg"), False),
])
def test_amounts_compare_exactly_after_unit_conversion(a: Quantity, b: Quantity, same: bool) -> None:
    assert same_amount(a, b) is same


def test_matching_row_passes_with_evidence() -> None:
    lab = label([row("Magnesium", 144, dv=34, forms=["magnesium L-threonate"])])
    [finding] = compare(lab, spec_of(rows=[{"name": "Magnesium", "amount": 144, "unit": "mg", "dv_percent": 34}]))
    assert (finding.id, finding.status, finding.severity, finding.pack) == ("spec-row-magnesium", "pass", "error", "spec")
    assert finding.evidence and finding.evidence[0].bbox


def test_same_amount_in_other_unit_passes() -> None:
    lab = label([row("Magnesium", 0.144, "g")])
    assert statuses(compare(lab, spec_of(rows=[{"name": "Magnesium", "amount": 144, "unit": "mg"}]))) == {"spec-row-magnesium": "pass"}


@pytest.mark.parametrize("printed, unit, dv, words", [
    (120, "mg", 34, "amount changed: the artwork shows 120 mg, the spec says 144 mg"),
    (144, "mcg", 34, "unit changed: the artwork shows 144 mcg"),
    (144, "mg", 36, "%DV changed: the artwork shows 36%"),
])
def test_changed_row_fails(printed: float, unit: str, dv: float, words: str) -> None:
    lab = label([row("Magnesium", printed, unit, dv=dv)])
    [finding] = compare(lab, spec_of(rows=[{"name": "Magnesium", "amount": 144, "unit": "mg", "dv_percent": 34}]))
    assert finding.status == "fail" and words in finding.message
    assert finding.value["expected"]["amount"] == 144 and finding.advice


def test_ocr_noise_in_a_name_still_matches_and_spec_rows_pair_one_to_one() -> None:
    lab = label([row("Magnesiurn L-Threonate", 2000), row("Elemental Magnesium", 156, dv=39)])
    spec = spec_of(rows=[{"name": "Elemental Magnesium", "amount": 156, "unit": "mg"},
                         {"name": "Magnesium L-Threonate", "amount": 2000, "unit": "mg"}])
    assert set(statuses(compare(lab, spec)).values()) == {"pass"}


def test_missing_and_extra_rows() -> None:
    lab = label([row("Magnesium", 144), row("Cognitive Matrix", 500, blend=True, components=["Taurine"])])
    spec = spec_of(rows=[{"name": "Magnesium", "amount": 144, "unit": "mg"}, {"name": "Zinc", "amount": 10, "unit": "mg"}])
    got = statuses(compare(lab, spec))
    assert got == {"spec-row-magnesium": "pass", "spec-row-zinc": "fail", "spec-extra-row-cognitive-matrix": "fail"}


def test_unreadable_fields_are_unknown_never_a_match() -> None:
    poor = label([row("Magnesium", None)], confidence=0.4)
    spec = spec_of(serving_size="3 Capsules", servings_per_container=30, seals=["nsf-certified-for-sport"],
                   rows=[{"name": "Magnesium", "amount": 144, "unit": "mg"}, {"name": "Zinc", "amount": 10, "unit": "mg"}],
                   statements=["Keep out of reach of children"])
    got = statuses(compare(poor, spec))
    assert set(got.values()) == {"unknown"}, got
    assert len(got) == 6


def test_unreadable_amount_is_unknown_even_on_a_good_panel() -> None:
    lab = label([row("Magnesium", None)])
    assert statuses(compare(lab, spec_of(rows=[{"name": "Magnesium", "amount": 144, "unit": "mg"}]))) == {"spec-row-magnesium": "unknown"}


def test_seals_missing_extra_and_present() -> None:
    lab = label([row("Magnesium", 144)], seals_text=SEALS)
    got = statuses(compare(lab, spec_of(seals=["nsf-certified-for-sport", "usp-verified"])))
    assert got == {"spec-seal-nsf-certified-for-sport": "pass", "spec-seal-usp-verified": "fail"}
    got = statuses(compare(lab, spec_of(seals=[])))
    assert got == {"spec-extra-seal-nsf-certified-for-sport": "fail"}


def test_a_mark_known_by_its_initials_alone_neither_confirms_nor_denies_one_programme() -> None:
    from labelscan.seal_shapes import MarkReading, seals_from_marks

    nsf = MarkReading((600, 100, 80, 80), core_reads=[("tesseract", "NSF"), ("rapidocr", "(NSF")])
    lab = label([row("Magnesium", 144)])
    lab.seals = seals_from_marks([nsf])[0]
    got = statuses(compare(lab, spec_of(seals=["nsf-certified-for-sport", "usp-verified"])))
    assert got == {"spec-seal-nsf-certified-for-sport": "unknown", "spec-seal-usp-verified": "fail"}
    assert statuses(compare(lab, spec_of(seals=[]))) == {"spec-extra-seal-nsf-mark": "fail"}


def test_statements_found_with_their_box_or_missing() -> None:
    lab = label([row("Magnesium", 144)], text="*These statements have not been evaluated by the Food and Drug Administration.")
    spec = spec_of(statements=["These statements have not been evaluated by the Food and Drug Administration",
                               "Keep out of reach of children"])
    found, missing = compare(lab, spec)
    assert found.status == "pass" and found.evidence[0].bbox is not None
    assert missing.status == "fail" and missing.id == "spec-statement-keep-out-of-reach-of-children"


def test_serving_size_and_servings() -> None:
    lab = label([row("Magnesium", 144)])
    lab.panel.serving_size, lab.panel.servings_per_container = "3 Capsu1es", 30
    assert set(statuses(compare(lab, spec_of(serving_size="3 Capsules", servings_per_container=30))).values()) == {"pass"}
    lab.panel.serving_size, lab.panel.servings_per_container = "2 Capsules", 60
    got = compare(lab, spec_of(serving_size="3 Capsules", servings_per_container=30))
    assert [f.status for f in got] == ["fail", "fail"] and "'2 Capsules'" in got[0].message


# ---- the generated artwork --------------------------------------------------------------------


def spec_statuses(result) -> dict[str, str]:
    return {f.id: f.status for f in result.findings if f.pack == "spec"}


@pytest.mark.parametrize("name", ["approved.pdf", "multi-page.pdf"])
def test_approved_artwork_matches_its_spec(name: str) -> None:
    result = checked(name)
    got = spec_statuses(result)
    assert len(got) == 5 and set(got.values()) == {"pass"}, got
    assert result.verdict == "pass"


@pytest.mark.parametrize("name", sorted(PLANTED))
def test_every_planted_difference_is_caught_and_nothing_else(name: str) -> None:
    result = checked(name)
    got = spec_statuses(result)
    failing = {k for k, v in got.items() if v == "fail"}
    assert failing == PLANTED[name], got
    assert set(got.values()) <= {"pass", "fail"}
    assert result.verdict == "fail"
    for finding in result.findings:
        if finding.id in failing and finding.id != "spec-seal-nsf-certified-for-sport":
            assert finding.evidence and finding.evidence[0].bbox, finding


def test_changed_amount_names_both_amounts() -> None:
    [finding] = [f for f in checked("changed-amount.pdf").findings if f.id == "spec-row-magnesium"]
    assert "120 mg" in finding.message and "144 mg" in finding.message


def test_spec_init_reads_back_the_approved_facts() -> None:
    data = spec_from_label(scanned("approved.pdf").label)
    assert data == {**APPROVED_SPEC, "seals": ["nsf-certified-for-sport"]}
    assert set(spec_statuses(checked("approved.pdf", data)).values()) == {"pass"}


def test_panel_on_the_second_page() -> None:
    result = checked("multi-page.pdf")
    [row_finding] = [f for f in result.findings if f.id == "spec-row-magnesium"]
    assert row_finding.evidence[0].page == 1
