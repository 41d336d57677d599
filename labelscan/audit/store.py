"""The SQLite result store: WAL, one transaction per finished item, upserts, a runs table and a schema version."""

from __future__ import annotations

import json
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import UsageError
from .work import ImageOutcome

SCHEMA_VERSION = 1
DEFAULT_DB = "labelscan-audit.db"

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY AUTOINCREMENT, catalogue TEXT NOT NULL, packs TEXT NOT NULL, engine TEXT NOT NULL,
    started REAL NOT NULL, finished REAL, status TEXT NOT NULL DEFAULT 'running',
    products INTEGER NOT NULL DEFAULT 0, images_read INTEGER NOT NULL DEFAULT 0,
    evaluated INTEGER NOT NULL DEFAULT 0, reused INTEGER NOT NULL DEFAULT 0, errors INTEGER NOT NULL DEFAULT 0);
CREATE TABLE IF NOT EXISTS images (
    sha256 TEXT NOT NULL, read_key TEXT NOT NULL, kind TEXT NOT NULL, pages TEXT NOT NULL, marks TEXT NOT NULL,
    width INTEGER, height INTEGER, preview BLOB, preview_scale REAL NOT NULL DEFAULT 1.0,
    seconds REAL NOT NULL DEFAULT 0, run_id INTEGER, created REAL NOT NULL,
    PRIMARY KEY (sha256, read_key));
CREATE TABLE IF NOT EXISTS sources (source TEXT PRIMARY KEY, sha256 TEXT NOT NULL, seen REAL NOT NULL);
CREATE TABLE IF NOT EXISTS products (
    sku TEXT PRIMARY KEY, name TEXT NOT NULL, position INTEGER NOT NULL, key TEXT NOT NULL,
    verdict TEXT NOT NULL, error TEXT, result TEXT NOT NULL, images TEXT NOT NULL, extra TEXT NOT NULL,
    run_id INTEGER, updated REAL NOT NULL);
"""


@dataclass
class ImageRecord:
    """A stored reading of one image."""

    sha256: str
    read_key: str
    kind: str
    pages: list[dict]
    marks: list[dict]


@dataclass
class ProductRow:
    """A stored product result as the reports read it."""

    sku: str
    name: str
    position: int
    verdict: str
    error: str | None
    result: dict[str, Any]
    images: list[dict]
    extra: dict[str, str]


class Store:
    """One SQLite file; only the process that opens it writes to it."""

    def __init__(self, path: str | Path, create: bool = True) -> None:
        self.path = Path(path)
        if not create and not self.path.is_file():
            raise UsageError(f"no audit store at {self.path}", "run `labelscan audit CATALOGUE --db PATH` first")
        self.db = sqlite3.connect(str(self.path), timeout=30, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.execute("PRAGMA foreign_keys=ON")
        self.db.executescript(SCHEMA)
        found = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if found is None:
            self.db.execute("INSERT OR IGNORE INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(found[0]) != SCHEMA_VERSION:
            raise UsageError(f"{self.path} has store schema {found[0]}, this labelscan reads {SCHEMA_VERSION}",
                             "audit into a new --db file")

    def close(self) -> None:
        self.db.close()

    def _tx(self, statements: list[tuple[str, tuple]]) -> None:
        """Run the statements in one transaction: all of them are stored, or none."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            for sql, args in statements:
                self.db.execute(sql, args)
            self.db.execute("COMMIT")
        except BaseException:
            self.db.execute("ROLLBACK")
            raise

    # runs
    def start_run(self, catalogue: str, packs: str, engine: str) -> int:
        cur = self.db.execute("INSERT INTO runs (catalogue, packs, engine, started) VALUES (?, ?, ?, ?)",
                              (catalogue, packs, engine, time.time()))
        return int(cur.lastrowid or 0)

    def finish_run(self, run_id: int, status: str, counts: dict[str, int]) -> None:
        cols = ", ".join(f"{k} = ?" for k in counts)
        self._tx([(f"UPDATE runs SET status = ?, finished = ?{', ' + cols if cols else ''} WHERE id = ?",
                   (status, time.time(), *counts.values(), run_id))])

    def runs(self) -> list[dict]:
        cur = self.db.execute("SELECT * FROM runs ORDER BY id")
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row)) for row in cur.fetchall()]

    # images
    def image(self, sha256: str, read_keys: tuple[str, ...]) -> ImageRecord | None:
        marks = ",".join("?" * len(read_keys))
        row = self.db.execute(f"SELECT sha256, read_key, kind, pages, marks FROM images WHERE sha256 = ? AND read_key IN ({marks})",
                              (sha256, *read_keys)).fetchone()
        return ImageRecord(row[0], row[1], row[2], json.loads(row[3]), json.loads(row[4])) if row else None

    def save_image(self, out: ImageOutcome, run_id: int) -> None:
        statements = [("""INSERT INTO images (sha256, read_key, kind, pages, marks, width, height, preview, preview_scale,
                            seconds, run_id, created) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
                          ON CONFLICT (sha256, read_key) DO UPDATE SET pages=excluded.pages, marks=excluded.marks,
                            preview=excluded.preview, preview_scale=excluded.preview_scale, seconds=excluded.seconds""",
                       (out.sha256, out.read_key, out.kind, json.dumps(out.pages), json.dumps(out.marks),
                        out.size[0] if out.size else None, out.size[1] if out.size else None, out.preview,
                        out.preview_scale, out.seconds, run_id, time.time()))]
        if "://" in out.source:
            statements.append(self._source_sql(out.source, out.sha256))
        self._tx(statements)

    def preview(self, sha256: str) -> tuple[bytes, float] | None:
        row = self.db.execute("SELECT preview, preview_scale FROM images WHERE sha256 = ? AND preview IS NOT NULL "
                              "ORDER BY created DESC LIMIT 1", (sha256,)).fetchone()
        return (bytes(row[0]), float(row[1])) if row else None

    @staticmethod
    def _source_sql(source: str, sha256: str) -> tuple[str, tuple]:
        return ("INSERT INTO sources VALUES (?, ?, ?) ON CONFLICT (source) DO UPDATE SET sha256=excluded.sha256, seen=excluded.seen",
                (source, sha256, time.time()))

    def source_sha(self, source: str) -> str | None:
        row = self.db.execute("SELECT sha256 FROM sources WHERE source = ?", (source,)).fetchone()
        return row[0] if row else None

    # products
    def product_key(self, sku: str) -> tuple[str, str] | None:
        row = self.db.execute("SELECT key, verdict FROM products WHERE sku = ?", (sku,)).fetchone()
        return (row[0], row[1]) if row else None

    def save_product(self, row: ProductRow, key: str, run_id: int) -> None:
        self._tx([("""INSERT INTO products (sku, name, position, key, verdict, error, result, images, extra, run_id, updated)
                      VALUES (?,?,?,?,?,?,?,?,?,?,?)
                      ON CONFLICT (sku) DO UPDATE SET name=excluded.name, position=excluded.position, key=excluded.key,
                        verdict=excluded.verdict, error=excluded.error, result=excluded.result, images=excluded.images,
                        extra=excluded.extra, run_id=excluded.run_id, updated=excluded.updated""",
                    (row.sku, row.name, row.position, key, row.verdict, row.error, json.dumps(row.result, default=str),
                     json.dumps(row.images), json.dumps(row.extra), run_id, time.time()))])

    def touch_product(self, sku: str, position: int, run_id: int) -> None:
        self._tx([("UPDATE products SET position = ?, run_id = ? WHERE sku = ?", (position, run_id, sku))])

    def products(self) -> list[ProductRow]:
        rows = self.db.execute("SELECT sku, name, position, verdict, error, result, images, extra FROM products "
                               "ORDER BY position, sku").fetchall()
        return [ProductRow(r[0], r[1], r[2], r[3], r[4], json.loads(r[5]), json.loads(r[6]), json.loads(r[7])) for r in rows]
