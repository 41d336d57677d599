"""The TrueType fonts the sample generator may use, found on this machine.

Families are described by file names under /usr/share/fonts/truetype; a family is
usable when its regular and bold faces exist.  Missing condensed / italic faces fall
back to the regular ones, and missing families are skipped, so the generator runs on
any machine with at least DejaVu Sans installed (Debian: fonts-dejavu-core).
"""

from __future__ import annotations

import glob
import os
from dataclasses import dataclass

FONT_ROOTS = ("/usr/share/fonts/truetype", "/usr/share/fonts/TTF", "/usr/share/fonts")

# name: (kind, regular, bold, italic, condensed, condensed bold) — file base names.
_FAMILIES: dict[str, tuple[str, str, str, str, str, str]] = {
    "dejavu-sans": ("sans", "DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "DejaVuSans-Oblique.ttf",
                    "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf"),
    "dejavu-sans-condensed": ("sans", "DejaVuSansCondensed.ttf", "DejaVuSansCondensed-Bold.ttf",
                              "DejaVuSansCondensed-Oblique.ttf", "DejaVuSansCondensed.ttf",
                              "DejaVuSansCondensed-Bold.ttf"),
    "dejavu-serif": ("serif", "DejaVuSerif.ttf", "DejaVuSerif-Bold.ttf", "DejaVuSerif-Italic.ttf",
                     "DejaVuSerifCondensed.ttf", "DejaVuSerifCondensed-Bold.ttf"),
    "liberation-sans": ("sans", "LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf",
                        "LiberationSans-Italic.ttf", "LiberationSansNarrow-Regular.ttf",
                        "LiberationSansNarrow-Bold.ttf"),
    "liberation-sans-narrow": ("sans", "LiberationSansNarrow-Regular.ttf", "LiberationSansNarrow-Bold.ttf",
                               "LiberationSansNarrow-Italic.ttf", "LiberationSansNarrow-Regular.ttf",
                               "LiberationSansNarrow-Bold.ttf"),
    "liberation-serif": ("serif", "LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf",
                         "LiberationSerif-Italic.ttf", "LiberationSerif-Regular.ttf",
                         "LiberationSerif-Bold.ttf"),
    "freesans": ("sans", "FreeSans.ttf", "FreeSansBold.ttf", "FreeSansOblique.ttf", "FreeSans.ttf",
                 "FreeSansBold.ttf"),
    "freeserif": ("serif", "FreeSerif.ttf", "FreeSerifBold.ttf", "FreeSerifItalic.ttf", "FreeSerif.ttf",
                  "FreeSerifBold.ttf"),
}


@dataclass(frozen=True)
class Family:
    name: str
    kind: str  # "sans" or "serif"
    regular: str
    bold: str
    italic: str
    condensed: str
    condensed_bold: str


def _index() -> dict[str, str]:
    found: dict[str, str] = {}
    for root in FONT_ROOTS:
        for path in sorted(glob.glob(os.path.join(root, "**", "*.ttf"), recursive=True)):
            found.setdefault(os.path.basename(path), path)
    return found


_CACHE: dict[str, Family] | None = None


def families() -> dict[str, Family]:
    """Usable families by name, in a fixed order (so a seed picks the same font everywhere)."""
    global _CACHE
    if _CACHE is None:
        files = _index()
        out: dict[str, Family] = {}
        for name, (kind, reg, bold, ital, cond, cbold) in _FAMILIES.items():
            if reg not in files or bold not in files:
                continue
            r, b = files[reg], files[bold]
            out[name] = Family(name, kind, r, b, files.get(ital, r), files.get(cond, r), files.get(cbold, b))
        if not out:
            raise SystemExit("no usable TrueType fonts found (install fonts-dejavu-core)")
        _CACHE = out
    return _CACHE


def sans_families() -> list[Family]:
    return [f for f in families().values() if f.kind == "sans"]


def all_families() -> list[Family]:
    return list(families().values())


if __name__ == "__main__":  # list what exists
    for fam in families().values():
        print(f"{fam.name:24} {fam.kind:5} {fam.regular}")
