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
from .basics import (
    DvDeclaredParams,
    FieldPresentParams,
    FootnoteParams,
    TextPresentParams,
    dv_declared,
    field_present,
    footnote_for_dagger,
    text_present,
)
from .consistency import (
    DailyAmountParams,
    DvMatchesParams,
    FormAbsentParams,
    FormRatioParams,
    daily_amount_in_range,
    dv_matches,
    form_absent,
    form_ratio,
)
from .disclosures import BlendWeightParams, DisclaimerParams, blend_weight_declared, disclaimer_with_claims
from .outcome import CheckKind
from .seal_checks import SealPresentParams, seal_present

KINDS: dict[str, CheckKind] = {
    "ingredient-named": CheckKind(IngredientNamedParams, ingredient_named, "a panel row names the ingredient explicitly"),
    "nutrient-amount-stated": CheckKind(NutrientAmountParams, nutrient_amount_stated, "a row states the elemental nutrient per serving, plausibly"),
    "no-proprietary-blend": CheckKind(NoBlendParams, no_proprietary_blend, "no dose is hidden in a proprietary blend"),
    "seal-present": CheckKind(SealPresentParams, seal_present, "an accepted certification mark is on the label"),
    "form-ratio": CheckKind(FormRatioParams, form_ratio, "the elemental nutrient and its compound's weight fit the compound's share"),
    "dv-matches": CheckKind(DvMatchesParams, dv_matches, "the printed %DV matches the amount against the Daily Value"),
    "daily-amount-in-range": CheckKind(DailyAmountParams, daily_amount_in_range, "servings a day × compound per serving is within the recommended range"),
    "form-absent": CheckKind(FormAbsentParams, form_absent, "an unwanted form (e.g. magnesium oxide) is not among the ingredients"),
    "text-present": CheckKind(TextPresentParams, text_present, "a phrase (panel title, statement of identity) is printed on the label"),
    "field-present": CheckKind(FieldPresentParams, field_present, "the panel states a field: serving size, servings per container, other ingredients"),
    "dv-declared": CheckKind(DvDeclaredParams, dv_declared, "every nutrient that has a Daily Value shows its %DV"),
    "footnote-for-dagger": CheckKind(FootnoteParams, footnote_for_dagger, "a † in the panel has its \"Daily Value not established\" footnote"),
    "disclaimer-with-claims": CheckKind(DisclaimerParams, disclaimer_with_claims, "structure/function claims come with the FDA disclaimer"),
    "blend-weight-declared": CheckKind(BlendWeightParams, blend_weight_declared, "a proprietary blend declares its total weight"),
}
