"""Capture conditions applied to the rendered scan: name -> function(image, rng) -> image.

"scan" is the clean artwork (identity).  Photographic conditions (tilt, blur, glare,
bottle wrap, sideways, low resolution) plug in here later: add a function with the
same signature and register it in CONDITIONS; make_samples applies it to the scan
render and records its name (and any parameters it returns via `params`) in the JSON.
"""

from __future__ import annotations

import random
from typing import Callable

from PIL import Image

Condition = Callable[[Image.Image, random.Random], Image.Image]


def scan(image: Image.Image, rng: random.Random) -> Image.Image:
    return image


CONDITIONS: dict[str, Condition] = {
    "scan": scan,
}
