"""Images by URL: a local http.server, private addresses refused unless allowed, redirects, size caps."""

from __future__ import annotations

import csv
import http.server
import json
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from labelscan.audit.fetch import FetchOptions, fetch
from labelscan.audit.reports import render_store_report
from labelscan.audit.runner import AuditOptions, run_audit
from labelscan.audit.store import Store
from labelscan.checks import load_rules
from labelscan.errors import UnreadableInputError

ROOT = Path(__file__).resolve().parent.parent
COMPLIANT = (ROOT / "samples" / "compliant.txt").read_bytes()
ALLOW = FetchOptions(timeout_s=5, max_bytes=100_000, allow_private=True)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        if self.path.startswith("/redirect/"):
            n = int(self.path.rsplit("/", 1)[1])
            self.send_response(302)
            self.send_header("Location", f"/redirect/{n - 1}" if n > 1 else "/label.txt")
            self.end_headers()
            return
        if self.path == "/label.txt":
            body = COMPLIANT
        elif self.path == "/big":
            body = b"x" * 200_000
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def test_fetch_allowed_and_redirects(server: str) -> None:
    assert fetch(f"{server}/label.txt", ALLOW) == COMPLIANT
    assert fetch(f"{server}/redirect/3", ALLOW) == COMPLIANT
    with pytest.raises(UnreadableInputError, match="more than 3 times"):
        fetch(f"{server}/redirect/4", ALLOW)


@pytest.mark.parametrize("path,message", [("/big", "byte limit"), ("/nothing", "HTTP 404")])
def test_fetch_refusals(server: str, path: str, message: str) -> None:
    with pytest.raises(UnreadableInputError, match=message):
        fetch(server + path, ALLOW)


@pytest.mark.parametrize("url", ["http://127.0.0.1:9/x", "http://[::1]/x", "http://169.254.169.254/latest", "http://10.0.0.1/x",
                                 "http://localhost/x"])
def test_private_addresses_refused_by_default(url: str) -> None:
    with pytest.raises(UnreadableInputError, match="allow-private-urls"):
        fetch(url, FetchOptions(timeout_s=2))


def test_scheme_refused() -> None:
    with pytest.raises(UnreadableInputError, match="scheme"):
        fetch("file:///etc/passwd", ALLOW)


def test_audit_by_url(server: str, tmp_path: Path) -> None:
    catalogue = tmp_path / "cat.csv"
    with catalogue.open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["sku", "name", "image"])
        writer.writerows([["U1", "by url", f"{server}/label.txt"], ["U2", "gone", f"{server}/nothing"],
                          ["U3", "redirected", f"{server}/redirect/2"]])
    db = tmp_path / "a.db"

    def go(allow: bool):
        store = Store(db)
        try:
            options = AuditOptions(packs=load_rules(None), jobs=1, fetch=FetchOptions(timeout_s=5, allow_private=allow))
            return run_audit(catalogue, store, options)
        finally:
            store.close()

    go(False)
    refused = {o["sku"]: o for o in map(json.loads, render_store_report(db, "jsonl").splitlines())}
    assert all(o["verdict"] == "error" and "refused to fetch from 127.0.0.1" in o["error"] for o in refused.values())
    first = go(True)
    result = {o["sku"]: o for o in map(json.loads, render_store_report(db, "jsonl").splitlines())}
    assert result["U1"]["verdict"] == "pass" and result["U3"]["verdict"] == "pass"
    assert "HTTP 404" in result["U2"]["error"]
    assert first.evaluated == 2
    again = go(True)  # downloaded again, same bytes: nothing re-evaluated
    assert (again.evaluated, again.reused) == (0, 2)
