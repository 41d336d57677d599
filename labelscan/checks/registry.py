"""The registry of check kinds: kind name → parameter model and function. Packs only parameterise these."""

from __future__ import annotations

from .ingredients import (
    IngredientNamedParams,
    NoBlendParams,
    NutrientAmountParams,
    ingredient_named,
    no_proprietary_blend,
    nutrient_amount_stated,
)
from .outcome import CheckKind
from .seal_checks import SealPresentParams, seal_present

KINDS: dict[str, CheckKind] = {
    "ingredient-named": CheckKind(IngredientNamedParams, ingredient_named, "a panel row names the ingredient explicitly"),
    "nutrient-amount-stated": CheckKind(NutrientAmountParams, nutrient_amount_stated, "a row states the elemental nutrient per serving, plausibly"),
    "no-proprietary-blend": CheckKind(NoBlendParams, no_proprietary_blend, "no dose is hidden in a proprietary blend"),
    "seal-present": CheckKind(SealPresentParams, seal_present, "an accepted certification mark is on the label"),
}
