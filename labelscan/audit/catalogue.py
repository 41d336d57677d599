"""Read a catalogue (CSV, JSON Lines or a folder of images) into products, each with one or more images."""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import UnreadableInputError, UsageError

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".webp", ".tif", ".tiff", ".pdf", ".txt"}
REQUIRED = ("sku", "image")


@dataclass
class CatalogueRow:
    """One row: a product's sku and name, one image (path or URL), the other columns, and a problem if any."""

    sku: str
    name: str
    image: str
    """An absolute path, or an http(s) URL (any other URL scheme is kept as given and refused later)."""
    line: int
    extra: dict[str, str] = field(default_factory=dict)
    error: str | None = None

    @property
    def is_url(self) -> bool:
        return "://" in self.image


@dataclass
class Product:
    """All rows of one sku, in catalogue order (front, back, side…)."""

    sku: str
    name: str
    rows: list[CatalogueRow]
    position: int
    extra: dict[str, str] = field(default_factory=dict)


def _resolve(image: str, base: Path) -> str:
    if not image or "://" in image:
        return image
    path = Path(image).expanduser()
    return str(path if path.is_absolute() else (base / path).resolve())


def _row(raw: dict, line: int, base: Path, where: str) -> CatalogueRow:
    data = {str(k).strip().lower(): ("" if v is None else str(v).strip()) for k, v in raw.items() if k is not None}
    sku, image = data.pop("sku", ""), data.pop("image", "")
    name = data.pop("name", "")
    error = None
    if not sku:
        sku = f"(line {line})"
        error = f"{where} line {line} has no sku"
    elif not image:
        error = f"{where} line {line} (sku {sku}) has no image"
    elif "://" not in image and not Path(image).expanduser().is_absolute() and not Path(_resolve(image, base)).is_relative_to(base.resolve()):
        error = (f"{where} line {line} (sku {sku}): image path {image!r} leads outside the catalogue's folder; "
                 "give a path inside it, or an absolute path")
    return CatalogueRow(sku, name, _resolve(image, base), line, data, error)


def _read_csv(path: Path) -> list[CatalogueRow]:
    with path.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        fields = [f.strip().lower() for f in reader.fieldnames or []]
        missing = [c for c in REQUIRED if c not in fields]
        if missing:
            raise UsageError(f"{path} has no {' or '.join(missing)} column", "a catalogue needs columns sku, name, image")
        return [_row(raw, reader.line_num, path.parent, path.name) for raw in reader]


def _read_jsonl(path: Path) -> list[CatalogueRow]:
    rows = []
    with path.open(encoding="utf-8-sig") as fh:
        for line_no, text in enumerate(fh, start=1):
            if not text.strip():
                continue
            try:
                raw = json.loads(text)
                if not isinstance(raw, dict):
                    raise ValueError("not an object")
            except ValueError as exc:
                rows.append(CatalogueRow(f"(line {line_no})", "", "", line_no, {}, f"{path.name} line {line_no} is not a JSON object ({exc})"))
                continue
            rows.append(_row(raw, line_no, path.parent, path.name))
    return rows


def _read_folder(path: Path) -> list[CatalogueRow]:
    files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
    return [CatalogueRow(p.stem, p.stem, str(p.resolve()), i + 1) for i, p in enumerate(files)]


def read_rows(path: str | Path) -> list[CatalogueRow]:
    """Every row of the catalogue; a row without sku or image carries an error instead of failing the whole file."""
    path = Path(path)
    if path.is_dir():
        return _read_folder(path)
    if not path.is_file():
        raise UnreadableInputError(f"catalogue {path} does not exist", "give a CSV, a JSON Lines file or a folder of images")
    try:
        if path.suffix.lower() in (".jsonl", ".ndjson", ".json"):
            return _read_jsonl(path)
        return _read_csv(path)
    except UnicodeDecodeError:
        raise UnreadableInputError(f"catalogue {path} is not UTF-8 text", "a catalogue is a CSV or JSON Lines file, or a folder of images") from None
    except csv.Error as exc:
        raise UnreadableInputError(f"catalogue {path} is not a readable CSV ({exc})", "check its quoting and line endings") from None
    except OSError as exc:
        raise UnreadableInputError(f"cannot read catalogue {path} ({exc.strerror})", "check its permissions") from None


def group(rows: list[CatalogueRow]) -> list[Product]:
    """Rows grouped by sku, products in order of first appearance; the first non-empty name wins."""
    products: dict[str, Product] = {}
    for row in rows:
        product = products.get(row.sku)
        if product is None:
            product = products[row.sku] = Product(row.sku, row.name, [], len(products))
        product.rows.append(row)
        product.name = product.name or row.name
        for key, value in row.extra.items():
            product.extra.setdefault(key, value)
    return list(products.values())


def read_catalogue(path: str | Path) -> list[Product]:
    """The catalogue's products (rows of one sku are images of one product)."""
    return group(read_rows(path))
