"""Approved label specifications: the YAML model, loading, comparison with what was read, and `spec init`."""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationError, field_validator
from rapidfuzz import fuzz

from .checks.outcome import MIN_CONFIDENCE_FOR_ABSENCE, panel_reliable
from .errors import ExitCode, LabelscanError
from .model import Evidence, Finding, Label, PanelRow, Quantity, Seal, Status, union_bbox
from .textmatch import find_phrase, normalise
from .yamlload import LineIndex, describe_validation_error, load_yaml_file

SPEC_PACK = "spec"
DISCLAIMER = "These statements have not been evaluated by the Food and Drug Administration"
_UNITS = {"mg": "mg", "mcg": "mcg", "µg": "mcg", "μg": "mcg", "ug": "mcg", "g": "g", "iu": "IU"}
_FILLER = {"as", "from", "providing", "of"}


class SpecError(LabelscanError):
    """A specification file is missing or invalid."""

    exit_code = ExitCode.INVALID_RULES


class SpecRow(BaseModel):
    """One row the Supplement Facts panel must show."""

    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    amount: float = Field(ge=0)
    unit: str
    dv_percent: float | None = Field(default=None, ge=0)

    @field_validator("unit")
    @classmethod
    def _known_unit(cls, value: str) -> str:
        unit = _UNITS.get(value.strip().lower())
        if unit is None:
            raise ValueError(f"unknown unit {value!r} (use mg, mcg, g or IU)")
        return unit

    @property
    def quantity(self) -> Quantity:
        return Quantity(self.amount, self.unit)


class Spec(BaseModel):
    """The approved facts of one label; a field left out is not compared."""

    model_config = ConfigDict(extra="forbid")
    product: str = ""
    serving_size: str | None = Field(default=None, min_length=1)
    servings_per_container: int | None = Field(default=None, ge=1)
    rows: list[SpecRow] = Field(default_factory=list)
    seals: list[str] = Field(default_factory=list)
    statements: list[str] = Field(default_factory=list)
    _origin: str = PrivateAttr(default="")
    """The file the spec was read from (for messages)."""


def _fail(name: str, message: str, line: int | None = None, hint: str = "") -> SpecError:
    where = f"line {line}, " if line else ""
    return SpecError(f"{name}: {where}{message}", hint)


def parse_spec(data: Any, name: str, lines: LineIndex | None = None) -> Spec:
    """Validate parsed YAML as a spec: unknown keys, bad units and unknown seal ids name the file and line."""
    from .seals import load_catalogue

    lines = lines or {}
    if not isinstance(data, dict):
        raise _fail(name, "a spec must be a YAML mapping (serving_size, servings_per_container, rows, seals, statements)")
    try:
        spec = Spec.model_validate(data)
    except ValidationError as exc:
        raise SpecError(describe_validation_error(name, exc, lines), "see 'labelscan spec init' for an example") from None
    if not spec.model_fields_set - {"product"}:
        raise _fail(name, "the spec lists nothing to compare", None, "give serving_size, rows, seals or statements")
    known = {entry.id for entry in load_catalogue().seals}
    for i, seal in enumerate(spec.seals):
        if seal not in known:
            raise _fail(name, f"seals.{i}: unknown seal {seal!r}", lines.get(("seals", i)),
                        f"known seals: {', '.join(sorted(known))}")
    seen: set[str] = set()
    for i, row in enumerate(spec.rows):
        key = normalise(row.name)
        if key in seen:
            raise _fail(name, f"rows.{i}.name: duplicate row {row.name!r}", lines.get(("rows", i)))
        seen.add(key)
    spec._origin = name
    return spec


def load_spec(path: str | Path) -> Spec:
    """Read and validate a spec file; SpecError (exit 5) for a missing, unreadable or invalid one."""
    path = Path(path)
    data, lines = load_yaml_file(path, "spec", SpecError, "check the path, or write one with 'labelscan spec init ARTWORK'")
    return parse_spec(data, str(path), lines)


# ---- comparison -------------------------------------------------------------------------------


def slug(text: str, limit: int = 40) -> str:
    """A check-id-safe form of a name: 'Vitamin D3 (as cholecalciferol)' → 'vitamin-d3-as-cholecalciferol'."""
    out = normalise(text).replace("%", "").replace(" ", "-")[:limit].strip("-")
    return out or "unnamed"


def _q(quantity: Quantity | None) -> str:
    if quantity is None:
        return "no amount"
    amount = f"{quantity.amount:,g}" if quantity.amount < 1e6 else str(quantity.amount)
    return f"{amount} {quantity.unit}"


def same_amount(a: Quantity, b: Quantity) -> bool:
    """Equal after unit conversion (mg, mcg, g); IU only equals IU."""
    ma, mb = a.to_mg(), b.to_mg()
    if ma is None or mb is None:
        return a.unit == b.unit and math.isclose(a.amount, b.amount, rel_tol=1e-9, abs_tol=1e-9)
    return math.isclose(ma, mb, rel_tol=1e-9, abs_tol=1e-12)


def _words(text: str) -> str:
    return " ".join(t for t in normalise(text).split() if t not in _FILLER)


def name_score(wanted: str, row: PanelRow) -> float:
    """0–100: how well a spec row name stands for a panel row (its name, or its name with its forms)."""
    best = 0.0
    for printed in [row.name, f"{row.name} {' '.join(row.forms)}"]:
        a, b = _words(wanted), _words(printed)
        if not a or not b:
            continue
        if a == b:
            return 100.0
        whole = fuzz.ratio(a, b)
        if whole >= 88:
            best = max(best, whole)
        elif find_phrase(a, b) or find_phrase(b, a):
            best = max(best, 50 + whole / 10)
    return best


def match_rows(spec_rows: list[SpecRow], panel_rows: list[PanelRow]) -> dict[int, int]:
    """Spec row index → panel row index, one to one, best-scoring pairs first."""
    pairs = [(name_score(s.name, r), i, j) for i, s in enumerate(spec_rows) for j, r in enumerate(panel_rows)]
    matched: dict[int, int] = {}
    used: set[int] = set()
    for score, i, j in sorted(pairs, key=lambda p: (-p[0], p[1], p[2])):
        if score > 0 and i not in matched and j not in used:
            matched[i] = j
            used.add(j)
    return matched


def _servings_equal(wanted: str, found: str) -> bool:
    """Same numbers, and the words the same give or take OCR noise ('3 Capsules' vs '3 Capsu1es')."""
    number = re.compile(r"\d+(?:[.,]\d+)?")
    a, b = normalise(wanted).split(), normalise(found).split()
    if [t for t in a if number.fullmatch(t)] != [t for t in b if number.fullmatch(t)]:
        return False
    wa, wb = [t for t in a if not number.fullmatch(t)], [t for t in b if not number.fullmatch(t)]
    return fuzz.ratio(" ".join(wa), " ".join(wb)) >= 85


def phrase_evidence(label: Label, phrase: str) -> Evidence | None:
    """Where `phrase` stands on the label (the words it matched and their box), or None."""
    for page_index, page in enumerate(label.pages):
        tokens: list[str] = []
        owners: list[int] = []
        for k, word in enumerate(page.words):
            for token in normalise(word.text).split():
                tokens.append(token)
                owners.append(k)
        match = find_phrase(phrase, " ".join(tokens))
        if match:
            picked = sorted(set(owners[match.start:match.end]))
            words = [page.words[k] for k in picked]
            conf = sum(w.confidence for w in words) / len(words)
            return Evidence(" ".join(w.text for w in words), union_bbox([w.bbox for w in words]), conf, page_index)
    return None


def _text_reliable(label: Label) -> bool:
    return any(p.words for p in label.pages) and label.mean_confidence >= MIN_CONFIDENCE_FOR_ABSENCE


class _Findings:
    """Collects spec findings with unique ids and the same advice."""

    def __init__(self, spec: Spec) -> None:
        self.items: list[Finding] = []
        self.source = spec._origin or "the approved spec"

    def add(self, check_id: str, status: Status, message: str, evidence: list[Evidence] | None = None,
            value: dict[str, Any] | None = None) -> None:
        ids = {f.id for f in self.items}
        unique, n = check_id, 2
        while unique in ids:
            unique, n = f"{check_id}-{n}", n + 1
        advice = ""
        if status == "fail":
            advice = (f"The artwork differs from the approved specification ({self.source}). Correct the artwork, "
                      "or, if the change is intended, update the spec and have it approved again.")
        elif status == "unknown":
            advice = ("This could not be read reliably from the artwork, so it was not compared. "
                      "Check it by eye, or supply the artwork as a PDF with a text layer or a sharper image.")
        self.items.append(Finding(unique, SPEC_PACK, status, "error", message, value, evidence or [], advice))


def _compare_serving(label: Label, spec: Spec, out: _Findings) -> None:
    panel = label.panel
    if spec.serving_size is not None:
        found = panel.serving_size
        ev = [panel.serving_size_evidence] if panel.serving_size_evidence else []
        value = {"expected": spec.serving_size, "found": found}
        if found is None:
            status: Status = "fail" if panel_reliable(label) else "unknown"
            out.add("spec-serving-size", status, f"No serving size was read; the spec says {spec.serving_size!r}.", ev, value)
        elif _servings_equal(spec.serving_size, found):
            out.add("spec-serving-size", "pass", f"Serving size {found!r} as approved.", ev, value)
        else:
            out.add("spec-serving-size", "fail", f"Serving size changed: the artwork shows {found!r}, the spec says {spec.serving_size!r}.", ev, value)
    if spec.servings_per_container is not None:
        found_n = panel.servings_per_container
        ev = [panel.servings_per_container_evidence] if panel.servings_per_container_evidence else []
        value = {"expected": spec.servings_per_container, "found": found_n}
        if found_n is None:
            status = "fail" if panel_reliable(label) else "unknown"
            out.add("spec-servings-per-container", status,
                    f"No servings per container were read; the spec says {spec.servings_per_container}.", ev, value)
        elif found_n == spec.servings_per_container:
            out.add("spec-servings-per-container", "pass", f"Servings per container {found_n} as approved.", ev, value)
        else:
            out.add("spec-servings-per-container", "fail",
                    f"Servings per container changed: the artwork shows {found_n}, the spec says {spec.servings_per_container}.", ev, value)


def _row_value(row: PanelRow | None) -> dict[str, Any] | None:
    if row is None:
        return None
    q = row.quantity.to_dict() if row.quantity else {"amount": None, "unit": None}
    return {"name": row.name, **q, "dv_percent": row.dv_percent}


def _compare_row(label: Label, want: SpecRow, row: PanelRow, out: _Findings) -> None:
    ev = [row.evidence or Evidence(row.name)]
    value = {"expected": want.model_dump(), "found": _row_value(row)}
    check_id = f"spec-row-{slug(want.name)}"
    if row.quantity is None:
        out.add(check_id, "unknown", f"{want.name}: the amount of {row.name!r} could not be read; the spec says {_q(want.quantity)}.", ev, value)
        return
    problems: list[str] = []
    if not same_amount(want.quantity, row.quantity):
        what = "unit" if math.isclose(want.amount, row.quantity.amount) else "amount"
        problems.append(f"{what} changed: the artwork shows {_q(row.quantity)}, the spec says {_q(want.quantity)}")
    if want.dv_percent is not None and (row.dv_percent is None or not math.isclose(row.dv_percent, want.dv_percent)):
        shown = "†" if row.dagger else ("no %DV" if row.dv_percent is None else f"{row.dv_percent:g}%")
        if row.dv_percent is None and not row.dagger and not panel_reliable(label):
            out.add(check_id, "unknown", f"{want.name}: the %DV could not be read; the spec says {want.dv_percent:g}%.", ev, value)
            return
        problems.append(f"%DV changed: the artwork shows {shown}, the spec says {want.dv_percent:g}%")
    if problems:
        out.add(check_id, "fail", f"{want.name}: " + "; ".join(problems) + ".", ev, value)
    else:
        dv = f", {want.dv_percent:g}% DV" if want.dv_percent is not None else ""
        out.add(check_id, "pass", f"{want.name}: {_q(row.quantity)}{dv} as approved.", ev, value)


def _compare_rows(label: Label, spec: Spec, out: _Findings) -> None:
    if "rows" not in spec.model_fields_set:
        return
    panel = label.panel
    matched = match_rows(spec.rows, panel.rows)
    where = [Evidence("Supplement Facts panel", panel.bbox)] if panel.bbox else []
    for i, want in enumerate(spec.rows):
        if i in matched:
            _compare_row(label, want, panel.rows[matched[i]], out)
            continue
        status: Status = "fail" if panel_reliable(label) else "unknown"
        verb = "is missing from the panel" if status == "fail" else "was not found (the panel was not read reliably)"
        out.add(f"spec-row-{slug(want.name)}", status, f"{want.name} ({_q(want.quantity)}) {verb}.", where,
                {"expected": want.model_dump(), "found": None})
    for j, row in enumerate(panel.rows):
        if j not in matched.values():
            kind = "blend" if row.blend else "row"
            out.add(f"spec-extra-row-{slug(row.name)}", "fail",
                    f"The panel shows a {kind} the spec does not list: {row.text!r}.",
                    [row.evidence or Evidence(row.name)], {"expected": None, "found": _row_value(row)})


def _seal_evidence(seal: Seal) -> Evidence:
    return Evidence(seal.text or seal.name, seal.bbox, seal.confidence, seal.page)


def _compare_seals(label: Label, spec: Spec, out: _Findings) -> None:
    if "seals" not in spec.model_fields_set:
        return
    for program in spec.seals:
        seal = next((s for s in label.seals if s.accepted_by([program])), None)
        maybe = [s for s in label.seals if program in s.covers]
        if seal is not None:
            out.add(f"spec-seal-{program}", "pass", f"Seal {seal.name or program} is on the artwork as approved.",
                    [_seal_evidence(seal)],
                    {"expected": program, "found": program})
        elif maybe:
            out.add(f"spec-seal-{program}", "unknown", f"Seal {program} was not found for certain: {maybe[0].name} "
                    "is on the artwork, but its programme could not be read.", [_seal_evidence(s) for s in maybe],
                    {"expected": program, "found": maybe[0].program})
        elif _text_reliable(label) and not label.unread_marks:
            out.add(f"spec-seal-{program}", "fail", f"Seal {program} is missing from the artwork.", [],
                    {"expected": program, "found": None})
        else:
            reason = "a round mark could not be read" if label.unread_marks else "the artwork was read with low confidence"
            out.add(f"spec-seal-{program}", "unknown", f"Seal {program} was not found, but {reason}.",
                    list(label.unread_marks), {"expected": program, "found": None})
    for seal in label.seals:
        if not seal.accepted_by(spec.seals) and not set(seal.covers) & set(spec.seals):
            out.add(f"spec-extra-seal-{seal.program}", "fail",
                    f"The artwork shows a {seal.kind} mark the spec does not list: {seal.name or seal.program}.",
                    [_seal_evidence(seal)],
                    {"expected": None, "found": seal.program})


def _compare_statements(label: Label, spec: Spec, out: _Findings) -> None:
    for statement in spec.statements:
        check_id = f"spec-statement-{slug(statement, 32)}"
        ev = phrase_evidence(label, statement)
        short = statement if len(statement) <= 60 else statement[:57] + "…"
        if ev is not None:
            out.add(check_id, "pass", f"Statement {short!r} is on the artwork.", [ev], {"expected": statement, "found": ev.text})
        else:
            status: Status = "fail" if _text_reliable(label) else "unknown"
            verb = "is missing from the artwork" if status == "fail" else "was not found (the text was read with low confidence)"
            out.add(check_id, status, f"Statement {short!r} {verb}.", [], {"expected": statement, "found": None})


def compare(label: Label, spec: Spec) -> list[Finding]:
    """Every field of the spec as a finding (ids spec-…): pass on a match, fail on a difference, unknown when unread."""
    out = _Findings(spec)
    _compare_serving(label, spec, out)
    _compare_rows(label, spec, out)
    _compare_seals(label, spec, out)
    _compare_statements(label, spec, out)
    return out.items


RULES: dict[str, tuple[str, str]] = {
    "spec-serving-size": ("Serving size as approved", "The serving size printed on the artwork equals the approved spec's."),
    "spec-servings-per-container": ("Servings per container as approved", "The servings per container equal the approved spec's."),
    "spec-row": ("Panel row as approved", "A row of the approved spec is on the panel with the same amount (after unit conversion) and %DV."),
    "spec-extra-row": ("No row beyond the spec", "Every row of the panel (blends included) is listed in the approved spec."),
    "spec-seal": ("Seal as approved", "A seal the approved spec lists is on the artwork."),
    "spec-extra-seal": ("No seal beyond the spec", "Every seal or seal-like mark on the artwork is listed in the approved spec."),
    "spec-statement": ("Statement as approved", "A statement the approved spec lists is printed on the artwork."),
}


def describe_rule(rule_id: str) -> tuple[str, str]:
    """(short, full) description of a spec check id, by its longest known prefix."""
    for prefix in sorted(RULES, key=len, reverse=True):
        if rule_id == prefix or rule_id.startswith(prefix + "-"):
            return RULES[prefix]
    return ("Matches the approved specification", "The artwork matches the approved specification.")


# ---- spec init --------------------------------------------------------------------------------


def spec_from_label(label: Label) -> dict[str, Any]:
    """The facts read from an artwork as a spec mapping (only what was read; nothing guessed)."""
    panel = label.panel
    data: dict[str, Any] = {}
    if panel.serving_size:
        data["serving_size"] = panel.serving_size
    if panel.servings_per_container is not None:
        data["servings_per_container"] = panel.servings_per_container
    rows = []
    for row in panel.rows:
        if row.quantity is None:
            continue
        item: dict[str, Any] = {"name": row.name, **row.quantity.to_dict()}
        if row.dv_percent is not None:
            item["dv_percent"] = int(row.dv_percent) if float(row.dv_percent).is_integer() else row.dv_percent
        rows.append(item)
    if rows:
        data["rows"] = rows
    data["seals"] = sorted({s.program for s in label.seals})
    statements = [DISCLAIMER] if phrase_evidence(label, DISCLAIMER) else []
    if statements:
        data["statements"] = statements
    return data


def dump_spec(data: dict[str, Any], source: str, notes: list[str] | None = None) -> str:
    """YAML text for a spec, headed by what it was read from and a reminder to review it."""
    head = [f"# Specification read from {source} by 'labelscan spec init'.",
            "# Review every line against the approved artwork before you use it with 'labelscan check --spec'."]
    head += [f"# NOTE: {note}" for note in notes or []]
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, default_flow_style=False, width=100)
    return "\n".join(head) + "\n" + body


def init_notes(label: Label, data: dict[str, Any]) -> list[str]:
    """What a reviewer must fill in or check: fields not read, unread marks, warnings."""
    notes = [w for w in label.warnings if not w.startswith("No rule pack applies")]
    for key in ("serving_size", "servings_per_container", "rows"):
        if key not in data:
            notes.append(f"{key} could not be read; add it by hand.")
    skipped = [r.name for r in label.panel.rows if r.quantity is None]
    if skipped:
        notes.append(f"rows without a readable amount were left out: {', '.join(skipped)}.")
    if label.unread_marks:
        notes.append(f"{len(label.unread_marks)} round mark(s) could not be read; add their seals by hand.")
    return notes


__all__ = ["SPEC_PACK", "Spec", "SpecError", "SpecRow", "compare", "describe_rule", "dump_spec", "init_notes",
           "load_spec", "parse_spec", "spec_from_label"]

