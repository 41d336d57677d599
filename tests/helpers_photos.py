"""A page turned into what a phone camera makes of it, for tests of the photo stages."""

from __future__ import annotations

import io

import cv2
import numpy as np
from PIL import Image


def phone_photo(image: Image.Image, tilt: float = 0.1, blur: float = 1.3, quality: int = 70) -> Image.Image:
    """The page as a phone sees it at an angle: perspective (the far side shrunk by `tilt`, the page
    foreshortened), defocus, sensor noise and JPEG."""
    w, h = image.size
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
    dst = np.float32([[w * tilt, h * tilt * 0.6], [w * (1 - tilt / 2), h * tilt * 0.2], [w, h * (1 - tilt / 4)],
                      [0, h]])
    warped = cv2.warpPerspective(np.asarray(image), cv2.getPerspectiveTransform(src, dst), (w, h),
                                 borderValue=(90, 90, 90))
    warped = cv2.GaussianBlur(warped, (0, 0), blur)
    noisy = warped.astype(np.float32) + np.random.default_rng(0).normal(0, 4, warped.shape)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(noisy, 0, 255).astype(np.uint8)).save(buffer, format="JPEG", quality=quality)
    return Image.open(io.BytesIO(buffer.getvalue())).convert("RGB")
