"""Data classes that flow between the stages: load → prepare → read → parse → evaluate → report."""

from __future__ import annotations

from dataclasses import dataclass, field
from collections.abc import Iterable
from typing import Any, Literal

BBox = tuple[int, int, int, int]
"""A box in image pixels: (x, y, width, height), origin top-left."""

Status = Literal["pass", "fail", "unknown", "not-applicable"]
Severity = Literal["error", "warning", "info"]
Verdict = Literal["pass", "fail", "needs-review", "error"]
SealKind = Literal["third-party", "facility", "self-claim", "certifier"]

SCHEMA_VERSION = 1


def union_bbox(boxes: list[BBox]) -> BBox | None:
    """The smallest box holding every box given, or None for no boxes."""
    boxes = [b for b in boxes if b is not None]
    if not boxes:
        return None
    x0 = min(b[0] for b in boxes)
    y0 = min(b[1] for b in boxes)
    x1 = max(b[0] + b[2] for b in boxes)
    y1 = max(b[1] + b[3] for b in boxes)
    return (x0, y0, x1 - x0, y1 - y0)


def centre_within(inner: BBox, outer: BBox) -> bool:
    """Whether the centre of the box `inner` lies within the box `outer`."""
    cx, cy = inner[0] + inner[2] / 2, inner[1] + inner[3] / 2
    return outer[0] <= cx <= outer[0] + outer[2] and outer[1] <= cy <= outer[1] + outer[3]


def boxes_overlap(a: BBox, b: BBox) -> bool:
    """Whether two boxes share some area."""
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


SAME_LINE = 0.5
"""A line of text lies in a row's box when at least this share of its height does (in a tilted photo the boxes
of neighbouring lines overlap by a few pixels)."""


def shared_height(a: BBox, b: BBox) -> float:
    """How far down the page two boxes run side by side (negative: the gap between them)."""
    return min(a[1] + a[3], b[1] + b[3]) - max(a[1], b[1])


def within_row(line: BBox, row: BBox) -> bool:
    """Whether a line's box lies in a row's box (see SAME_LINE)."""
    return boxes_overlap(line, row) and shared_height(line, row) >= SAME_LINE * line[3]


@dataclass(frozen=True)
class Word:
    """One OCR word: its text, box, confidence (0–1) and the block/line it belongs to."""

    text: str
    bbox: BBox
    confidence: float
    block: int = 0
    line: int = 0
    """Line id, unique within the page (not only within the block)."""


@dataclass
class Line:
    """A line of words in reading order."""

    words: list[Word]

    @property
    def text(self) -> str:
        return " ".join(w.text for w in self.words)

    @property
    def bbox(self) -> BBox | None:
        return union_bbox([w.bbox for w in self.words])

    @property
    def confidence(self) -> float:
        if not self.words:
            return 0.0
        return sum(w.confidence for w in self.words) / len(self.words)


@dataclass
class OcrPage:
    """What an OCR engine (or a PDF text layer, or a text file) read from one page."""

    words: list[Word]
    width: int = 0
    height: int = 0
    engine: str = ""
    orientation: int = 0
    """Degrees clockwise the input was rotated to make the text upright."""
    wrapped: bool = False
    """The page is a label unrolled from a photo of a bottle: only the side facing the camera is in it..."""
    ends_in_view: bool = False
    """...unless both ends of the label show in the photo, so that none of it is round the back."""
    glare: list[BBox] = field(default_factory=list)
    """Areas washed out by specular glare, where print may be lost (boxes in this page's image)."""
    panel_view: bool = False
    """The page is a second reading made for the panel (the panel cut out and seen square on, the image below
    its title, or the whole image binarised locally): its glare is not counted again for what lies off the panel."""
    unread: list[BBox] = field(default_factory=list)
    """Runs of print in the page's Supplement Facts table that no word covers: lines the OCR lost altogether
    (boxes in this page's image)."""
    panel_cut: bool = False
    """The page is the panel cut out of the image (seen square on, or round the words read of it), read on its
    own. Used while reading (see `pipeline.read_panel_where_print_was_lost`); not stored."""
    fills_only: bool = False
    """The page is a reading of the panel kept only to fill the lines another page's panel garbled (see
    `parse.other_views`); its own panel is never taken for the label's. Not stored."""

    def lines(self) -> list[Line]:
        """Words grouped by line id, lines in the order they first appear."""
        order: list[int] = []
        groups: dict[int, list[Word]] = {}
        for word in self.words:
            if word.line not in groups:
                groups[word.line] = []
                order.append(word.line)
            groups[word.line].append(word)
        return [Line(groups[i]) for i in order]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines())

    @property
    def mean_confidence(self) -> float:
        if not self.words:
            return 0.0
        return sum(w.confidence for w in self.words) / len(self.words)

    @classmethod
    def from_text(cls, text: str, engine: str = "text") -> "OcrPage":
        """A page from plain text: one word per whitespace-separated token, confidence 1, no real boxes."""
        words: list[Word] = []
        for line_no, raw in enumerate(text.splitlines()):
            x = 0
            for token in raw.split():
                words.append(Word(token, (x, line_no * 20, 10 * len(token), 16), 1.0, 0, line_no))
                x += 10 * (len(token) + 1)
        return cls(words=words, width=0, height=0, engine=engine)


@dataclass
class Evidence:
    """A piece of text (and where it stands) that a finding rests on."""

    text: str
    bbox: BBox | None = None
    confidence: float = 1.0
    page: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "bbox": list(self.bbox) if self.bbox else None,
            "confidence": round(self.confidence, 3),
            "page": self.page,
        }


@dataclass
class Quantity:
    """An amount with its unit, as printed: 144 mg, 2,000 mg, 500 mcg, 1 g, 400 IU."""

    amount: float
    unit: str
    """One of: mg, mcg, g, IU."""

    def to_mg(self) -> float | None:
        """The amount in milligrams, or None for IU (which has no fixed mass)."""
        factor = {"mg": 1.0, "mcg": 0.001, "g": 1000.0}.get(self.unit)
        return None if factor is None else self.amount * factor

    def to_dict(self) -> dict[str, Any]:
        amount: float | int = int(self.amount) if float(self.amount).is_integer() else self.amount
        return {"amount": amount, "unit": self.unit}


@dataclass
class PanelRow:
    """One line of the Supplement Facts table, a blend with its components, or a component."""

    name: str
    quantity: Quantity | None = None
    dv_percent: float | None = None
    dagger: bool = False
    """The row carries † (Daily Value not established) instead of a %DV."""
    forms: list[str] = field(default_factory=list)
    """Source forms given as "(as magnesium L-threonate)" or "(from …)"."""
    blend: bool = False
    components: list[str] = field(default_factory=list)
    """For a blend: the ingredients listed under it (or in its parentheses) without their own amounts."""
    evidence: Evidence | None = None

    @property
    def text(self) -> str:
        return self.evidence.text if self.evidence else self.name

    @property
    def all_text(self) -> str:
        """Everything the row says as one text: as printed, its name, its sources and a blend's components."""
        return " ".join([self.text, self.name, *self.forms, *self.components])

    def to_dict(self) -> dict[str, Any]:
        q = self.quantity.to_dict() if self.quantity else {"amount": None, "unit": None}
        dv: float | int | None = self.dv_percent
        if dv is not None and float(dv).is_integer():
            dv = int(dv)
        return {
            "name": self.name,
            "amount": q["amount"],
            "unit": q["unit"],
            "dv_percent": dv,
            "dagger": self.dagger,
            "forms": list(self.forms),
            "blend": self.blend,
            "components": list(self.components),
            "bbox": list(self.evidence.bbox) if self.evidence and self.evidence.bbox else None,
        }


@dataclass
class Panel:
    """The Supplement Facts panel as structured data."""

    found: bool = False
    title: Evidence | None = None
    serving_size: str | None = None
    serving_size_evidence: Evidence | None = None
    servings_per_container: int | None = None
    servings_per_container_evidence: Evidence | None = None
    rows: list[PanelRow] = field(default_factory=list)
    other_ingredients: list[str] = field(default_factory=list)
    other_ingredients_evidence: Evidence | None = None
    dagger_footnote: Evidence | None = None
    """The "† Daily Value not established" footnote, where printed."""
    servings_per_day: float | None = None
    """From the directions: "Take 3 capsules daily" with a 3-capsule serving gives 1."""
    directions: Evidence | None = None
    bbox: BBox | None = None
    confidence: float = 0.0
    """Mean OCR confidence (0–1) of the words in the panel."""
    table_lines: list[Evidence] = field(default_factory=list)
    """Every line read in the rows table, parsed into a row or not (a row whose amount was lost still
    shows here)."""
    unread_lines: list[Evidence] = field(default_factory=list)
    """Runs of print in the rows table that the OCR gave no words for: what they say is in no row."""
    other_readings: list[Panel] = field(default_factory=list)
    """The panel as the label's other readings found it (other views, crops, thresholds; each a panel found):
    a row or name the best reading garbled may be read whole in one of them."""
    parse_failures: list[str] = field(default_factory=list)
    """Internal errors of the parser, one per reading it gave up on ("IndexError: …"): that reading's panel
    was lost, and the result says so rather than hiding a bug behind a poorer reading."""

    @property
    def blends(self) -> list[PanelRow]:
        return [r for r in self.rows if r.blend]

    @property
    def blends_read_elsewhere(self) -> list[PanelRow]:
        """Blend rows the other readings found where this one, the best read, has none: its reading of that
        line was garbled."""
        return [] if self.blends else [row for other in self.other_readings for row in other.blends]

    def to_dict(self) -> dict[str, Any]:
        return {
            "found": self.found,
            "serving_size": self.serving_size,
            "servings_per_container": self.servings_per_container,
            "servings_per_day": self.servings_per_day,
            "rows": [r.to_dict() for r in self.rows],
            "other_ingredients": list(self.other_ingredients),
            "bbox": list(self.bbox) if self.bbox else None,
            "confidence": round(self.confidence, 3),
        }


@dataclass
class Seal:
    """A certification mark (or a self-claim that looks like one) found on the label."""

    program: str
    """Catalogue id, e.g. nsf-certified-for-sport."""
    name: str
    kind: SealKind
    method: Literal["text", "shape"] = "text"
    bbox: BBox | None = None
    confidence: float = 0.0
    text: str = ""
    page: int = 0
    covers: tuple[str, ...] = ()
    """A mark known only by its certifier's initials (see the catalogue's monograms): the programmes it may be."""

    def accepted_by(self, programs: Iterable[str]) -> bool:
        """Whether the mark is one of these programmes for certain (every programme it may be is one)."""
        accepted = set(programs)
        return self.program in accepted or bool(self.covers) and set(self.covers) <= accepted

    def to_dict(self) -> dict[str, Any]:
        return {
            "program": self.program,
            "name": self.name,
            "kind": self.kind,
            "method": self.method,
            "bbox": list(self.bbox) if self.bbox else None,
            "confidence": round(self.confidence, 3),
            "text": self.text,
            "page": self.page,
            "covers": list(self.covers),
        }


@dataclass
class Label:
    """Everything read from one product: the OCR pages, the panel, the seals and the full text."""

    pages: list[OcrPage]
    panel: Panel
    seals: list[Seal] = field(default_factory=list)
    unread_marks: list[Evidence] = field(default_factory=list)
    """Round marks that carry words which could not be matched to any seal or self-claim."""
    warnings: list[str] = field(default_factory=list)
    """Reasons the reading may be unreliable (low confidence, glare, panel not found, …)."""

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.pages)

    def lines(self) -> list[tuple[int, Line]]:
        """Every line of every page, with its page index."""
        return [(i, line) for i, page in enumerate(self.pages) for line in page.lines()]

    @property
    def partly_in_view(self) -> bool:
        """Whether part of the label could not be seen (it wraps round a bottle, and its ends do not show)."""
        return any(p.wrapped and not p.ends_in_view for p in self.pages)

    @property
    def whole_on_a_bottle(self) -> bool:
        """Whether the label wraps round a bottle whose photo shows both its ends (see OcrPage.ends_in_view)."""
        return any(p.wrapped and p.ends_in_view for p in self.pages)

    @property
    def glare(self) -> list[tuple[int, BBox]]:
        """Every glare area of every page, with its page index."""
        return [(i, box) for i, page in enumerate(self.pages) for box in page.glare]

    @property
    def mean_confidence(self) -> float:
        """Over the words of every page but those read only to fill the panel's garbled lines (a crop of the
        panel read again where the panel read worst: its words would lift the label's mean)."""
        words = [w for p in self.pages if not p.fills_only for w in p.words]
        return sum(w.confidence for w in words) / len(words) if words else 0.0


@dataclass
class Finding:
    """The outcome of one check of one rule pack."""

    id: str
    pack: str
    status: Status
    severity: Severity
    message: str
    value: dict[str, Any] | None = None
    evidence: list[Evidence] = field(default_factory=list)
    advice: str = ""
    """For a failure: what the guide or regulation says and what to look for."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "pack": self.pack,
            "status": self.status,
            "severity": self.severity,
            "message": self.message,
            "advice": self.advice,
            "value": self.value,
            "evidence": [e.to_dict() for e in self.evidence],
        }


@dataclass
class ScanResult:
    """The result of scanning one input: verdict, findings, what was read, timings, or an error."""

    source: str
    sha256: str = ""
    verdict: Verdict = "error"
    findings: list[Finding] = field(default_factory=list)
    label: Label | None = None
    engine: str = ""
    timings: dict[str, float] = field(default_factory=dict)
    error: str | None = None
    exit_code: int = 0
    """For an error result: the ExitCode the failure maps to (4 unreadable input, 3 missing dependency…)."""
    image_size: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        label = self.label
        orientation = label.pages[0].orientation if label and label.pages else 0
        return {
            "schema_version": SCHEMA_VERSION,
            "source": self.source,
            "sha256": self.sha256,
            "verdict": self.verdict,
            "checks": [f.to_dict() for f in self.findings],
            "panel": label.panel.to_dict() if label else None,
            "seals": [s.to_dict() for s in label.seals] if label else [],
            "warnings": list(label.warnings) if label else [],
            "ocr": {
                "engine": self.engine,
                "mean_confidence": round(label.mean_confidence, 3) if label else 0.0,
                "orientation": orientation,
            },
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
            "error": self.error,
        }
