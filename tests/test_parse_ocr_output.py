"""The parser on what tesseract really gives for rendered labels: wrapped rows, misread daggers and rules,
side-by-side ("tabular") panels whose lines tesseract merges across the columns, hanging indents."""

from __future__ import annotations

from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from labelscan.model import OcrPage, Panel, Word
from labelscan.parse.directions import dose_per_day
from labelscan.parse.panel import _parse_panel

CHAR_W = 11


def place(text: str, x: int, y: int, line: int, h: int = 20, char_w: int = CHAR_W, block: int = 1) -> list[Word]:
    """Words of `text` laid out left to right from (x, y), all in one tesseract line."""
    words = []
    for token in text.split():
        words.append(Word(token, (x, y, char_w * len(token), h), 0.9, block, line))
        x += char_w * (len(token) + 1)
    return words


def strict(text: str) -> Panel:
    return _parse_panel(OcrPage.from_text(text))


def rows_of(panel: Panel) -> list[tuple[Any, ...]]:
    """Every row as (name, amount, unit, dv, dagger, forms, blend, components)."""
    out = []
    for r in panel.rows:
        d = r.to_dict()
        out.append((d["name"], d["amount"], d["unit"], d["dv_percent"], d["dagger"], d["forms"], d["blend"], d["components"]))
    return out


# --- plain text -------------------------------------------------------------------------------------------

def test_amount_on_first_line_of_a_wrapped_name() -> None:
    panel = strict("""Supplement Facts
Amount Per Serving % Daily Value
Magnesium (as        146 mg   35%
magnesium L-threonate)
Zinc (as zinc bisglycinate   10 mg   91%
chelate)
Vitamin B6 (as pyridoxal 5'-    2 mg  118%
phosphate)
Glycine 500 mg Tt
""")
    assert rows_of(panel) == [
        ("Magnesium", 146, "mg", 35, False, ["magnesium L-threonate"], False, []),
        ("Zinc", 10, "mg", 91, False, ["zinc bisglycinate chelate"], False, []),
        ("Vitamin B6", 2, "mg", 118, False, ["pyridoxal 5'-phosphate"], False, []),
        ("Glycine", 500, "mg", None, True, [], False, []),
    ]


def test_open_providing_clause_is_not_taken_for_amount_columns() -> None:
    panel = strict("Supplement Facts\nAmount Per Serving % Daily Value\n"
                   "Magnesium L-Threonate 1,500 mg † (providing 111 mg elemental magnesium\nGlycine 500 mg †")
    names = [(r.name, r.quantity.amount if r.quantity else None) for r in panel.rows]
    assert names[0] == ("Magnesium L-Threonate", 1500.0)
    assert ("Magnesium", 111.0) in names and names[-1] == ("Glycine", 500.0)


def test_dagger_misreads_in_any_case() -> None:
    panel = strict("""Supplement Facts
Amount Per Serving % Daily Value
Glycine 500 mg Tt
Taurine 250 mg tT
Apigenin 50 mg T
L-Theanine 200 mg t+
Magnesium L-Threonate 1,334 mg 7
Zinc 11 mg 7
""")
    assert [(r.name, r.dagger, r.dv_percent) for r in panel.rows] == [
        ("Glycine", True, None), ("Taurine", True, None), ("Apigenin", True, None), ("L-Theanine", True, None),
        ("Magnesium L-Threonate", True, None),
        ("Zinc", False, None),  # a nutrient with a reference DV: a lone "7" is not taken for a dagger
    ]


def test_table_rule_fragments_are_not_part_of_names() -> None:
    panel = strict("""Supplement Facts
Amount Per Serving % Daily Value
Magnesium_ (as magnesium L-threonate) | 144 mg 34%
—___ Taurine 250 mg t
|Glycine 500 mg †|
""")
    assert [(r.name, r.quantity.amount if r.quantity else None, r.forms) for r in panel.rows] == [
        ("Magnesium", 144.0, ["magnesium L-threonate"]), ("Taurine", 250.0, []), ("Glycine", 500.0, []),
    ]


def test_parenthesised_line_after_a_row_belongs_to_it() -> None:
    panel = strict("""Supplement Facts
Amount Per Serving % Daily Value
Magnesium L-Threonate 1,500 mg Tt
(Magtein®)
Elemental Magnesium 119 mg 28%
""")
    assert rows_of(panel) == [
        ("Magnesium L-Threonate", 1500, "mg", None, True, ["Magtein"], False, []),
        ("Elemental Magnesium", 119, "mg", 28, False, [], False, []),
    ]


def test_blend_components_in_parentheses_on_following_lines() -> None:
    panel = strict("""Supplement Facts
Amount Per Serving % Daily Value
Calm Mind Formula 2,600 mg Tt
(Magnesium L-threonate, Ginkgo biloba (leaf)
extract, Phosphatidylserine, Apigenin)
Glycine 500 mg t
""")
    assert panel.rows[0].blend
    assert panel.rows[0].components == ["Magnesium L-threonate", "Ginkgo biloba (leaf) extract", "Phosphatidylserine",
                                        "Apigenin"]
    assert panel.rows[1].name == "Glycine"


def test_component_wrapped_mid_item() -> None:
    panel = strict("""Supplement Facts
Amount Per Serving % Daily Value
Brain Support Complex 350 mg t
Lion's Mane (Hericium erinaceus) fruiting body, Ginkgo
biloba (leaf) extract, Taurine
""")
    assert panel.rows[0].components == ["Lion's Mane (Hericium erinaceus) fruiting body", "Ginkgo biloba (leaf) extract",
                                        "Taurine"]


def test_serving_values_glued_to_their_labels() -> None:
    panel = strict("Supplement Facts\nServing Size1 Capsule\nServings Per Container30\n"
                   "Amount Per Serving % Daily Value\nMagnesium 100 mg 24%")
    assert panel.serving_size == "1 Capsule"
    assert panel.servings_per_container == 30


def test_directions_one_read_as_bar() -> None:
    dose = dose_per_day("Suggested use: Take | capsule in the morning and 2 capsules 2 hours before bed.")
    assert dose is not None and dose.units_per_day == 3.0 and dose.family == "capsule"


# --- word boxes as tesseract gives them ------------------------------------------------------------------

def tabular_page(title: str = "Supplement|Facts", header_x: int = 200) -> OcrPage:
    """A side-by-side panel: title and servings in a left column, the table right of a rule at x≈180;
    tesseract merges each visual row of both columns into one line."""
    top, bottom = title.split("|")
    w: list[Word] = []
    w += place(top, 0, 0, 1, h=30, char_w=16) + place("|", 180, 0, 1, h=200, char_w=3)
    w += place("Amount Per Serving", header_x, 2, 1) + place("% Daily Value", 560, 2, 1)
    w += place(bottom, 0, 35, 2, h=30, char_w=16)
    w += place("Magnesium (as", 200, 40, 2) + place("146 mg", 480, 40, 2) + place("35%", 560, 40, 2)
    w += place("Serving Size 2", 0, 75, 3) + place("magnesium L-threonate)", 215, 75, 3)
    w += place("Tablets", 0, 100, 4) + place("Zinc (as zinc", 200, 102, 4) + place("10 mg 91%", 480, 102, 4)
    w += place("Servings Per", 0, 130, 5) + place("bisglycinate chelate)", 215, 130, 5)
    w += place("Container 30", 0, 155, 6) + place("Vitamin B6 (as pyridoxal", 200, 160, 6)
    w += place("2 mg 118%", 480, 160, 6)
    w += place("5'-phosphate)", 215, 185, 7)
    w += place("† Daily Value not established.", 200, 215, 8)
    w += place("Other ingredients: cellulose, magnesium stearate.", 0, 260, 9, block=2)
    w += place("Suggested use: Take 2 tablets daily.", 0, 290, 10, block=2)
    return OcrPage(words=w, width=700, height=320, engine="tesseract")


TABULAR_ROWS = [
    ("Magnesium", 146, "mg", 35, False, ["magnesium L-threonate"], False, []),
    ("Zinc", 10, "mg", 91, False, ["zinc bisglycinate chelate"], False, []),
    ("Vitamin B6", 2, "mg", 118, False, ["pyridoxal 5'-phosphate"], False, []),
]


def test_tabular_panel_columns_are_split() -> None:
    panel = _parse_panel(tabular_page())
    assert panel.found and panel.title is not None
    assert rows_of(panel) == TABULAR_ROWS
    assert panel.serving_size == "2 Tablets"
    assert panel.servings_per_container == 30
    assert panel.servings_per_day == 1.0
    assert panel.dagger_footnote is not None
    assert panel.other_ingredients == ["cellulose", "magnesium stearate"]


def test_tabular_panel_with_right_aligned_header() -> None:
    panel = _parse_panel(tabular_page(header_x=330))
    assert rows_of(panel) == TABULAR_ROWS
    assert panel.serving_size == "2 Tablets" and panel.servings_per_container == 30


def test_tabular_panel_whose_title_is_unreadable() -> None:
    panel = _parse_panel(tabular_page(title="Sup lement|Fac a"))
    assert rows_of(panel) == TABULAR_ROWS
    assert panel.serving_size == "2 Tablets" and panel.servings_per_container == 30


def test_title_printed_over_two_lines() -> None:
    from labelscan.parse.layout import locate_anchors

    title, header, dv = locate_anchors(tabular_page(title="Sup lement|Facts"))
    assert title is not None and [w.text for w in title.words] == ["Sup", "lement", "Facts"]
    assert header is not None and dv is not None


def test_standard_panel_with_right_aligned_header_is_not_split() -> None:
    w = place("Supplement Facts", 0, 0, 1, h=30, char_w=16)
    w += place("Serving Size 3 Capsules", 0, 40, 2)
    w += place("Servings Per Container 30", 0, 65, 3)
    w += place("Amount Per Serving", 330, 100, 4) + place("%DV", 560, 100, 4)
    w += place("Magnesium (as magnesium L-threonate)", 0, 130, 5) + place("144 mg 34%", 480, 130, 5)
    w += place("Glycine", 0, 160, 6) + place("500 mg †", 480, 160, 6)
    panel = _parse_panel(OcrPage(words=w, width=700, height=200, engine="tesseract"))
    assert [(r.name, r.forms) for r in panel.rows] == [("Magnesium", ["magnesium L-threonate"]), ("Glycine", [])]
    assert panel.serving_size == "3 Capsules" and panel.servings_per_container == 30


def standard_page(rows: list[tuple[str, int, int]]) -> OcrPage:
    """A standard panel whose rows are (text, x, line) with amounts typed into the text; one row every 30 px."""
    w = place("Supplement Facts", 0, 0, 1, h=30, char_w=16)
    w += place("Amount Per Serving", 0, 40, 2) + place("% Daily Value", 500, 40, 2)
    for i, (text, x, line) in enumerate(rows):
        name, _, amounts = text.partition("  ")
        y = 70 + 30 * i
        w += place(name, x, y, line)
        if amounts:
            w += place(amounts, 420, y, line)
    return OcrPage(words=w, width=700, height=70 + 30 * len(rows), engine="tesseract")


def test_hanging_indent_continues_the_name() -> None:
    page = standard_page([("Magnesium  1,000 mg †", 0, 3), ("L-Threonate (Magtein®)", 30, 4),
                          ("Elemental Magnesium  77 mg 19%", 0, 5)])
    assert rows_of(_parse_panel(page)) == [
        ("Magnesium L-Threonate", 1000, "mg", None, True, ["Magtein"], False, []),
        ("Elemental Magnesium", 77, "mg", 19, False, [], False, []),
    ]


def test_row_with_unread_amount_after_indented_components_is_not_a_component() -> None:
    page = standard_page([("Neuro Focus Blend  1,300 mg †", 0, 3), ("Magnesium L-threonate, Bacopa extract,", 30, 4),
                          ("Taurine, Apigenin", 30, 5), ("Glycine", 0, 6)])
    panel = _parse_panel(page)
    assert panel.rows[0].blend
    assert panel.rows[0].components == ["Magnesium L-threonate", "Bacopa extract", "Taurine", "Apigenin"]


def test_directions_read_from_the_panel_column_not_the_merged_page_line() -> None:
    """Tesseract joins front-panel claims (left) and the directions (right) into one line; the directions'
    own column reads "2 veggie" + "capsules" together."""
    w = place("Supplement Facts", 500, 0, 1, h=30, char_w=16)
    w += place("Serving Size 3 Veggie Capsules", 500, 40, 2)
    w += place("Amount Per Serving", 500, 70, 3) + place("% DV", 900, 70, 3)
    w += place("Magnesium 144 mg 34%", 500, 100, 4)
    w += place("* Supports brain levels*", 0, 140, 5) + place("Suggested use: Take 1 veggie capsule and 2 veggie", 500, 140, 5)
    w += place("* Helps calm*", 0, 165, 6) + place("capsules before bed.", 500, 165, 6)
    panel = _parse_panel(OcrPage(words=w, width=1100, height=200, engine="tesseract"))
    assert panel.serving_size == "3 Veggie Capsules"
    assert panel.servings_per_day == 1.0


TOKENS = ["Supplement", "Facts", "Sup", "lement", "Serving", "Size", "Size1", "Servings", "Per", "Container", "30",
          "Amount", "% Daily Value", "%DV", "Magnesium", "(as", "magnesium", "L-threonate)", "146", "mg", "35%", "Tt",
          "|", "—___", "_", "(Magtein®)", "Blend", "Taurine,", "†", "Daily", "Value", "not", "established.",
          "Other", "ingredients:", "Take", "|", "capsule", "(providing", "111 mg", ""]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(TOKENS), st.integers(-50, 900), st.integers(-50, 600), st.integers(0, 300),
                          st.integers(0, 80), st.integers(0, 3), st.integers(0, 12)), max_size=60))
def test_random_word_boxes_never_break_the_parser(items: list[tuple[str, int, int, int, int, int, int]]) -> None:
    words = [Word(t, (x, y, w, h), 0.9, b, ln) for t, x, y, w, h, b, ln in items]
    _parse_panel(OcrPage(words=words, width=1000, height=700, engine="tesseract"))


def test_indented_text_far_below_the_last_row_is_not_its_name() -> None:
    w = place("Supplement Facts", 0, 0, 1, h=30, char_w=16)
    w += place("Serving Size 1 Capsule", 0, 40, 2)
    w += place("Magnesium (as magnesium L-threonate)", 0, 70, 3) + place("75mg 19%", 480, 70, 3)
    w += place("UL SPORT NPA", 60, 400, 4, block=3)
    w += place("CERTIFIED GMP", 40, 440, 5, block=3)
    panel = _parse_panel(OcrPage(words=w, width=700, height=500, engine="tesseract"))
    assert [(r.name, r.forms) for r in panel.rows] == [("Magnesium", ["magnesium L-threonate"])]


def test_iu_read_with_a_one() -> None:
    from labelscan.parse import find_quantities

    assert [(q.amount, q.unit) for q, _, _ in find_quantities("25 mcg (1,000 1U)")] == [(25.0, "mcg"), (1000.0, "IU")]


def test_dv_beyond_a_narrow_title_when_the_header_is_unread() -> None:
    """No column header read: the region's right edge is the title's; a %DV just past it still belongs to the row,
    a side panel further right does not."""
    w = place("Supplement Facts", 0, 0, 1, h=30, char_w=16, block=1)
    w += place("Serving Size 1 Capsule", 0, 40, 2, block=2)
    w += place("Magnesium (as magnesium L-threonate)", 0, 70, 3, block=3) + place("75mg", 420, 70, 3, block=3)
    w += place("19%", 480, 70, 3, block=3) + place("Keep out of reach", 800, 70, 3, block=3)
    panel = _parse_panel(OcrPage(words=w, width=1100, height=120, engine="tesseract"))
    assert [(r.name, r.dv_percent) for r in panel.rows] == [("Magnesium", 19.0)]


def test_a_name_wrapped_under_its_amount_keeps_its_providing_clause_and_whole_box() -> None:
    words = (place("Supplement Facts", 10, 10, 0) + place("Amount Per Serving % Daily Value", 10, 40, 1)
             + place("Magnesium", 10, 70, 2) + place("2,000 mg t", 400, 70, 2)
             + place("L-Threonate", 40, 95, 3) + place("(providing 154 mg elemental", 40, 120, 4)
             + place("magnesium)", 40, 145, 5) + place("Vitamin C (as ascorbic acid) 60 mg 67%", 10, 175, 6))
    panel = _parse_panel(OcrPage(words, 700, 300, "test"))
    assert [(r.name, r.quantity.amount if r.quantity else None) for r in panel.rows] == [
        ("Magnesium L-Threonate", 2000), ("Magnesium", 154), ("Vitamin C", 60)]
    x, y, w, h = panel.rows[0].evidence.bbox
    assert y <= 70 and y + h >= 165  # the row's box holds every line of its name


def test_an_amount_beyond_the_title_is_kept_when_no_daily_value_heading_marks_the_edge() -> None:
    """A bottle photo cut at the panel's right side: "% Daily Val" is not read as the heading, so only the title
    and "Amount Per Serving" mark the region, narrower than the rows; a row in a block of its own keeps its
    amount beyond them (tesseract's line never crosses a column)."""
    w = place("Supplement Facts", 0, 0, 1, h=30, char_w=16, block=1)
    w += place("Serving Size 2 Softgels", 0, 40, 2, block=2)
    w += place("Amount Per Serving", 0, 70, 3, block=3) + place("% Daily Val", 560, 70, 3, block=3)
    w += place("Calm Mind Formula", 0, 100, 4, block=4) + place("2,100 mg", 480, 100, 4, block=4)
    w += place("(Magnesium L-threonate, Taurine)", 10, 125, 5, block=4)
    panel = _parse_panel(OcrPage(words=w, width=700, height=160, engine="tesseract"))
    assert [(r.name, r.quantity.amount if r.quantity else None, r.blend) for r in panel.rows] == [
        ("Calm Mind Formula", 2100.0, True)]


def test_a_column_beside_the_panel_read_into_its_lines_is_left_out() -> None:
    """Tesseract read a bottle label's side column ("Do not use if safety seal is / broken.") into the same lines
    as the panel's wrapped row: past the "% Daily Value" edge, across a column's gap and beginning with no
    number, those words are not the row's. The amount and %DV, past a gap of their own, are."""
    w = place("Supplement Facts", 0, 0, 1, h=30, char_w=16)
    w += place("Serving Size 3 Capsules", 0, 40, 2)
    w += place("Amount Per Serving", 0, 70, 3) + place("% Daily Value", 400, 70, 3)
    w += place("Magnesium (as", 0, 100, 4) + place("Do not use if safety seal is", 700, 100, 4)
    w += place("magnesium", 0, 130, 5) + place("broken.", 700, 130, 5)
    w += place("L-threonate)", 0, 160, 6) + place("151 mg", 330, 160, 6) + place("36%", 470, 160, 6)
    panel = _parse_panel(OcrPage(words=w, width=1100, height=200, engine="tesseract"))
    assert [(r.name, r.forms, r.quantity.amount, r.dv_percent) for r in panel.rows] == [
        ("Magnesium", ["magnesium L-threonate"], 151, 36)]


def test_a_column_close_beside_the_daily_value_edge_is_left_out() -> None:
    """A warning column ("Keep out of reach of / children.") set two word heights past the "% Daily Value" column,
    closer than a column's gap elsewhere, read into the lines of a row: past that edge, a gap wider than a word
    height before a word that is not an amount parts the columns (seed 23: "Magnesium (as magnesium … nursing,
    consult your L-threonate)" had failed the name check with confidence)."""
    w = place("Supplement Facts", 0, 0, 1, h=30, char_w=16)
    w += place("Serving Size 3 Capsules", 0, 40, 2)
    w += place("Amount Per Serving", 0, 70, 3) + place("% Daily Value", 400, 70, 3)
    w += place("Magnesium (as", 0, 100, 4) + place("151 mg", 330, 100, 4) + place("36%", 510, 100, 4)
    w += place("Keep out of reach of", 590, 100, 4)
    w += place("magnesium L-threonate)", 0, 130, 5) + place("children.", 590, 130, 5)
    panel = _parse_panel(OcrPage(words=w, width=1100, height=200, engine="tesseract"))
    assert [(r.name, r.forms, r.quantity.amount, r.dv_percent) for r in panel.rows] == [
        ("Magnesium", ["magnesium L-threonate"], 151, 36)]


BESIDE_COLUMN = [  # tesseract's words (block, line) for a clean scan of seed 27, the panel's rows and the column beside
    ("Supplement", (109, 470, 420, 70), 13, 1), ("Facts", (560, 470, 260, 70), 13, 1),
    ("Amount", (109, 810, 160, 40), 13, 5), ("Per", (280, 810, 70, 40), 13, 5), ("Serving", (360, 810, 170, 40), 13, 5),
    ("Magnesium", (109, 890, 266, 46), 13, 7), ("(as", (392, 890, 64, 41), 13, 7), ("magnesium", (470, 890, 268, 46), 13, 7),
    ("Store", (1189, 882, 93, 27), 13, 7), ("in", (1295, 888, 35, 21), 13, 7), ("a", (1344, 888, 18, 21), 13, 7),
    ("cool,", (1376, 880, 82, 35), 13, 7), ("dry", (1472, 880, 62, 38), 13, 7),
    ("L-threonate)", (109, 968, 290, 50), 14, 8), ("156", (960, 975, 73, 33), 14, 8), ("mg", (1048, 982, 70, 37), 14, 8),
    ("place.", (1187, 950, 105, 38), 14, 8), ("Do", (1306, 952, 47, 27), 14, 8), ("not", (1367, 953, 60, 26), 14, 8),
    ("use", (1438, 958, 61, 21), 14, 8), ("if", (1512, 950, 28, 29), 14, 8),
    ("safety", (1189, 1020, 109, 38), 15, 9), ("seal", (1310, 1020, 70, 29), 15, 9), ("is", (1391, 1020, 28, 29), 15, 9),
    ("broken.", (1432, 1020, 138, 29), 15, 9),
]


def test_a_line_of_the_column_beside_printed_half_a_line_higher_is_not_part_of_the_row() -> None:
    """A scan (seed 27) whose panel has no "% Daily Value" heading, a column beside it ("Store in a cool, dry /
    place. Do not use if / safety seal is broken."): tesseract ran the row "L-threonate) … 156 mg" on into
    "place. Do not use if", printed half a line higher, two word heights away. The row became "Magnesium (as
    magnesium place. Do not use if L-threonate) 156 mg" and the name check failed with confidence. Neighbouring
    words that share less than half the lower one's height down the page stand on different printed lines."""
    words = [Word(t, b, 0.96, k, n) for t, b, k, n in BESIDE_COLUMN]
    panel = _parse_panel(OcrPage(words=words, width=1735, height=1692, engine="tesseract"))
    assert [(r.name, r.forms, r.quantity.amount) for r in panel.rows] == [
        ("Magnesium", ["magnesium L-threonate"], 156)]


def test_a_row_read_twice_keeps_only_its_clear_reading() -> None:
    """Tesseract sometimes reads a row twice, as a second line of low-confidence fragments over the first ("h" over
    "L-threonate)", "6" over "160"); the fragments are not the row's words (they made "Magnesium h 160  6 mg")."""
    w = place("Supplement Facts", 0, 0, 1, h=30, char_w=16)
    w += place("Amount Per Serving", 0, 40, 2) + place("% Daily Value", 400, 40, 2)
    w += place("Magnesium (as magnesium", 0, 70, 3)
    w += place("L-threonate)", 0, 100, 4) + place("160 mg", 330, 100, 4) + place("38%", 500, 100, 4)
    w += [Word("h", (40, 101, 11, 20), 0.8, 1, 5), Word("6", (345, 99, 11, 20), 0.7, 1, 5)]
    panel = _parse_panel(OcrPage(words=w, width=1100, height=200, engine="tesseract"))
    assert [(r.name, r.forms, r.quantity.amount, r.dv_percent) for r in panel.rows] == [
        ("Magnesium", ["magnesium L-threonate"], 160, 38)]
