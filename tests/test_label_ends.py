"""Both ends of a label wrapped round a bottle in view: then nothing of it is round the back."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from labelscan.vision.cylinder import fit_cylinder
from labelscan.vision.label_ends import both_ends_in_view

DATA = Path(__file__).parent / "data"


@pytest.mark.parametrize("name, in_view", [
    # the label wraps some 118 degrees of a bottle seen over 163: the dark bottle shows beyond both its ends
    ("bottle-label-ends-in-view.jpg", True),
    # the label wraps some 172 degrees of one seen over 138: it runs on past the outline on both sides
    ("bottle-label-wraps-past-outline.jpg", False),
])
def test_both_ends_of_a_label_are_seen_only_where_the_bottle_shows_beyond_them(name, in_view):
    photo = Image.open(DATA / name).convert("RGB")
    fit = fit_cylinder(photo)
    assert fit is not None and fit.print_box is not None
    assert both_ends_in_view(photo, fit) is in_view
