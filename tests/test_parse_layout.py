"""The parser on word boxes as tesseract gives them: several columns, rows split into blocks and lines."""

from __future__ import annotations

import pytest

from labelscan.model import OcrPage, Word
from labelscan.parse import parse_pages, parse_panel
from labelscan.parse.layout import build_rows
from labelscan.parse.panel import _parse_panel

CHAR_W = 11


def place(text: str, x: int, y: int, block: int, line: int, h: int = 20, conf: float = 0.9) -> list[Word]:
    """Words of `text` laid out left to right from (x, y), all in one tesseract block/line."""
    words = []
    for token in text.split():
        words.append(Word(token, (x, y, CHAR_W * len(token), h), conf, block, line))
        x += CHAR_W * (len(token) + 1)
    return words


def two_column_label() -> OcrPage:
    """Front panel (block 1) at left, facts panel at right: names in block 2, amounts in block 3, %DV in block 4."""
    w: list[Word] = []
    # Front panel: same heights as the panel rows, so naive row building would mix them.
    w += place("NeuroMag", 20, 100, 1, 1, h=30, conf=0.8)
    w += place("Magnesium L-Threonate 2,000 mg", 20, 160, 1, 2, conf=0.8)
    w += place("Brain Health Formula Complex", 20, 200, 1, 3, conf=0.8)
    w += place("90 Capsules 144 mg", 20, 240, 1, 4, conf=0.8)
    w += place("USP Verified", 20, 280, 1, 5, conf=0.8)
    # Facts panel.
    w += place("Supplement Facts", 500, 100, 2, 10, h=30)
    w += place("Serving Size 3 Capsules", 500, 160, 2, 11)
    w += place("Servings Per Container 30", 500, 200, 2, 12)
    w += place("Amount Per Serving", 500, 240, 2, 13)
    w += place("% Daily Value", 840, 241, 4, 30)
    w += place("Magnesium (as magnesium", 500, 280, 2, 14)
    w += place("L-threonate)", 500, 305, 2, 15)
    w += place("144 mg", 720, 293, 3, 20)
    w += place("34%", 880, 292, 4, 31)
    w += place("Magnesium L-Threonate", 500, 340, 2, 16)
    w += place("2,000 mg", 720, 342, 3, 21)
    w += place("†", 890, 341, 4, 32)
    w += place("† Daily Value not established.", 500, 390, 2, 17)
    w += place("Other ingredients: hypromellose (capsule),", 500, 440, 5, 40)
    w += place("magnesium stearate.", 500, 465, 5, 41)
    # A side panel on the right, beside the facts rows.
    w += place("Suggested use: Take 3 capsules daily.", 1100, 280, 6, 50)
    w += place("Proprietary Blend 500 mg", 1100, 340, 6, 51)
    return OcrPage(words=w, width=1500, height=600, engine="tesseract")


def test_two_column_label_rows_and_region() -> None:
    panel = _parse_panel(two_column_label())
    assert panel.found
    rows = [(r.name, r.quantity.amount if r.quantity else None, r.dv_percent, r.dagger, r.forms, r.blend) for r in panel.rows]
    assert rows == [
        ("Magnesium", 144.0, 34.0, False, ["magnesium L-threonate"], False),
        ("Magnesium L-Threonate", 2000.0, None, True, [], False),
    ]
    assert panel.serving_size == "3 Capsules"
    assert panel.servings_per_container == 30
    assert panel.servings_per_day == 1.0
    assert panel.other_ingredients == ["hypromellose (capsule)", "magnesium stearate"]
    assert panel.dagger_footnote is not None
    # Nothing from the front panel (x < 400) or the side panel (x >= 1100) is in the panel box.
    x, y, wdt, hgt = panel.bbox
    assert x >= 500 and x + wdt < 1100
    assert abs(panel.confidence - 0.9) < 1e-9


def test_two_column_row_evidence() -> None:
    panel = _parse_panel(two_column_label())
    magnesium = panel.rows[0]
    assert magnesium.evidence is not None
    assert magnesium.evidence.text == "Magnesium (as magnesium L-threonate) 144 mg 34%"
    x, y, w, h = magnesium.evidence.bbox
    assert x == 500 and y == 280 and x + w == 880 + 3 * CHAR_W and y + h == 325
    assert abs(magnesium.evidence.confidence - 0.9) < 1e-9
    assert panel.serving_size_evidence is not None and panel.serving_size_evidence.text == "Serving Size 3 Capsules"
    assert panel.servings_per_container_evidence is not None
    assert panel.servings_per_container_evidence.text == "Servings Per Container 30"


def test_row_split_over_two_tesseract_lines_same_block() -> None:
    words = place("Supplement Facts", 0, 0, 1, 1, h=30)
    words += place("Amount Per Serving", 0, 50, 1, 2) + place("% Daily Value", 300, 50, 1, 3)
    words += place("Magnesium L-Threonate", 0, 90, 1, 4) + place("2,000 mg †", 300, 92, 1, 5)
    words += place("Zinc", 0, 130, 1, 6) + place("11 mg 100%", 300, 128, 1, 7)
    panel = parse_panel(OcrPage(words=words))
    assert [(r.name, r.quantity.amount, r.dagger, r.dv_percent) for r in panel.rows] == [
        ("Magnesium L-Threonate", 2000.0, True, None),
        ("Zinc", 11.0, False, 100.0),
    ]


def test_build_rows_groups_by_vertical_overlap() -> None:
    words = place("a b", 0, 0, 1, 1) + place("c", 200, 5, 2, 9) + place("d", 0, 30, 1, 2)
    rows = build_rows(words)
    assert [r.text for r in rows] == ["a b c", "d"]


def test_parse_pages_picks_the_panel_page_and_takes_directions_elsewhere() -> None:
    front = OcrPage.from_text("NeuroMag\nSuggested use: Take 1 capsule in the morning and 2 capsules before bed.")
    back = OcrPage.from_text("Supplement Facts\nServing Size 3 Capsules\nAmount Per Serving % Daily Value\n"
                             "Magnesium (as magnesium L-threonate) 144 mg 34%")
    panel = parse_pages([front, back])
    assert panel.found and panel.rows[0].name == "Magnesium"
    assert panel.rows[0].evidence is not None and panel.rows[0].evidence.page == 1
    assert panel.directions is not None and panel.directions.page == 0
    assert panel.servings_per_day == 1.0


SPLIT_WORDS = [
    ('Supplement', (490, 800, 300, 60), 0.95, 1, 0), ('Facts', (810, 800, 150, 60), 0.95, 1, 0),
    ('serving', (494, 907, 130, 38), 0.91, 2, 1), ('Size', (635, 900, 68, 33), 0.96, 2, 1),
    ('3', (716, 894, 19, 31), 0.97, 2, 1), ('Capsules', (749, 880, 162, 47), 0.97, 2, 1),
    ('Servings', (495, 977, 147, 38), 0.97, 2, 2), ('Per', (656, 970, 59, 30), 0.97, 2, 2),
    ('Container', (727, 954, 179, 40), 0.97, 2, 2), ('20', (918, 945, 43, 33), 0.97, 2, 2),
    ('Amount', (489, 1046, 162, 70), 0.95, 4, 3), ('Per', (663, 1062, 63, 31), 0.96, 4, 3),
    ('Serving', (738, 1047, 145, 40), 0.93, 4, 3), ('%', (898, 1041, 35, 32), 0.92, 4, 3),
    ('Daily', (947, 1031, 99, 42), 0.96, 4, 3), ('Value', (1056, 1024, 114, 36), 0.97, 4, 3),
    ('Magnesium', (498, 1132, 221, 48), 0.97, 4, 4), ('(as', (498, 1215, 54, 37), 0.96, 4, 5),
    ('magnesium', (500, 1274, 224, 47), 0.96, 4, 6), ('L-threonate)', (502, 1341, 242, 47), 0.92, 4, 7),
    ('158', (746, 1410, 66, 34), 0.96, 5, 8), ('mg', (825, 1412, 61, 35), 0.96, 5, 8),
    ('38%', (1106, 1386, 79, 37), 0.96, 5, 8), ('eS', (500, 1436, 689, 45), 0.45, 6, 9),
    ('ee', (1031, 1422, 158, 63), 0.37, 6, 9), ("Lion's", (504, 1501, 100, 36), 0.95, 6, 10),
    ('Mane', (505, 1577, 100, 33), 0.96, 6, 11), ('Mushroom', (506, 1645, 199, 38), 0.96, 6, 12),
    ('(fruiting', (506, 1719, 145, 44), 0.94, 6, 13), ('body)', (508, 1793, 102, 44), 0.97, 7, 14),
    ('500', (758, 1785, 67, 35), 0.97, 7, 14), ('mg', (839, 1789, 58, 36), 0.97, 7, 14),
    ('+', (1183, 1768, 18, 34), 0.92, 7, 14),
]
"""A narrow panel in a phone photo (seed 25) as tesseract read the whole page: its names wrapped over several
lines, the table rule under the magnesium row read as a wide word "eS" that took the row's amount."""


def test_parse_pages_prefers_the_view_that_read_each_row_with_its_name() -> None:
    """The whole-page reading held a row more than the panel's own view, which read each row whole, and was
    preferred for it: the magnesium row had no amount and the elemental check came out unknown. The view with
    more rows that have both a name and an amount wins."""
    split = OcrPage(words=[Word(t, b, c, k, n) for t, b, c, k, n in SPLIT_WORDS], width=2319, height=3127)
    assert [(r.name.split()[0], r.quantity is not None) for r in parse_panel(split).rows] == [
        ("Magnesium", False), ("eS", True), ("Mushroom", True)]
    whole = OcrPage.from_text("Supplement Facts\nServing Size 3 Capsules\nAmount Per Serving % Daily Value\n"
                              "Magnesium (as magnesium L-threonate) 158 mg 38%\nMushroom (fruiting body) 500 mg t\n")
    for pages in ([split, whole], [whole, split]):
        panel = parse_pages(pages)
        assert [(r.name, r.quantity and r.quantity.amount) for r in panel.rows] == [("Magnesium", 158.0),
                                                                                    ("Mushroom", 500.0)]


def test_parse_pages_without_panel() -> None:
    assert parse_pages([]).found is False
    assert parse_pages([OcrPage.from_text("just a front label\n90 capsules")]).found is False


def test_single_block_text_layer_with_front_panel_at_left() -> None:
    """A PDF text layer without blocks: the front panel at left shares the rows' heights."""
    w: list[Word] = []
    w += place("Supplement Facts", 400, 0, 0, 1, h=30)
    w += place("Serving Size 3 Capsules", 400, 50, 0, 2)
    w += place("CALM MIND", 0, 50, 0, 3)
    w += place("Amount Per Serving", 400, 90, 0, 4) + place("% Daily Value", 700, 90, 0, 4)
    w += place("Magnesium 144 mg", 400, 130, 0, 5) + place("34%", 740, 130, 0, 5)
    w += place("Cognitive Blend 250 mg", 0, 130, 0, 6)
    w += place("Sleep Support 500 mg", 1000, 130, 0, 7)
    page = OcrPage(words=w, width=1200, height=400, engine="pdf")
    panel = parse_panel(page)
    assert [(r.name, r.quantity.amount, r.dv_percent, r.blend) for r in panel.rows] == [("Magnesium", 144.0, 34.0, False)]
    assert panel.serving_size == "3 Capsules"


def test_stacked_front_panel_above_is_ignored() -> None:
    w = place("Magnesium Complex 900 mg", 0, 0, 1, 1)
    w += place("Supplement Facts", 0, 60, 2, 2, h=30)
    w += place("Amount Per Serving % Daily Value", 0, 100, 2, 3)
    w += place("Magnesium (as magnesium L-threonate) 144 mg 34%", 0, 130, 2, 4)
    panel = parse_panel(OcrPage(words=w, engine="tesseract"))
    assert [r.name for r in panel.rows] == ["Magnesium"]
    assert panel.bbox is not None and panel.bbox[1] == 60


def test_confidence_is_mean_of_panel_words() -> None:
    w = place("Supplement Facts", 0, 0, 1, 1, conf=0.5)
    w += place("Magnesium 144 mg 34%", 0, 40, 1, 2, conf=1.0)
    panel = parse_panel(OcrPage(words=w))
    assert panel.found and panel.rows[0].evidence is not None
    assert abs(panel.confidence - (0.5 * 2 + 1.0 * 4) / 6) < 1e-9
    assert panel.rows[0].evidence.confidence == 1.0


def test_leader_dots_read_as_low_words_are_not_part_of_the_name() -> None:
    """Dot leaders that OCR read as words ("bebe eeeeenenees") are boxes a few pixels high on the row's
    baseline: they are left out of the row, so the name is the name and the row reads with its own
    confidence. A footnote mark as small is kept."""
    w: list[Word] = []
    w += place("Supplement Facts", 20, 20, 1, 1, h=30)
    w += place("Amount Per Serving", 20, 70, 1, 2)
    w += place("Magnesium (as magnesium L-threonate)", 20, 110, 1, 3)
    w += place("bebe eeeeenenees", 420, 126, 1, 3, h=4, conf=0.0)
    w += place("164 mg 39%", 620, 110, 1, 3)
    w += place("Taurine", 20, 150, 1, 4)
    w += place("...................08.", 110, 166, 1, 4, h=4, conf=0.0)
    w += place("250 mg *", 620, 150, 1, 4)
    w[-1] = Word("*", (w[-1].bbox[0], 150, 8, 5), 0.9, 1, 4)
    panel = _parse_panel(OcrPage(words=w, width=800, height=300, engine="tesseract"))
    rows = [(r.name, r.quantity.amount if r.quantity else None, r.dv_percent) for r in panel.rows]
    assert rows == [("Magnesium", 164.0, 39.0), ("Taurine", 250.0, None)]
    assert panel.rows[0].evidence is not None and panel.rows[0].evidence.confidence > 0.8
    assert panel.rows[1].text.endswith("*")


def _narrow_panel_head() -> list[Word]:
    """A panel's title and headings, each in a tesseract block of its own, no "% Daily Value" heading: the
    panel region is the title's width."""
    return (place("Supplement Facts", 40, 50, 1, 0, h=40) + place("Serving Size 4 Capsules", 40, 130, 2, 1)
            + place("Amount Per Serving", 40, 180, 3, 2))


def test_amounts_past_a_narrow_title_join_their_rows_but_a_next_column_does_not() -> None:
    """No "% Daily Value" heading, and the amounts stand beyond the title's width, each line in its own
    tesseract block: a number and its unit alone past the edge are the row's amount. A line of the label's
    next column on a row's line ("2,000 mg Magnesium L-Threonate per serving") is not."""
    w = _narrow_panel_head()
    w += place("Magnesium (as Magtein®)", 40, 230, 4, 3)
    w += place("89 mg", 680, 231, 5, 4)
    w += place("L-Theanine", 40, 280, 6, 5)
    w += place("100 mg †", 640, 280, 7, 6)
    w += place("Rhodiola", 40, 330, 8, 7)
    w += place("2,000 mg Magnesium L-Threonate per serving", 640, 330, 9, 8)
    panel = _parse_panel(OcrPage(words=w, width=1400, height=500, engine="tesseract"))
    rows = [(r.name, r.quantity.amount if r.quantity else None, r.dagger) for r in panel.rows]
    assert rows == [("Magnesium", 89.0, False), ("L-Theanine", 100.0, True)]


def test_an_amount_past_a_narrow_title_read_as_one_word_joins_its_row() -> None:
    """A flat label photographed at an angle, small (seed 40): "151 mg" stood lower than its row's name and
    beyond the title's width, and the OCR read it as one word, "151mg", in a block of its own; only a number
    and its unit apart joined the row, so the panel had no row at all ("its rows could not be read")."""
    w = _narrow_panel_head()
    w += place("Magnesium (as magnesium L-threonate)", 40, 230, 4, 3)
    w += place("151mg", 700, 238, 5, 4)
    w += place("Rhodiola", 40, 280, 6, 5)
    w += place("2mg of it", 700, 280, 7, 6)  # not an amount alone: the label's next column
    panel = _parse_panel(OcrPage(words=w, width=1400, height=500, engine="tesseract"))
    rows = [(r.name, r.quantity.amount if r.quantity else None) for r in panel.rows]
    assert rows == [("Magnesium", 151.0)]


def test_a_rows_box_is_its_texts_not_a_table_rule_read_beside_it() -> None:
    """A table rule read as "|" left of a row widened the row's box, and a line under it then looked
    hanging-indented (the rest of its name)."""
    from labelscan.parse.layout import evidence_of

    bar = Word("|", (10, 100, 4, 30), 0.4, 1, 1)
    name = Word("L-Threonate", (40, 100, 120, 30), 0.9, 1, 1)
    evidence = evidence_of([bar, name])
    assert evidence is not None and evidence.bbox == name.bbox and evidence.text == "| L-Threonate"


def test_a_dagger_read_as_a_letter_after_the_amount_does_not_lower_the_rows_confidence() -> None:
    """Seed 19 scan: "L-Threonate 1,500 mg t" with the dagger read as "t" at 23 %: the row's confidence fell to
    80 % and "no elemental magnesium" became unknown on a clean scan. A mark's guessed shape says nothing of
    how well the row's words were read; a "t" that is no dagger (no number before it), or a digit, counts."""
    from labelscan.parse.layout import evidence_of

    words = [Word(t, (40 + 130 * i, 100, 120, 30), c, 1, 1)
             for i, (t, c) in enumerate([("L-Threonate", 0.93), ("1,500", 0.95), ("mg", 0.92), ("t", 0.23)])]
    evidence = evidence_of(words)
    assert evidence is not None and evidence.confidence == pytest.approx((0.93 + 0.95 + 0.92) / 3)
    assert evidence.text == "L-Threonate 1,500 mg t"
    no_number = evidence_of([words[0], Word("of", (200, 100, 40, 30), 0.9, 1, 1), words[3]])
    assert no_number is not None and no_number.confidence == pytest.approx((0.93 + 0.9 + 0.23) / 3)
    digit = evidence_of([*words[:3], Word("7", (600, 100, 20, 30), 0.3, 1, 1)])
    assert digit is not None and digit.confidence == pytest.approx((0.93 + 0.95 + 0.92 + 0.3) / 4)


def test_a_percent_and_an_amount_between_the_two_lines_of_a_wrapped_name_are_that_rows() -> None:
    """Set beside a name wrapped over two lines, a row's %DV and amount stood between its lines, each a visual
    line of its own ("Magnesium (as magnesium" / "28%" / "119 mg" / "L-threonate)"): the %DV was glued into
    the name ("magnesium 28% L-threonate"), so the panel did not name magnesium L-threonate."""
    w: list[Word] = []
    w += place("Supplement Facts", 20, 20, 1, 1, h=30)
    w += place("Amount Per Serving", 20, 70, 1, 2)
    w += place("% Daily Value", 600, 70, 2, 8)
    w += place("Magnesium (as magnesium", 20, 100, 1, 3)
    w += place("28%", 640, 116, 2, 4)
    w += place("119 mg", 460, 128, 3, 5)
    w += place("L-threonate)", 20, 140, 1, 6)
    w += place("Zinc 10 mg 91%", 20, 180, 1, 7)
    panel = _parse_panel(OcrPage(words=w, width=800, height=300, engine="tesseract"))
    rows = [(r.name, r.quantity.amount if r.quantity else None, r.dv_percent, r.forms) for r in panel.rows]
    assert rows == [("Magnesium", 119.0, 28.0, ["magnesium L-threonate"]), ("Zinc", 10.0, 91.0, [])]
