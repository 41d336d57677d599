"""Builders for hand-made Labels and Panels used by the check tests."""

from __future__ import annotations

from labelscan.model import Evidence, Label, OcrPage, Panel, PanelRow, Quantity


def row(name: str, amount: float | None = None, unit: str = "mg", *, dv: float | None = None,
        forms: list[str] | None = None, blend: bool = False, components: list[str] | None = None,
        text: str | None = None, confidence: float = 0.95) -> PanelRow:
    """A panel row with its evidence text."""
    quantity = Quantity(amount, unit) if amount is not None else None
    printed = text or " ".join(filter(None, [name, f"(as {forms[0]})" if forms else "", f"{amount:g} {unit}" if amount is not None else ""]))
    return PanelRow(name=name, quantity=quantity, dv_percent=dv, forms=forms or [], blend=blend,
                    components=components or [], evidence=Evidence(printed, (10, 10, 100, 20), confidence))


def label(rows: list[PanelRow], *, text: str = "Magnesium L-Threonate", found: bool = True,
          confidence: float = 0.92, seals_text: str = "") -> Label:
    """A Label with the given panel rows; seals are found from `seals_text` by the real seal finder."""
    from labelscan.seals import find_seals

    page = OcrPage.from_text("\n".join(filter(None, [text, seals_text, *[r.text for r in rows]])))
    page.words = [type(w)(w.text, w.bbox, confidence, w.block, w.line) for w in page.words]
    panel = Panel(found=found, rows=rows, confidence=confidence)
    return Label(pages=[page], panel=panel, seals=find_seals([page]))


# A compliant magnesium L-threonate label as already-OCRed text (for tests that need no OCR).
COMPLIANT_TEXT = """\
NEUROVA Magnesium L-Threonate
Dietary Supplement
Supports memory and cognitive function*
NSF
CERTIFIED FOR SPORT
Supplement Facts
Serving Size 3 Capsules
Servings Per Container 30
Amount Per Serving % Daily Value
Magnesium (as magnesium L-threonate) 144 mg 34%
Other ingredients: hypromellose, microcrystalline cellulose.
*These statements have not been evaluated by the Food and Drug Administration. This product is not intended to diagnose, treat, cure, or prevent any disease.
"""
