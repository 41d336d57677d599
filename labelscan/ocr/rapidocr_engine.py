"""The optional rapidocr engine: RapidOCR (PP-OCRv4 on onnxruntime) with the models inside its wheel."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

from ..errors import MissingDependencyError, OcrError, UsageError
from ..model import OcrPage, Word

try:
    import rapidocr_onnxruntime
    from rapidocr_onnxruntime import RapidOCR
except ImportError:  # pragma: no cover - depends on the installation
    rapidocr_onnxruntime = None

INSTALL = "run `make rapid`, or: pip install -e '.[rapid]' && pip install --no-deps rapidocr-onnxruntime==1.4.4"
MODEL = "ppocrv4-ch+eng"
"""The wheel's models: PP-OCRv4 detection and Chinese+English recognition."""
ENV_THREADS = "LABELSCAN_RAPID_THREADS"
ENV_BLOCKS = "LABELSCAN_RAPID_BLOCKS"
MAX_SIDE = 4000
"""RapidOCR shrinks larger images (its default, 2000, would halve the text of a prepared full label)."""

_HALF_WIDTH: dict[int, int | str] = {0x3000: " ", **{c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}}
"""The Chinese+English model reads some punctuation as full-width forms ("（", "：", "％"): mapped to ASCII."""

_OCR: dict[int, tuple[object, threading.Lock]] = {}
_OCR_LOCK = threading.Lock()


def _version() -> str:
    try:
        from importlib.metadata import version

        return version("rapidocr-onnxruntime")
    except Exception:  # noqa: BLE001 - only a label
        return "?"


def _ocr(threads: int) -> tuple[object, threading.Lock]:
    """The process-wide RapidOCR (models loaded once); its lock serialises calls."""
    with _OCR_LOCK:
        if threads not in _OCR:
            try:
                # use_cls=False: no per-line 180° classifier. The pipeline turns the page upright before OCR, and
                # its orientation probe relies on upside-down text reading as nonsense (with the classifier an
                # upside-down page read as upright, its rows in reverse order)
                ocr = RapidOCR(intra_op_num_threads=threads, inter_op_num_threads=1, max_side_len=MAX_SIDE,
                               print_verbose=False, use_cls=False)
            except Exception as exc:  # noqa: BLE001 - a broken install: missing model, bad onnxruntime
                raise MissingDependencyError(f"RapidOCR could not load its models ({exc})", INSTALL) from None
            _OCR[threads] = (ocr, threading.Lock())
        return _OCR[threads]


@dataclass
class _Det:
    """One detected text line: its quad (tl, tr, br, bl), text and score."""

    quad: np.ndarray
    text: str
    score: float

    @property
    def box(self) -> tuple[float, float, float, float]:
        xs, ys = self.quad[:, 0], self.quad[:, 1]
        return float(xs.min()), float(ys.min()), float(xs.max()), float(ys.max())

    @property
    def height(self) -> float:
        return max(1.0, self.box[3] - self.box[1])


class RapidOcrEngine:
    """RapidOCR in this process; the models stay loaded. `blocks`: "column" (default) or "line".

    Install with `make rapid`: its wheel declares the GUI opencv-python, whose cv2 must not sit beside our headless
    one, so it goes in with --no-deps after the `rapid` extra; it runs on the headless cv2. RapidOCR finds text
    lines (a quadrilateral, text and score each); each line is split into words at its spaces, each word gets the
    part of the line its characters span, and on (near) horizontal lines the boxes move to the blank columns and
    shrink to the ink, so they come out close to tesseract's. Blocks are columns (clusters of vertically adjacent,
    overlapping lines; the detections of one visual row joined into one line), or one block per detected line
    with $LABELSCAN_RAPID_BLOCKS=line. It has no orientation detector (`osd`): the pipeline's word probe decides,
    and its per-line 180° classifier is off so that the probe sees upside-down text as such.
    """

    def __init__(self, model: str | None = None, *, blocks: str | None = None, threads: int | None = None) -> None:
        if rapidocr_onnxruntime is None:
            raise MissingDependencyError("rapidocr-onnxruntime is not installed", INSTALL)
        if model:
            raise UsageError("the rapidocr engine uses the models in its wheel, not a tessdata folder",
                             "give no model, or use the tesserocr engine")
        self.blocks = blocks or os.environ.get(ENV_BLOCKS, "column")
        if self.blocks not in ("column", "line"):
            raise UsageError(f"unknown ${ENV_BLOCKS} {self.blocks!r}", "choose column or line")
        self.threads = threads or int(os.environ.get(ENV_THREADS, "1"))  # like tesseract: one thread per process
        _ocr(self.threads)  # load now, so a broken install fails before the first image
        # the block mode changes the reading, so it is part of the name (audit caches readings by it)
        self.name = f"rapidocr {_version()}/{MODEL}" + ("" if self.blocks == "column" else "/line-blocks")

    def read(self, image: Image.Image, *, psm: int = 3, timeout: float = 60.0) -> OcrPage:
        """Words of `image` (see OcrEngine.read). `psm` is accepted for the protocol and ignored: RapidOCR always
        detects text lines anywhere on the page. A call cannot be interrupted: one that ends past `timeout` raises
        OcrError (the guard around the engine gives up on one that does not end)."""
        ocr, lock = _ocr(self.threads)
        gray = np.asarray(image.convert("L"))
        # RapidOCR takes an array as OpenCV does: grey, or colour in BGR order
        pixels = gray if image.mode in ("L", "1") else np.ascontiguousarray(np.asarray(image.convert("RGB"))[:, :, ::-1])
        with lock:
            start = time.monotonic()
            try:
                result, _ = ocr(pixels)
            except Exception as exc:  # noqa: BLE001 - onnxruntime and opencv raise their own types
                raise OcrError(f"rapidocr failed: {exc}", "try --engine tesserocr") from None
            if time.monotonic() - start > timeout:
                raise OcrError(f"OCR timed out after {timeout:g} s", "try a smaller or clearer image")
        dets = []
        for quad, text, score in result or []:
            text = " ".join(str(text).translate(_HALF_WIDTH).split())
            if text:
                dets.append(_Det(np.asarray(quad, dtype=np.float64).reshape(4, 2), text, float(score)))
        words = self._words(dets, gray)
        return OcrPage(words=words, width=image.width, height=image.height, engine=self.name)

    def _words(self, dets: list[_Det], gray: np.ndarray) -> list[Word]:
        if self.blocks == "line":
            groups = [[[d]] for d in _reading_order(dets)]
        else:
            groups = [_rows(col) for col in _columns(dets)]
        words: list[Word] = []
        line = 0
        for block, rows in enumerate(groups):
            for row in rows:
                for det in row:
                    for text, box in _split(det, gray):
                        words.append(Word(text, box, min(1.0, max(0.0, det.score)), block, line))
                line += 1
        return words


def _reading_order(dets: list[_Det]) -> list[_Det]:
    """Top to bottom; detections of one visual row (centres within half a line height) left to right."""
    rows = _rows(dets)
    return [d for row in rows for d in row]


def _rows(dets: list[_Det]) -> list[list[_Det]]:
    """Detections grouped into visual rows, rows top to bottom, each row left to right."""
    rows: list[list[_Det]] = []
    for det in sorted(dets, key=lambda d: (d.box[1] + d.box[3]) / 2):
        cy = (det.box[1] + det.box[3]) / 2
        if rows:
            last = rows[-1]
            ry = sum((d.box[1] + d.box[3]) / 2 for d in last) / len(last)
            rh = min(d.height for d in last)
            if abs(cy - ry) <= 0.5 * min(rh, det.height):
                last.append(det)
                continue
        rows.append([det])
    return [sorted(row, key=lambda d: d.box[0]) for row in rows]


def _columns(dets: list[_Det]) -> list[list[_Det]]:
    """Clusters of lines that are vertically adjacent (gap under 1.5 line heights) and overlap horizontally,
    in reading order of their first line."""
    n = len(dets)
    parent = list(range(n))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    boxes = [d.box for d in dets]
    for i in range(n):
        ax0, ay0, ax1, ay1 = boxes[i]
        for j in range(i + 1, n):
            bx0, by0, bx1, by1 = boxes[j]
            overlap = min(ax1, bx1) - max(ax0, bx0)
            if overlap <= 0.3 * min(ax1 - ax0, bx1 - bx0):
                continue
            gap = max(by0 - ay1, ay0 - by1)
            if gap < 1.5 * min(dets[i].height, dets[j].height):
                parent[find(i)] = find(j)
    clusters: dict[int, list[_Det]] = {}
    for i in range(n):
        clusters.setdefault(find(i), []).append(dets[i])
    order = {id(d): k for k, d in enumerate(_reading_order(dets))}
    cols = list(clusters.values())
    cols.sort(key=lambda c: min(order[id(d)] for d in c))
    return cols


def _split(det: _Det, gray: np.ndarray) -> list[tuple[str, tuple[int, int, int, int]]]:
    """The words of one line with boxes: each the part of the line its characters span, tightened to the ink
    when the line is (near) horizontal."""
    text = det.text
    spans, pos = [], 0
    for token in text.split(" "):
        spans.append((token, pos, pos + len(token)))
        pos += len(token) + 1
    n = len(text)
    tl, tr, br, bl = det.quad
    out: list[tuple[str, tuple[int, int, int, int]]] = []
    horizontal = abs(tr[1] - tl[1]) <= 0.25 * det.height and abs(br[1] - bl[1]) <= 0.25 * det.height
    if horizontal:
        tightened = _ink_boxes(det, spans, gray)
        if tightened is not None:
            return tightened
    for token, a, b in spans:
        t0, t1 = a / n, b / n
        pts = np.array([tl + (tr - tl) * t0, tl + (tr - tl) * t1, bl + (br - bl) * t1, bl + (br - bl) * t0])
        out.append((token, _aabb(pts, gray.shape)))
    return out


def _aabb(pts: np.ndarray, shape: tuple[int, ...]) -> tuple[int, int, int, int]:
    h, w = shape[:2]
    x0 = int(np.clip(np.floor(pts[:, 0].min()), 0, w - 1))
    y0 = int(np.clip(np.floor(pts[:, 1].min()), 0, h - 1))
    x1 = int(np.clip(np.ceil(pts[:, 0].max()), x0 + 1, w))
    y1 = int(np.clip(np.ceil(pts[:, 1].max()), y0 + 1, h))
    return x0, y0, x1 - x0, y1 - y0


def _ink_boxes(det: _Det, spans: list[tuple[str, int, int]],
               gray: np.ndarray) -> list[tuple[str, tuple[int, int, int, int]]] | None:
    """Word boxes from the ink of the line's crop: boundaries at the blank columns nearest the proportional
    split, each box shrunk to its dark pixels. None when the crop has too little contrast to tell ink."""
    H, W = gray.shape[:2]
    x0, y0, x1, y1 = det.box
    x0, y0 = max(0, int(np.floor(x0))), max(0, int(np.floor(y0)))
    x1, y1 = min(W, int(np.ceil(x1))), min(H, int(np.ceil(y1)))
    if x1 - x0 < 2 or y1 - y0 < 2:
        return None
    crop = gray[y0:y1, x0:x1].astype(np.int32)
    lo, hi = np.percentile(crop, 2), np.percentile(crop, 98)
    if hi - lo < 40:
        return None
    threshold, _ = cv2.threshold(crop.astype(np.uint8), 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    ink = crop <= threshold
    if ink.mean() > 0.6:  # light text on a dark ground
        ink = ~ink
    cols = ink.sum(axis=0) > 0
    width, n = x1 - x0, len(det.text)
    char_w = width / max(1, n)
    bounds = [0]
    for _, _, end in spans[:-1]:
        guess = int(round((end + 0.5) * char_w))
        bounds.append(_nearest_gap(cols, guess, int(1.5 * char_w) + 1, bounds[-1]))
    bounds.append(width)
    rows = np.flatnonzero(ink.any(axis=1))
    gaps = _blank_runs(cols)
    letter_gap = float(np.median(gaps)) if gaps else 0.0
    min_gap = max(3.0, 0.3 * (rows[-1] - rows[0] + 1) if len(rows) else 0.0, 2 * letter_gap)
    pieces: list[tuple[str, int, int]] = []
    for (token, _, _), a, b in zip(spans, bounds, bounds[1:]):
        pieces += _split_at_gaps(token, a, b, cols, min_gap)
    out = []
    for token, a, b in pieces:
        part = ink[:, a:b]
        xs = np.flatnonzero(part.any(axis=0))
        ys = np.flatnonzero(part.any(axis=1))
        if len(xs) == 0 or len(ys) == 0:
            out.append((token, (x0 + a, y0, max(1, b - a), y1 - y0)))
        else:
            out.append((token, (x0 + a + int(xs[0]), y0 + int(ys[0]), int(xs[-1] - xs[0] + 1), int(ys[-1] - ys[0] + 1))))
    return out


def _split_at_gaps(token: str, a: int, b: int, cols: np.ndarray, min_gap: float) -> list[tuple[str, int, int]]:
    """The recogniser sometimes drops a space ("SupplementFacts"): split `token` (columns a–b) at a blank run
    as wide as a word space, at a plausible word break (lower to upper case, letter to digit or back, after
    punctuation) near its proportional place, else at the character boundary nearest to it."""
    xs = np.flatnonzero(cols[a:b])
    if len(token) < 4 or len(xs) == 0:
        return [(token, a, b)]
    lo, hi = a + int(xs[0]), a + int(xs[-1]) + 1
    char_w = (hi - lo) / len(token)
    x, start = lo, None
    while x < hi:
        if not cols[x] and start is None:
            start = x
        elif cols[x] and start is not None:
            if x - start >= min_gap:
                guess = (start + x) / 2 - lo
                near = [k for k in sorted(range(1, len(token)), key=lambda k: abs(k * char_w - guess))
                        if abs(k * char_w - guess) <= 2 * char_w]
                k = next((k for k in near if _word_break(token[k - 1], token[k])), None)
                if k is None and near and abs(near[0] * char_w - guess) <= char_w and token[near[0] - 1].isalnum() \
                        and 3 <= near[0] <= len(token) - 3:
                    # "Takewithfood": a plain word space the recogniser dropped; both parts of 3 letters or more,
                    # as a wide letter gap inside a word ("element al", "st earate") is no such space
                    k = near[0]
                if k is not None:
                    cut = (start + x) // 2
                    return [(token[:k], a, cut), *_split_at_gaps(token[k:], cut, b, cols, min_gap)]
            start = None
        x += 1
    return [(token, a, b)]


def _blank_runs(cols: np.ndarray) -> list[int]:
    """Widths of the runs of blank columns between the first and the last inked column."""
    xs = np.flatnonzero(cols)
    if len(xs) < 2:
        return []
    steps = np.diff(xs)
    return [int(d - 1) for d in steps if d > 1]


def _word_break(left: str, right: str) -> bool:
    return ((left.islower() and right.isupper()) or (left.isalpha() and right.isdigit())
            or (left.isdigit() and right.isalpha()) or (left in ":;,.)%" and right.isalnum()))


def _nearest_gap(cols: np.ndarray, guess: int, reach: int, floor: int) -> int:
    """The centre of the blank run of columns nearest `guess` (within `reach`, right of `floor`), else `guess`."""
    n = len(cols)
    best, best_dist = None, None
    start = None
    for x in range(max(floor + 1, guess - reach), min(n, guess + reach + 1) + 1):
        blank = x < n and not cols[x]
        if blank and start is None:
            start = x
        elif not blank and start is not None:
            centre = (start + x - 1) // 2
            dist = abs(centre - guess)
            if best_dist is None or dist < best_dist:
                best, best_dist = centre, dist
            start = None
    return best if best is not None else min(max(guess, floor + 1), n - 1)
