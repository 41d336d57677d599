"""Table-driven tests of the Supplement Facts parser on plain-text panels (clean and OCR-damaged)."""

from __future__ import annotations

from typing import Any

import pytest

from labelscan.model import OcrPage, Panel
from labelscan.parse import parse_text
from labelscan.parse.panel import _parse_panel


def rows_of(panel: Panel) -> list[tuple[Any, ...]]:
    """Every row as (name, amount, unit, dv, dagger, forms, blend, components)."""
    out = []
    for r in panel.rows:
        d = r.to_dict()
        out.append((d["name"], d["amount"], d["unit"], d["dv_percent"], d["dagger"], d["forms"], d["blend"], d["components"]))
    return out


def strict(text: str) -> Panel:
    """parse_text without the never-raise safety net, so a bug fails the test."""
    return _parse_panel(OcrPage.from_text(text))


PANELS: list[tuple[str, str, dict[str, Any]]] = [
    ("threonate-fda-style", """
BrainMag Pro
Supplement Facts
Serving Size 3 Capsules
Servings Per Container 30
Amount Per Serving   % Daily Value
Magnesium (as magnesium L-threonate)   144 mg   34%
Magnesium L-Threonate (Magtein®)   2,000 mg   †
† Daily Value not established.

Other ingredients: hypromellose (capsule), microcrystalline cellulose,
magnesium stearate, silicon dioxide.

Suggested use: Take 3 capsules daily.
""", dict(serving_size="3 Capsules", servings_per_container=30, servings_per_day=1.0, footnote=True,
          rows=[("Magnesium", 144, "mg", 34, False, ["magnesium L-threonate"], False, []),
                ("Magnesium L-Threonate", 2000, "mg", None, True, ["Magtein"], False, [])],
          other=["hypromellose (capsule)", "microcrystalline cellulose", "magnesium stearate", "silicon dioxide"])),

    ("threonate-providing-inline", """
Supplement Facts
Serving Size: 3 Veggie Caps
Servings Per Container: About 30
Amount Per Serving %DV
Magnesium L-Threonate 2,000 mg † (providing 144 mg elemental magnesium)
†Daily Value not established.
Other Ingredients: Vegetable cellulose (capsule), rice flour.
Directions: Adults take 3 capsules daily with food.
""", dict(serving_size="3 Veggie Caps", servings_per_container=30, servings_per_day=1.0, footnote=True,
          rows=[("Magnesium L-Threonate", 2000, "mg", None, True, [], False, []),
                ("Magnesium", 144, "mg", None, False, ["Magnesium L-Threonate"], False, [])],
          other=["Vegetable cellulose (capsule)", "rice flour"])),

    ("threonate-providing-next-line", """
Supplement Facts
Serving Size 2 Capsules
Servings Per Container 45
Amount Per Serving % Daily Value
Magnesium L-Threonate 1,500 mg †
providing 108 mg of elemental magnesium
† Daily Value not established.
Suggested Use: Take 1 capsule in the morning and 1 capsule before bed.
""", dict(serving_size="2 Capsules", servings_per_container=45, servings_per_day=1.0,
          rows=[("Magnesium L-Threonate", 1500, "mg", None, True, [], False, []),
                ("Magnesium", 108, "mg", None, False, ["Magnesium L-Threonate"], False, [])])),

    ("threonate-yielding", """
SUPPLEMENT FACTS
Serving Size 4 Capsules   Servings Per Container 22
Amount Per Serving   % Daily Value
Magtein® Magnesium L-Threonate   2,000 mg   †
yielding 144 mg magnesium
†Daily Value not established.
Take 2 capsules twice daily.
""", dict(serving_size="4 Capsules", servings_per_container=22, servings_per_day=1.0,
          rows=[("Magtein Magnesium L-Threonate", 2000, "mg", None, True, [], False, []),
                ("Magnesium", 144, "mg", None, False, ["Magtein Magnesium L-Threonate"], False, [])])),

    ("threonate-two-column-magnesium-dv", """
Supplement Facts
Serving Size 3 Capsules
Servings Per Container 30
Amount Per Serving % Daily Value
Magnesium (as Magtein® magnesium L-threonate) 144 mg 34%
L-Theanine 100 mg †
Vitamin D3 (as cholecalciferol) 25 mcg 125%
† Daily Value not established.
Suggested use: Take 1 capsule in the morning and 2 capsules before bed.
""", dict(servings_per_day=1.0,
          rows=[("Magnesium", 144, "mg", 34, False, ["Magtein magnesium L-threonate"], False, []),
                ("L-Theanine", 100, "mg", None, True, [], False, []),
                ("Vitamin D3", 25, "mcg", 125, False, ["cholecalciferol"], False, [])])),

    ("threonate-wrapped-name", """
Supplement Facts
Serving Size 3 Capsules
Servings Per Container 30
Amount Per Serving % Daily Value
Magnesium (as magnesium L-
threonate) 144 mg 34%
Magnesium L-Threonate (Magtein®)
2,000 mg †
† Daily Value not established.
""", dict(rows=[("Magnesium", 144, "mg", 34, False, ["magnesium L-threonate"], False, []),
                ("Magnesium L-Threonate", 2000, "mg", None, True, ["Magtein"], False, [])])),

    ("threonate-ocr-damaged", """
Supplernent Facts
Servinq Size 3 Capsules
Servings Per Contalner 3O
Amount Per Serving % Daily Value
Magnesium (as magnesium L-threonate) l44 rng 349
Magnesium L-Threonate 2,0O0 mg t
t Daily Value not established.
Suggested use: Take three (3) capsules daily.
""", dict(serving_size="3 Capsules", servings_per_container=30, servings_per_day=1.0, footnote=True,
          rows=[("Magnesium", 144, "mg", 34, False, ["magnesium L-threonate"], False, []),
                ("Magnesium L-Threonate", 2000, "mg", None, True, [], False, [])])),

    ("threonate-ocr-lost-spaces", """
Supplement Facts
Serving Size 3 Capsules
Servings Per Container 30
Amount Per Serving % Daily Value
Magnesium144mg 34%
Magnesium L-Threonate 2.000 mg*
Zinc (as zinc picolinate) 5 mq 45
*Daily Value not established.
""", dict(rows=[("Magnesium", 144, "mg", 34, False, [], False, []),
                ("Magnesium L-Threonate", 2000, "mg", None, True, [], False, []),
                ("Zinc", 5, "mg", 45, False, ["zinc picolinate"], False, [])])),

    ("threonate-split-thousands", """
Supplement Facts
Serving Size 2 Capsules
Servings Per Container 30
Amount Per Serving % Daily Value
Magnesium L-Threonate 1 ,500 mg †
(providing 108 mg elemental magnesium)
† Daily Value not established.
""", dict(rows=[("Magnesium L-Threonate", 1500, "mg", None, True, [], False, []),
                ("Magnesium", 108, "mg", None, False, ["Magnesium L-Threonate"], False, [])])),

    ("cognitive-matrix-blend", """
NOOTROPIC BRAIN
Supplement Facts
Serving Size 3 Capsules
Servings Per Container 30
Amount Per Serving % Daily Value
Cognitive Matrix 2,100 mg †
Magnesium L-Threonate, Bacopa monnieri extract,
Lion's Mane mushroom, L-Theanine
† Daily Value not established.
Other ingredients: gelatin (capsule), rice flour.
""", dict(rows=[("Cognitive Matrix", 2100, "mg", None, True, [], True,
                 ["Magnesium L-Threonate", "Bacopa monnieri extract", "Lion's Mane mushroom", "L-Theanine"])],
          other=["gelatin (capsule)", "rice flour"])),

    ("neurocalm-complex", """
Supplement Facts
Serving Size 2 Capsules
Servings Per Container 60
Amount Per Serving % Daily Value
Vitamin B6 (as pyridoxal 5'-phosphate) 10 mg 588%
Magnesium (as magnesium glycinate) 100 mg 24%
NeuroCalm™ Complex 750 mg†
GABA, L-theanine, lemon balm extract
† Daily Value not established.
""", dict(rows=[("Vitamin B6", 10, "mg", 588, False, ["pyridoxal 5'-phosphate"], False, []),
                ("Magnesium", 100, "mg", 24, False, ["magnesium glycinate"], False, []),
                ("NeuroCalm Complex", 750, "mg", None, True, [], True, ["GABA", "L-theanine", "lemon balm extract"])])),

    ("brain-formula-parentheses", """
Supplement Facts
Serving Size 2 Capsules
Amount Per Serving % Daily Value
Brain Formula (magnesium L-threonate, L-theanine) 1,000 mg †
† Daily Value not established.
""", dict(rows=[("Brain Formula", 1000, "mg", None, True, [], True, ["magnesium L-threonate", "L-theanine"])])),

    ("proprietary-blend-colon", """
Supplement Facts
Serving Size 1 Scoop (5 g)
Servings Per Container 30
Amount Per Serving % Daily Value
Calories 10
Proprietary Blend: L-Theanine, GABA, Chamomile extract 450 mg †
Vitamin C (as ascorbic acid) 60 mg 67%
† Daily Value not established.
Directions: Mix 1 scoop in 8 oz of water daily.
""", dict(serving_size="1 Scoop (5 g)", servings_per_container=30, servings_per_day=1.0,
          rows=[("Proprietary Blend", 450, "mg", None, True, [], True, ["L-Theanine", "GABA", "Chamomile extract"]),
                ("Vitamin C", 60, "mg", 67, False, ["ascorbic acid"], False, [])])),

    ("proprietary-blend-components-below-wrapped", """
Supplement Facts
Serving Size 2 Tablets
Servings Per Container 30
Amount Per Serving % Daily Value
Relaxation Proprietary Blend 600 mg †
Ashwagandha root extract, Passionflower,
Valerian root, Magnesium L-Threonate
Melatonin 3 mg †
† Daily Value not established.
Suggested use: Take 2 tablets before bed.
""", dict(servings_per_day=1.0,
          rows=[("Relaxation Proprietary Blend", 600, "mg", None, True, [], True,
                 ["Ashwagandha root extract", "Passionflower", "Valerian root", "Magnesium L-Threonate"]),
                ("Melatonin", 3, "mg", None, True, [], False, [])])),

    ("formula-in-form-not-blend", """
Supplement Facts
Serving Size 1 Softgel
Amount Per Serving % Daily Value
Vitamin D3 (as cholecalciferol, Formula D™) 50 mcg 250%
Vitamin K2 (as menaquinone-7) 100 mcg 83%
Other ingredients: olive oil, softgel (gelatin, glycerin, water).
""", dict(rows=[("Vitamin D3", 50, "mcg", 250, False, ["cholecalciferol", "Formula D"], False, []),
                ("Vitamin K2", 100, "mcg", 83, False, ["menaquinone-7"], False, [])],
          other=["olive oil", "softgel (gelatin, glycerin, water)"])),

    ("vitamin-d3-mcg-and-iu", """
SunVital D3
Supplement Facts
Serving Size 1 Softgel
Servings Per Container 120
Amount Per Serving % Daily Value
Vitamin D3 (as cholecalciferol) 125 mcg (5,000 IU) 625%
Other ingredients: extra virgin olive oil, gelatin, glycerin.
Suggested use: Take 1 softgel daily with a meal.
""", dict(servings_per_container=120, servings_per_day=1.0,
          rows=[("Vitamin D3", 125, "mcg", 625, False, ["cholecalciferol"], False, [])])),

    ("vitamin-d3-iu-only", """
Supplement Facts
Serving Size 1 Tablet
Servings Per Container 100
Amount Per Serving %DV
Vitamin D (as D3 cholecalciferol) 2,000 IU 250%
Calcium (as calcium carbonate) 200 mg 15%
Other Ingredients: Cellulose, croscarmellose sodium.
Directions: Take one tablet daily.
""", dict(servings_per_day=1.0,
          rows=[("Vitamin D", 2000, "IU", 250, False, ["D3 cholecalciferol"], False, []),
                ("Calcium", 200, "mg", 15, False, ["calcium carbonate"], False, [])])),

    ("multivitamin", """
Daily Multi
Supplement Facts
Serving Size 2 Tablets
Servings Per Container 60
Amount Per Serving % Daily Value
Vitamin A (as retinyl palmitate and 50% as beta-carotene) 900 mcg 100%
Vitamin C (as ascorbic acid) 90 mg 100%
Vitamin D3 (as cholecalciferol) 20 mcg 100%
Vitamin E (as d-alpha tocopheryl succinate) 15 mg 100%
Thiamin (as thiamin mononitrate) 1.2 mg 100%
Folate (as L-5-methyltetrahydrofolate) 400 mcg DFE 100%
Vitamin B12 (as methylcobalamin) 500 mcg 20,833%
Biotin 30 mcg 100%
Zinc (as zinc citrate) 11 mg 100%
Selenium (as selenomethionine) 55 mcg 100%
Copper (as copper glycinate) 0.9 mg 100%
Boron (as boron citrate) 1 mg †
† Daily Value not established.
Other ingredients: microcrystalline cellulose, stearic acid, silica.
Directions: Take 2 tablets daily with food.
""", dict(servings_per_day=1.0, footnote=True,
          rows=[("Vitamin A", 900, "mcg", 100, False, ["retinyl palmitate and 50% as beta-carotene"], False, []),
                ("Vitamin C", 90, "mg", 100, False, ["ascorbic acid"], False, []),
                ("Vitamin D3", 20, "mcg", 100, False, ["cholecalciferol"], False, []),
                ("Vitamin E", 15, "mg", 100, False, ["d-alpha tocopheryl succinate"], False, []),
                ("Thiamin", 1.2, "mg", 100, False, ["thiamin mononitrate"], False, []),
                ("Folate", 400, "mcg", 100, False, ["L-5-methyltetrahydrofolate"], False, []),
                ("Vitamin B12", 500, "mcg", 20833, False, ["methylcobalamin"], False, []),
                ("Biotin", 30, "mcg", 100, False, [], False, []),
                ("Zinc", 11, "mg", 100, False, ["zinc citrate"], False, []),
                ("Selenium", 55, "mcg", 100, False, ["selenomethionine"], False, []),
                ("Copper", 0.9, "mg", 100, False, ["copper glycinate"], False, []),
                ("Boron", 1, "mg", None, True, ["boron citrate"], False, [])])),

    ("fish-oil", """
Omega Pure
Supplement Facts
Serving Size 2 Softgels
Servings Per Container 60
Amount Per Serving % Daily Value
Calories 20
Total Fat 2 g 3%*
Fish Oil Concentrate 2,000 mg †
Total Omega-3 Fatty Acids 1,280 mg †
EPA (Eicosapentaenoic Acid) 700 mg †
DHA (Docosahexaenoic Acid) 480 mg †
*Percent Daily Values are based on a 2,000 calorie diet.
† Daily Value not established.
Other ingredients: gelatin, glycerin, purified water, natural lemon flavor.
Suggested use: Take 2 softgels daily with food.
""", dict(servings_per_container=60, servings_per_day=1.0, footnote=True,
          rows=[("Total Fat", 2, "g", 3, False, [], False, []),
                ("Fish Oil Concentrate", 2000, "mg", None, True, [], False, []),
                ("Total Omega-3 Fatty Acids", 1280, "mg", None, True, [], False, []),
                ("EPA", 700, "mg", None, True, ["Eicosapentaenoic Acid"], False, []),
                ("DHA", 480, "mg", None, True, ["Docosahexaenoic Acid"], False, [])],
          other=["gelatin", "glycerin", "purified water", "natural lemon flavor"])),

    ("fish-oil-ocr-9-for-g", """
Supplement Facts
Serving Size 2 Softgels
Amount Per Serving % Daily Value
Total Fat 2 9 3%
Fish Oil 2,000 rng t
""", dict(rows=[("Total Fat", 2, "g", 3, False, [], False, []),
                ("Fish Oil", 2000, "mg", None, True, [], False, [])])),

    ("magnesium-glycinate-tablets", """
Supplement Facts
Serving Size 2 Tablets
Servings Per Container 90
Amount Per Serving % Daily Value
Magnesium (as magnesium bisglycinate chelate) 200 mg 48%
Other ingredients: microcrystalline cellulose, hydroxypropyl methylcellulose,
vegetable stearic acid, silica, vegetable magnesium stearate.
Suggested use: Take 2 tablets twice daily.
""", dict(servings_per_container=90, servings_per_day=2.0,
          rows=[("Magnesium", 200, "mg", 48, False, ["magnesium bisglycinate chelate"], False, [])],
          other=["microcrystalline cellulose", "hydroxypropyl methylcellulose", "vegetable stearic acid",
                 "silica", "vegetable magnesium stearate"])),

    ("threonate-capsules-twice-daily", """
Supplement Facts
Serving Size 2 Capsules
Servings Per Container 45
Amount Per Serving % Daily Value
Magnesium (from magnesium L-threonate) 96 mg 23%
Magnesium L-Threonate 1,335 mg †
† Daily Value not established.
Suggested use: Take two (2) capsules twice daily.
""", dict(servings_per_day=2.0,
          rows=[("Magnesium", 96, "mg", 23, False, ["magnesium L-threonate"], False, []),
                ("Magnesium L-Threonate", 1335, "mg", None, True, [], False, [])])),

    ("gummies", """
Supplement Facts
Serving Size 2 Gummies
Servings Per Container 30
Amount Per Serving % Daily Value
Calories 15
Total Carbohydrate 4 g 1%*
Total Sugars 3 g
Includes 3 g Added Sugars 6%
Zinc (as zinc citrate) 5 mg 45%
Elderberry fruit extract 100 mg †
*Percent Daily Values are based on a 2,000 calorie diet.
Directions: Adults chew 2 gummies daily.
""", dict(servings_per_day=1.0,
          rows=[("Total Carbohydrate", 4, "g", 1, False, [], False, []),
                ("Total Sugars", 3, "g", None, False, [], False, []),
                ("Added Sugars", 3, "g", 6, False, [], False, []),
                ("Zinc", 5, "mg", 45, False, ["zinc citrate"], False, []),
                ("Elderberry fruit extract", 100, "mg", None, True, [], False, [])])),

    ("less-than-one-percent", """
Supplement Facts
Serving Size 1 Capsule
Amount Per Serving % Daily Value
Magnesium (as magnesium L-threonate) 2 mg <1%
""", dict(rows=[("Magnesium", 2, "mg", 1, False, ["magnesium L-threonate"], False, [])])),

    ("dv-without-percent-implausible", """
Supplement Facts
Serving Size 1 Capsule
Amount Per Serving % Daily Value
Ashwagandha root extract 600 mg 349
Magnesium 144 mg 90
""", dict(rows=[("Ashwagandha root extract", 600, "mg", None, False, [], False, []),
                ("Magnesium", 144, "mg", None, False, [], False, [])])),

    ("no-title-header-only", """
Serving Size 3 Capsules
Servings Per Container 30
Amount Per Serving % Daily Value
Magnesium (as magnesium L-threonate) 144 mg 34%
""", dict(serving_size="3 Capsules", servings_per_container=30, title=False,
          rows=[("Magnesium", 144, "mg", 34, False, ["magnesium L-threonate"], False, [])])),

    ("front-label-above-and-directions-first", """
NeuroMag
Magnesium L-Threonate for Cognitive Support*
Directions: Take 1 capsule in the morning and 2 capsules before bed.
90 Vegetarian Capsules
Supplement Facts
Serving Size 3 Vegetarian Capsules
Servings Per Container 30
Amount Per Serving % Daily Value
Magnesium (as Magtein® magnesium L-threonate) 144 mg 34%
Magnesium L-Threonate 2,000 mg †
† Daily Value not established.
""", dict(serving_size="3 Vegetarian Capsules", servings_per_day=1.0,
          rows=[("Magnesium", 144, "mg", 34, False, ["Magtein magnesium L-threonate"], False, []),
                ("Magnesium L-Threonate", 2000, "mg", None, True, [], False, [])])),

    ("probiotic-billion-cfu-and-mcg", """
Supplement Facts
Serving Size 1 Capsule
Servings Per Container 60
Amount Per Serving %DV
Folate 680 mcg DFE (400 mcg folic acid) 170%
Vitamin B12 (as cyanocobalamin) 6 mcg 250%
Iron (as ferrous bisglycinate) 18 mg 100%
Iodine (from potassium iodide) 150 mcg 100%
Other ingredients: hypromellose.
Suggested use: Take 1 capsule daily.
""", dict(servings_per_container=60, servings_per_day=1.0,
          rows=[("Folate", 680, "mcg", 170, False, [], False, []),
                ("Vitamin B12", 6, "mcg", 250, False, ["cyanocobalamin"], False, []),
                ("Iron", 18, "mg", 100, False, ["ferrous bisglycinate"], False, []),
                ("Iodine", 150, "mcg", 100, False, ["potassium iodide"], False, [])],
          other=["hypromellose"])),

    ("unreadable-directions", """
Supplement Facts
Serving Size 1 Capsule
Amount Per Serving % Daily Value
Ashwagandha 600 mg †
Suggested use: Take 1 capsule with each meal.
""", dict(servings_per_day=None, directions=True,
          rows=[("Ashwagandha", 600, "mg", None, True, [], False, [])])),

    ("mcg-ocr-and-mu", """
Supplement Facts
Serving Size 1 Tablet
Amount Per Serving % Daily Value
Vitamin K2 (as MK-7) 100 mcq 83%
Vitamin D3 25 µg 125%
Selenium 55 ug 100%
""", dict(rows=[("Vitamin K2", 100, "mcg", 83, False, ["MK-7"], False, []),
                ("Vitamin D3", 25, "mcg", 125, False, [], False, []),
                ("Selenium", 55, "mcg", 100, False, [], False, [])])),
    ("ocr-percent-as-degree-o-and-blend-misread", """
Supp1ement Facts
Serving Size 2 Capsu1es
Servings Per Container: 6O
Amount Per Serving °/o Daily Value
Magnesium (as magnesium L-threonate} 96 rng 23°/o
Magnesium L-Threonate l,335 mg +
Proprietary Biend 500 mg f
L-theanine, GABA
t Daily Value not established.
Other lngredients: hypromellose (capsule),
rice flour
Warning: Keep out of reach of children.
""", dict(serving_size="2 Capsu1es", servings_per_container=60, servings_per_day=None, footnote=True,
          rows=[("Magnesium", 96, "mg", 23, False, ["magnesium L-threonate"], False, []),
                ("Magnesium L-Threonate", 1335, "mg", None, True, [], False, []),
                ("Proprietary Biend", 500, "mg", None, True, [], True, ["L-theanine", "GABA"])],
          other=["hypromellose (capsule)", "rice flour"])),

    ("providing-line-with-its-own-dv", """
Supplement Facts
Serving Size 1 Capsule   Servings Per Container 60
Amount Per Serving                                  % DV
Magnesium L-Threonate (as Magtein®)       667 mg     †
  providing 48 mg of elemental magnesium             11%
Vitamin B6 (as P-5-P) 5 mg 294%
† Daily Value not established
Other ingredients: Hypromellose, Magnesium Stearate, Silicon Dioxide
Take 1 capsule 3 times daily.
""", dict(serving_size="1 Capsule", servings_per_container=60, servings_per_day=3.0, footnote=True,
          rows=[("Magnesium L-Threonate", 667, "mg", None, True, ["Magtein"], False, []),
                ("Magnesium", 48, "mg", 11, False, ["Magnesium L-Threonate"], False, []),
                ("Vitamin B6", 5, "mg", 294, False, ["P-5-P"], False, [])],
          other=["Hypromellose", "Magnesium Stearate", "Silicon Dioxide"])),

    # A narrow panel: names wrapped over two or three lines with the amount on the last one.
    ("narrow-names-wrapped-above-their-amounts", """
Supplement Facts
Serving Size 4 Capsules
Amount Per Serving   % Daily Value
Elemental Magnesium
(as Magnesium
L-Threonate)   162 mg   39%
Magnesium
L-Threonate   2,000 mg   †
Vitamin B6 (as
pyridoxal-5-phosphate)   2 mg   118%
† Daily Value not established.
""", dict(rows=[("Elemental Magnesium", 162, "mg", 39, False, ["Magnesium L-Threonate"], False, []),
                ("Magnesium L-Threonate", 2000, "mg", None, True, [], False, []),
                ("Vitamin B6", 2, "mg", 118, False, ["pyridoxal-5-phosphate"], False, [])])),

    # The source's weight inside the name ("from 2,000 mg") is not the row's amount; a line may even
    # wrap between an amount's number and its unit.
    ("source-weight-in-the-name", """
Supplement Facts
Serving Size 3 Capsules
Amount Per Serving   % Daily Value
Magnesium (from 2,000 mg
Magnesium L-Threonate) 163
mg   39%
Zinc (as zinc picolinate) 10
mg   91%
""", dict(rows=[("Magnesium", 163, "mg", 39, False, ["2,000 mg Magnesium L-Threonate"], False, []),
                ("Zinc", 10, "mg", 91, False, ["zinc picolinate"], False, [])])),

    # Dot leaders between names and amounts, as OCR reads them (dots run together into letters).
    ("dot-leaders", """
Supplement Facts
Serving Size 3 Capsules
Amount Per Serving   % Daily Value
Magnesium ...............ccc0s 156 mg 37%
Magnesium (as
| Magtein®) ........148 mg 35% |
Magnesium L-Threonate .... 2,000 mg †
Magnesium (as magnesium
glycinate) ...............00005 200 mg 48%
Vitamin K2 ........0.5 mg
Vitamin B6 ..2mg 118%
""", dict(rows=[("Magnesium", 156, "mg", 37, False, [], False, []),
                ("Magnesium", 148, "mg", 35, False, ["Magtein"], False, []),
                ("Magnesium L-Threonate", 2000, "mg", None, True, [], False, []),
                ("Magnesium", 200, "mg", 48, False, ["magnesium glycinate"], False, []),
                ("Vitamin K2", 0.5, "mg", None, False, [], False, []),
                ("Vitamin B6", 2, "mg", 118, False, [], False, [])])),

    # The source's weight wrapped onto a line of its own; leaders read as dots and letters.
    ("source-weight-on-its-own-line", """
Supplement Facts
Serving Size 3 Capsules
Amount Per Serving   % Daily Value
Magnesium (from
2,000 mg Magnesium
L-Threonate)   155 mg   37%
Elemental Magnesium (as Magnesium
L-Threonate) ............0+s0scsscocussessseess 149 mg 35%
Vitamin K2 ........0.5 mg
""", dict(rows=[("Magnesium", 155, "mg", 37, False, ["2,000 mg Magnesium L-Threonate"], False, []),
                ("Elemental Magnesium", 149, "mg", 35, False, ["Magnesium L-Threonate"], False, []),
                ("Vitamin K2", 0.5, "mg", None, False, [], False, [])])),

    # Without a column header (misread here), the table starts at the first amount; a name left open on the
    # line above it ("Magnesium (as") is that row's start, not a head line.
    ("open-name-before-the-first-amount", """
Supplement Facts
Serving Size 3 Capsules
Amoua Per Servog
Magnesium (as
magnesium L-threonate) 163 mg
Taurine 50 mg
""", dict(rows=[("Magnesium", 163, "mg", None, False, ["magnesium L-threonate"], False, []),
                ("Taurine", 50, "mg", None, False, [], False, [])])),

    # A %DV alone on its line between a wrapped name's two lines, its amount on the second line.
    ("percent-between-the-lines-of-a-wrapped-name", """
Supplement Facts
Serving Size 3 Capsules
Amount Per Serving
Magnesium (as magnesium
60%
citrate) 250 mg
Zinc (as zinc
91%
picolinate) 10 mg
Vitamin B6 (as pyridoxal-5-phosphate)
118%
2 mg
L-Theanine 100 mg
""", dict(rows=[("Magnesium", 250, "mg", 60, False, ["magnesium citrate"], False, []),
                ("Zinc", 10, "mg", 91, False, ["zinc picolinate"], False, []),
                ("Vitamin B6", 2, "mg", 118, False, ["pyridoxal-5-phosphate"], False, []),
                ("L-Theanine", 100, "mg", None, False, [], False, [])])),

    # A salt's second word after a table rule read as "|" still continues the name above it.
    ("rule-bar-before-a-wrapped-salt", """
Supplement Facts
Serving Size 3 Capsules
Amount Per Serving
Magnesium 151 mg 36%
Magnesium
| L-Threonate 2,000 mg † |
""", dict(rows=[("Magnesium", 151, "mg", 36, False, [], False, []),
                ("Magnesium L-Threonate", 2000, "mg", None, True, [], False, [])])),

    # ... and so does one whose hyphen the OCR lost ("LThreonate").
    ("hyphen-lost-in-a-wrapped-salt", """
Supplement Facts
Serving Size 3 Capsules
Amount Per Serving   % Daily Value
Magnesium........... 146 mg 35%
Magnesium
LThreonate........ 2,000 mg †
""", dict(rows=[("Magnesium", 146, "mg", 35, False, [], False, []),
                ("Magnesium LThreonate", 2000, "mg", None, True, [], False, [])])),

    # A row whose amount was lost is not joined to the next row (it would lend it the next row's amount).
    ("lost-amount-not-joined-to-the-next-row", """
Supplement Facts
Serving Size 3 Capsules
Amount Per Serving   % Daily Value
Magnesium (as magnesium L-threonate)
Vitamin D3 (as cholecalciferol)   25 mcg   125%
Magnesium
Chloride   50 mg   2%
""", dict(rows=[("Vitamin D3", 25, "mcg", 125, False, ["cholecalciferol"], False, []),
                ("Chloride", 50, "mg", 2, False, [], False, [])])),

    ("table-rules-read-as-bars", """
| Supplement Facts |
| Serving Size 2 Softgels |
| Amount Per Serving % Daily Value |
| Vitamin E (as d-alpha tocopherol) 15 mg 100% |
| CoQ10 (as ubiquinol) 100 mg † |
""", dict(serving_size="2 Softgels",
          rows=[("Vitamin E", 15, "mg", 100, False, ["d-alpha tocopherol"], False, []),
                ("CoQ10", 100, "mg", None, True, ["ubiquinol"], False, [])])),
]


@pytest.mark.parametrize("name,text,expected", PANELS, ids=[p[0] for p in PANELS])
def test_panel(name: str, text: str, expected: dict[str, Any]) -> None:
    panel = strict(text)
    assert panel.found
    assert rows_of(panel) == expected["rows"]
    for key in ("serving_size", "servings_per_container", "servings_per_day"):
        if key in expected:
            assert getattr(panel, key) == expected[key], key
    if "other" in expected:
        assert panel.other_ingredients == expected["other"]
        assert panel.other_ingredients_evidence is not None
    if expected.get("footnote"):
        assert panel.dagger_footnote is not None and "established" in panel.dagger_footnote.text
    if "title" in expected:
        assert (panel.title is not None) == expected["title"]
    if expected.get("directions"):
        assert panel.directions is not None
    assert panel == parse_text(text)


def test_panel_count() -> None:
    assert len(PANELS) >= 25


def test_vocabulary_loads_with_every_list() -> None:
    from labelscan.parse.vocabulary import reference_for, vocabulary

    vocab = vocabulary()
    assert vocab.title == ["supplement facts"]
    assert vocab.units["rng"] == "mg" and vocab.units["mcq"] == "mcg" and vocab.units["iu"] == "IU"
    assert {"blend", "complex", "matrix", "formula"} <= set(vocab.blend_keywords)
    assert vocab.dosage_units["veggie caps"] == "capsule"
    assert reference_for("Magnesium") is not None and reference_for("Magnesium L-Threonate") is None
    assert reference_for("Vitamin D3") is not None


def test_not_a_panel() -> None:
    for text in ["", "NeuroMag\nMagnesium L-Threonate 2,000 mg\n90 capsules", "Facts about supplements"]:
        panel = strict(text)
        assert panel.found is False and panel.rows == [] and panel.bbox is None


def test_row_evidence_of_joined_rows() -> None:
    panel = strict("Supplement Facts\nAmount Per Serving % Daily Value\nMagnesium (as magnesium L-\nthreonate) 144 mg 34%")
    row = panel.rows[0]
    assert row.evidence is not None
    assert row.evidence.text == "Magnesium (as magnesium L-threonate) 144 mg 34%"
    assert row.evidence.bbox == (0, 40, 260, 36)
    assert panel.title is not None and panel.title.text == "Supplement Facts"


@pytest.mark.parametrize("name,expected", [
    ("Proprietary Blend", True), ("Proprietary Biend", True), ("Cognitive Matrix", True), ("Cognitive Matrlx", True),
    ("NeuroCalm Complex", True), ("Brain Formula", True), ("Complete Multivitamin", False),
    ("Formulated Fish Oil", False), ("Magnesium L-Threonate", False), ("Other ingredients", False),
])
def test_blend_keywords(name: str, expected: bool) -> None:
    from labelscan.parse.blends import has_blend_keyword

    assert has_blend_keyword(name) is expected


def test_front_label_amount_above_header_is_not_a_row() -> None:
    panel = strict("Magnesium L-Threonate 2,000 mg\nServing Size 3 Capsules\nAmount Per Serving % Daily Value\n"
                   "Magnesium (as magnesium L-threonate) 144 mg 34%")
    assert [r.name for r in panel.rows] == ["Magnesium"]
    assert panel.serving_size == "3 Capsules"


def test_table_lines_keep_a_row_whose_unit_was_lost():
    from labelscan.parse.panel import parse_text

    panel = parse_text("Supplement Facts\nServing Size 3 Capsules\nAmount Per Serving % Daily Value\n"
                       "Magnesium (as magnesium L-threonate) 144 mg 34%\nCognitive Matrix 800 †\n"
                       "Lion's Mane (fruiting body), Bacopa monnieri extract\n† Daily Value not established.\n")
    assert [r.name for r in panel.rows] == ["Magnesium"]
    assert "Cognitive Matrix 800 †" in [line.text for line in panel.table_lines]


def test_without_column_headings_a_first_row_whose_name_wraps_past_its_amount_starts_the_table():
    from labelscan.parse.panel import parse_text

    panel = parse_text("Supplement Facts\nServing Size 1 Veggie Capsule\nServings Per Container 30\n"
                       "Magnesium (as magnesium 79mg\nL-threonate)\nVitamin C (as ascorbic acid) 60 mg\n")
    assert [(r.name, r.quantity.amount if r.quantity else None) for r in panel.rows] == [
        ("Magnesium", 79.0), ("Vitamin C", 60.0)]
    assert "magnesium L-threonate" in panel.rows[0].forms[0]


def test_a_blend_name_wrapped_before_its_blend_word_is_one_row_not_the_row_above():
    """"Sleep & Recovery" / "Formula  900 mg": a line that is only a blend's word and its amount ends the name
    above it; the name was taken as the rest of the magnesium row's (which then named no magnesium)."""
    panel = strict("Supplement Facts\nServing Size 4 Capsules\nAmount Per Serving % Daily Value\n"
                  "Magnesium (as\nmagnesium\nL-threonate) 151 mg\nSleep & Recovery\nFormula 900 mg\n"
                  "L-Theanine, Bacopa monnieri extract\n* Percent Daily Values are based on a 2,000 calorie diet.")
    assert [(r.name, r.quantity.amount if r.quantity else None, r.blend) for r in panel.rows] == [
        ("Magnesium", 151, False), ("Sleep & Recovery Formula", 900, True)]
    assert panel.rows[1].components == ["L-Theanine", "Bacopa monnieri extract"]


def test_a_source_weight_whose_unit_wrapped_leaves_the_row_open_for_its_own_amount():
    """"Magnesium" / "(from 1,500" / "mg" / "Magnesium" / "L-Threonate) 121mg 29%": the unit on its own line
    finishes the source's weight, not the row (which became a row without an amount, and the amount below
    a row named "Magnesium L-Threonate)")."""
    panel = strict("Supplement Facts\nServing Size 4 Capsules\nAmount Per Serving % Daily Value\n"
                   "Magnesium\n(from 1,500\nmg\nMagnesium\nL-Threonate) 121mg 29%\nTaurine 250 mg \u2020\n"
                   "* Percent Daily Values are based on a 2,000 calorie diet.")
    assert [(r.name, r.quantity.amount if r.quantity else None) for r in panel.rows] == [("Magnesium", 121),
                                                                                         ("Taurine", 250)]
    assert panel.rows[0].forms == ["1,500 mg Magnesium L-Threonate"] and panel.rows[0].dv_percent == 29


def test_a_table_rule_read_at_a_wrapped_lines_start_does_not_part_it_from_its_row():
    """The same row in a low-resolution photo, the panel's left rule read as a word "|" before each line
    (seed 25): "| (from 1,500" no longer began with its bracket, nor "| mg" with its unit, and the row was lost."""
    lines = ["Magnesium", "(from 1,500", "mg", "Magnesium", "L-Threonate) 121mg 29%", "Taurine 250 mg \u2020"]
    panel = strict("Supplement Facts\nServing Size 4 Capsules\nAmount Per Serving % Daily Value\n"
                   + "".join(f"| {line}\n" for line in lines) + "* Percent Daily Values are based on a 2,000 calorie diet.")
    assert [(r.name, r.quantity.amount if r.quantity else None) for r in panel.rows] == [("Magnesium", 121),
                                                                                         ("Taurine", 250)]
    assert panel.rows[0].forms == ["1,500 mg Magnesium L-Threonate"] and panel.rows[0].dv_percent == 29


_HEAD = "Supplement Facts\nServing Size 4 Capsules\nAmount Per Serving % Daily Value\n"
_REST = "Vitamin D3 (as cholecalciferol) 25 mcg 125%\nMagnesium L-Threonate 1,800 mg †\nApigenin 50 mg †\n"


@pytest.mark.parametrize(("other_row", "taken"), [
    ("Magnesium 133 mg 32%", True),     # the same line, read well in another view
    ("Magnesium 133 mg 45%", False),    # another %DV: not that line
    ("Zinc 10 mg 32%", False),          # another name
])
def test_a_line_the_best_reading_garbled_takes_the_row_another_view_read(other_row: str, taken: bool) -> None:
    """Seed 18 sideways photo: the panel read square-on had "Magnesium 133 mg 32%"; the reading with the most
    rows (binarised) had "Magnesium eS 32%", no row, and the amount check was unknown."""
    from labelscan.parse import parse_pages

    best = OcrPage.from_text(_HEAD + "Magnesium eS 32%\n" + _REST)
    other = OcrPage.from_text(_HEAD + other_row + "\nMagnesium L-Threonate\n")
    panel = parse_pages([best, other])
    magnesium = [(r.quantity.amount if r.quantity else None, r.evidence.page if r.evidence else None)
                 for r in panel.rows if r.name in ("Magnesium", "Zinc")]
    assert magnesium == ([(133.0, 1)] if taken else [])
    assert [r.name for r in panel.rows][-3:] == ["Vitamin D3", "Magnesium L-Threonate", "Apigenin"]
    assert any(line.text.startswith("Magnesium eS") for line in panel.table_lines) != taken


def test_a_page_kept_only_to_fill_garbled_lines_is_never_the_labels_panel() -> None:
    """The panel read again at another size (see `pipeline.read_panel_at_another_size`) may hold more rows than
    the best reading, some misread ("Magnesium (as magnesium L-threonate) 4 mg" for 146 mg on a seed-11 photo):
    it only fills the lines the best reading garbled, its other rows are not taken."""
    from labelscan.parse import parse_pages

    best = OcrPage.from_text(_HEAD + "Magnesium eS 32%\n" + "Vitamin D3 (as cholecalciferol) 25 mcg 125%\n")
    other = OcrPage.from_text(_HEAD + "Magnesium 133 mg 32%\nVitamin D3 (as cholecalciferol) 25 mcg 125%\n"
                              "Magnesium L-Threonate 1 mg †\nApigenin 50 mg †\n")
    assert len(parse_pages([best, other]).rows) == 4  # as an ordinary view, the other reading is the best
    other.fills_only = True
    panel = parse_pages([best, other])
    assert [(r.name, r.quantity.amount, r.evidence.page) for r in panel.rows] == [("Magnesium", 133.0, 1),
                                                                                  ("Vitamin D3", 25.0, 0)]


def test_a_piece_of_rule_read_alone_after_a_name_does_not_lose_the_panel():
    """A line that is only a piece of a table rule ("_"), read after a name still waiting for its amount (seed 38
    sideways photo): it left an empty name waiting, the next line's test of that name's last word raised, and
    the parser's guard dropped the whole page's panel ("the panel was found but its rows could not be read")."""
    panel = strict("Supplement Facts\nServing Size 3 Capsules\nAmount Per Serving\n"
                   "Magnesium (as magnesium L-threonate) 99 mg\nZinc (as zinc picolinate)\n_\n"
                   "Apigenin 50 mg \u2020\n\u2020 Daily Value not established.")
    assert [(r.name, r.quantity.amount) for r in panel.rows] == [("Magnesium", 99), ("Apigenin", 50)]


def test_a_unit_wrapped_from_a_number_read_glued_to_its_bracket_still_finishes_the_amount():
    """"Vitamin B6 (as pyridoxal-s-phosphate)2" / "mg 118%" (seed 38 photo): OCR lost the space before the
    number, so the line seemed to end in a word, the row had no amount and "mg 118%" was a line that could
    not be read as a row: the threonate check was 'unknown' on a label that names only magnesium oxide."""
    panel = strict("Supplement Facts\nServing Size 2 Capsules\nAmount Per Serving % Daily Value\n"
                   "Magnesium (as magnesium oxide) 400\nmg 95%\n"
                   "Vitamin BG (as pyridoxal-s-phosphate)2\nmg 118%\n"
                   "Lion's Mane Mushroom (fruiting body)\n500 mg \u2020\n\u2020 Daily Value not established.")
    assert [(r.name, r.quantity.amount if r.quantity else None, r.dv_percent) for r in panel.rows] == [
        ("Magnesium", 400, 95), ("Vitamin BG", 2, 118), ("Lion's Mane Mushroom", 500, None)]


def test_a_unit_wrapped_onto_its_own_line_with_a_comma_read_after_it_still_finishes_the_amount():
    """"Vitamin B6 (as pyridoxal-5-phosphate) 2" / "mg," (seed 29 photo): the comma is OCR noise after the unit;
    taken for a word, it lost the row's amount and began the next row's name ("mg, Zinc")."""
    panel = strict("Supplement Facts\nServing Size 3 Veggie Capsules\nAmount Per Serving\n"
                   "Magnesium (from 2,000 mg Magnesium\nL-Threonate) 159 mg\n"
                   "Vitamin B6 (as pyridoxal-5-phosphate) 2\nmg,\nZinc (as zinc picolinate) 10 mg\n"
                   "\u2020 Daily Value not established.")
    assert [(r.name, r.quantity.amount if r.quantity else None) for r in panel.rows] == [
        ("Magnesium", 159), ("Vitamin B6", 2), ("Zinc", 10)]


def test_a_parser_error_is_reported_as_a_warning_not_hidden(monkeypatch):
    """parse_panel never raises (OCR text is arbitrary), but a bug it swallows loses that reading's panel: the
    label's warnings say so, naming the error, so the poorer result is not taken for what the label says."""
    import labelscan.parse.panel as panel_module
    from labelscan.pipeline import parse_label

    page = OcrPage.from_text("Supplement Facts\nServing Size 1 Capsule\nMagnesium 144 mg 34%")
    assert not parse_label([page]).warnings

    def broken(page):
        raise IndexError("list index out of range")

    monkeypatch.setattr(panel_module, "_parse_panel", broken)
    label = parse_label([page])
    assert not label.panel.found
    assert label.panel.parse_failures == ["IndexError: list index out of range"]
    assert any("Internal error" in w and "IndexError" in w for w in label.warnings)


@pytest.mark.parametrize(("magnesium", "zinc"), [
    ("Magnesium (as magnesium L-threonate 148 mg 35%", "Zinc (as zinc picolinate) 10 mg 91%"),
    ("| Magnesium (as magnesium L-threonate 148 mg S%", "HE Zinc (as zinc picolinate) 10 m 91%"),  # seed 44
])
def test_a_source_whose_bracket_the_ocr_lost_ends_where_the_next_row_opens_its_own(magnesium: str, zinc: str) -> None:
    """A low-resolution photo (seed 44): the ")" of "(as magnesium L-threonate)" was lost, so the name stayed open
    after its amount, and every row below it was read into its source, up to the blend: no row had an amount
    ("the panel's rows could not be read"). A line that opens a bracket of its own is a row of its own; the open
    name ends where its amount columns begin (a %DV misread, "S%", is still one of them)."""
    text = "\n".join(["Supplement Facts", "Serving Size 4 Capsules", "Amount Per Serving % Daily Value", magnesium,
                      zinc, "Proprietary Blend 750 mg", "Bacopa monnieri extract, Ginkgo biloba leaf"])
    panel = _parse_panel(OcrPage.from_text(text))
    first = panel.rows[0]
    assert (first.name, first.forms, first.quantity.amount if first.quantity else None) == (
        "Magnesium", ["magnesium L-threonate"], 148.0)
    assert "Zinc" not in first.text and panel.blends and panel.blends[0].quantity.amount == 750.0
    wrapped = _parse_panel(OcrPage.from_text("\n".join(
        ["Supplement Facts", "Amount Per Serving % Daily Value", "Magnesium (as 146 mg 35%", "magnesium L-threonate)"])))
    assert [(r.name, r.forms, r.quantity.amount if r.quantity else None) for r in wrapped.rows] == [
        ("Magnesium", ["magnesium L-threonate"], 146.0)]  # a name wrapped past its amount still ends below it
    wrapped = _parse_panel(OcrPage.from_text("\n".join(["Supplement Facts", "Amount Per Serving % Daily Value",
                                                        "Magnesium (as 144 mg 34%",
                                                        "magnesium L-threonate (from 2,000 mg))"])))
    assert len(wrapped.rows) == 1 and "threonate" in " ".join(wrapped.rows[0].forms)  # lower case: the name goes on
