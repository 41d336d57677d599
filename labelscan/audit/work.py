"""The per-image work done in a worker: fetch or take the bytes, read (OCR) them, return a picklable ImageOutcome."""

from __future__ import annotations

import hashlib
import io
import os
import resource
import signal
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import __version__
from ..errors import LabelscanError, UnreadableInputError
from ..limits import DEFAULT_LIMITS, Limits
from ..model import OcrPage, Word
from .fetch import FetchOptions, fetch

PREVIEW_SIDE = 1000
TEXT_READ_KEY = "text"
_STATE: dict[str, Any] = {}


@dataclass
class ImageTask:
    """One image to read: the bytes (a local file) or a URL to fetch, and the hash already stored for that URL."""

    id: int
    source: str
    path: str | None = None
    """A local file the worker reads itself (same machine); else `data`, else `source` is a URL to fetch."""
    data: bytes | None = None
    known_sha256: str | None = None
    """For a URL: the content hash stored last time; the same bytes again mean nothing to read."""
    engine_name: str = "auto"
    limits: Limits = DEFAULT_LIMITS
    fetch: FetchOptions = field(default_factory=FetchOptions)
    attempt: int = 1


@dataclass
class ImageOutcome:
    """What reading one image gave: its OCR pages (as JSON-able dicts), round marks, a preview, or an error."""

    id: int
    source: str
    sha256: str = ""
    read_key: str = ""
    kind: str = ""
    pages: list[dict] = field(default_factory=list)
    marks: list[dict] = field(default_factory=list)
    preview: bytes | None = None
    preview_scale: float = 1.0
    size: tuple[int, int] | None = None
    seconds: float = 0.0
    unchanged: bool = False
    """A URL whose bytes hash to known_sha256: nothing was read."""
    error: str | None = None
    exit_code: int = 0
    pid: int = 0
    max_rss_kb: int = 0


def page_to_dict(page: OcrPage) -> dict:
    return {"width": page.width, "height": page.height, "engine": page.engine, "orientation": page.orientation,
            "wrapped": page.wrapped, "ends_in_view": page.ends_in_view, "glare": [list(box) for box in page.glare],
            "panel_view": page.panel_view, "unread": [list(box) for box in page.unread],
            "words": [[w.text, *w.bbox, round(w.confidence, 4), w.block, w.line] for w in page.words]}


def page_from_dict(data: dict) -> OcrPage:
    words = [Word(w[0], (w[1], w[2], w[3], w[4]), w[5], w[6], w[7]) for w in data["words"]]
    glare = [(int(b[0]), int(b[1]), int(b[2]), int(b[3])) for b in data.get("glare", [])]
    unread = [(int(b[0]), int(b[1]), int(b[2]), int(b[3])) for b in data.get("unread", [])]
    return OcrPage(words, data["width"], data["height"], data["engine"], data["orientation"],
                   bool(data.get("wrapped", False)), bool(data.get("ends_in_view", False)), glare,
                   bool(data.get("panel_view", False)), unread)


@lru_cache(maxsize=1)
def read_version() -> str:
    """The version of the read stage: the package version and a hash of the modules that turn pixels into words."""
    root = Path(__file__).resolve().parent.parent
    digest = hashlib.sha256()
    reading_modules = sorted(p.relative_to(root).as_posix() for p in (root / "vision").glob("*.py"))
    for rel in (*reading_modules, "ocr/reader.py", "ocr/line_reader.py", "seal_shapes.py", "seal_lines.py", "reread.py",
                "pipeline.py"):
        try:
            digest.update((root / rel).read_bytes())
        except OSError:
            digest.update(rel.encode())
    return f"{__version__}+{digest.hexdigest()[:10]}"


def read_key_for(engine_label: str) -> str:
    """The cache key part that says how an image was read: engine (name, version, model) and read-stage version."""
    return f"{engine_label}|read-{read_version()}"


def init_worker(engine_name: str | None = None) -> None:
    """Process-pool initializer: one thread for OpenMP and for OpenCV (a worker is one core's worth of work;
    OpenCV's own threads would make the workers fight over the cores), Ctrl-C left to the parent, the OCR
    engine loaded once."""
    _one_thread()
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if engine_name:
        try:
            _engine(engine_name)
        except LabelscanError:
            pass  # reported per image


def _one_thread() -> None:
    """A worker does one image at a time on one core: no OpenMP or OpenCV threads of its own."""
    os.environ["OMP_THREAD_LIMIT"] = "1"
    import cv2

    cv2.setNumThreads(1)


def _engine(name: str):  # noqa: ANN202 - an OcrEngine
    _one_thread()
    engine = _STATE.get(name)
    if engine is None:
        from ..ocr import get_engine

        engine = _STATE[name] = get_engine(name)
    return engine


def _preview(image: Any) -> tuple[bytes, float]:
    scale = min(1.0, PREVIEW_SIDE / max(image.size))
    small = image if scale >= 1.0 else image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))))
    out = io.BytesIO()
    small.convert("RGB").save(out, format="JPEG", quality=80)
    return out.getvalue(), scale


def _load(data: bytes, source: str, limits: Limits):  # noqa: ANN202 - a Document
    from ..sources import load

    try:
        return load("-", limits, stdin=io.BytesIO(data))
    except UnreadableInputError as exc:
        raise UnreadableInputError(exc.message.replace("standard input", source), exc.hint) from None


def read_bytes(task: ImageTask, data: bytes, out: ImageOutcome) -> None:
    """Fill `out` with what `data` reads as: text pages directly, image pages through OCR and the round-mark reader."""
    from ..pipeline import ScanOptions, read_document
    from ..seal_shapes import MarkReading

    doc = _load(data, task.source, task.limits)
    out.kind = doc.kind
    options = ScanOptions(engine_name=task.engine_name, limits=task.limits, marks_beside_ocr=False)
    if doc.kind != "text":
        options._engine = _engine(task.engine_name)
    reading = read_document(doc, options, {})
    out.pages = [page_to_dict(p) for p in reading.pages]
    out.marks = [m.to_dict() for m in reading.marks if isinstance(m, MarkReading)]
    out.read_key = TEXT_READ_KEY if doc.kind == "text" else read_key_for(options._engine.full_name)  # type: ignore[union-attr]
    first = next((p.image for p in doc.pages if p.image is not None), None) if doc.kind != "text" else None
    if first is not None:
        out.size = first.size
        out.preview, out.preview_scale = _preview(first)


def read_local(task: ImageTask) -> bytes:
    """The bytes of a local file, refused if missing, unreadable or over the size limit."""
    path = Path(task.path or task.source)
    cap = task.limits.max_file_bytes
    try:
        if not path.is_file():
            raise UnreadableInputError(f"{task.source} does not exist", "check the path in the catalogue")
        if path.stat().st_size > cap:
            raise UnreadableInputError(f"{task.source} is larger than the {cap} byte limit", "shrink the image")
        data = path.read_bytes()
    except OSError as exc:
        raise UnreadableInputError(f"{task.source} cannot be read ({exc.strerror or exc})", "check the file") from None
    if not data:
        raise UnreadableInputError(f"{task.source} is empty (0 bytes)", "give a label image, PDF or text file")
    return data


def scan_image(task: ImageTask) -> ImageOutcome:
    """Read one image; every expected failure becomes an outcome with `error`, never an exception."""
    start = time.perf_counter()
    out = ImageOutcome(task.id, task.source, pid=os.getpid())
    try:
        data = task.data if task.data is not None else read_local(task) if task.path else fetch(task.source, task.fetch)
        out.sha256 = hashlib.sha256(data).hexdigest()
        if task.known_sha256 and task.known_sha256 == out.sha256:
            out.unchanged = True
        else:
            read_bytes(task, data, out)
    except LabelscanError as exc:
        out.error, out.exit_code = str(exc), int(exc.exit_code)
    except MemoryError:
        out.error, out.exit_code = f"{task.source}: out of memory while reading it", 4
    except Exception as exc:  # a bug must cost one image, not the audit
        out.error, out.exit_code = f"{task.source}: internal error ({type(exc).__name__}: {exc})", 70
    out.seconds = time.perf_counter() - start
    out.max_rss_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return out
