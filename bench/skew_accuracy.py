"""How far the deskew stage's angle is from the true angle of a photo's text lines. Prints figures; asserts nothing.

    python bench/skew_accuracy.py DIR [DIR ...]

Each DIR holds photos made by bench/independent_labels.py (set_photo or set_lowres: not turned sideways, not
wrapped round a bottle), whose NAME.json gives the homography that put the label (label pixels -> photo pixels)
into the photo and the panel's box on the label. In perspective a label's text lines fan out; the true angle is
taken where it matters most, at the panel's centre, and also at the point of the label under the photo's centre.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
from pathlib import Path

import cv2
import numpy as np
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from labelscan.vision.deskew import estimate_skew  # noqa: E402


def text_angle(homography: np.ndarray, x: float, y: float, step: float = 20.0) -> float:
    """Degrees counter-clockwise the photo must turn to make level a text line of the label through (x, y)."""
    ends = cv2.perspectiveTransform(np.float32([[[x - step, y], [x + step, y]]]), homography).reshape(2, 2)
    dx, dy = ends[1] - ends[0]
    return math.degrees(math.atan2(dy, dx))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dirs", nargs="+", type=Path)
    args = parser.parse_args()
    panel_errors, centre_errors = [], []
    for path in sorted(p for d in args.dirs for p in d.glob("*.jpg")):
        truth = json.loads(path.with_suffix(".json").read_text())
        if "homography" not in truth:
            continue
        homography = np.array(truth["homography"], dtype=np.float64)
        x0, y0, x1, y1 = truth["panel_box"]
        at_panel = text_angle(homography, (x0 + x1) / 2, (y0 + y1) / 2)
        image = Image.open(path)
        centre = cv2.perspectiveTransform(np.float32([[[image.width / 2, image.height / 2]]]),
                                          np.linalg.inv(homography)).reshape(2)
        at_centre = text_angle(homography, *centre)
        found = estimate_skew(image)
        panel_errors.append(abs(found - at_panel))
        centre_errors.append(abs(found - at_centre))
        print(f"{path.parent.name}/{path.name}: found {found:6.1f}  panel {at_panel:6.1f}  centre {at_centre:6.1f}",
              flush=True)
    if not panel_errors:
        sys.exit("no photo with a homography in its .json: make the set with bench/independent_labels.py")
    for name, errors in (("panel's centre", panel_errors), ("label under the photo's centre", centre_errors)):
        print(f"error against the text angle at the {name}: mean {statistics.mean(errors):.2f} deg, median "
              f"{statistics.median(errors):.2f}, over 2 deg {sum(e > 2 for e in errors)}, over 4 deg "
              f"{sum(e > 4 for e in errors)} of {len(errors)}")


if __name__ == "__main__":
    main()
