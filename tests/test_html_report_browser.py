"""The HTML audit report in a real browser (headless Debian chromium): filter from the URL fragment, screenshot."""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

from labelscan.audit.reports import render_store_report
from labelscan.audit.runner import AuditOptions, run_audit
from labelscan.audit.store import Store
from labelscan.checks import load_rules

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)

if CHROMIUM is None and not os.environ.get("CI"):
    pytest.skip("chromium is not installed (apt-get install chromium); the browser test needs it", allow_module_level=True)


def chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    assert CHROMIUM, "chromium is required in CI"
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}", "--virtual-time-budget=3000"]
    return subprocess.run([CHROMIUM, *flags, *args], capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("html")
    text = (ROOT / "samples" / "compliant.txt").read_text()
    no_seal = "\n".join(line for line in text.splitlines() if line not in {"USP", "VERIFIED", "GMP REGISTERED", "NSF", "NSF.ORG"})
    (folder / "ok.txt").write_text(text)
    (folder / "noseal.txt").write_text(no_seal)
    rows = [(f"SKU-{i}", f"Product {i}", "ok.txt" if i % 2 else "noseal.txt") for i in range(1, 7)]
    rows += [("SKU-31", "Photo", str(ROOT / "samples" / "fail-no-seal-01.png")), ("SKU-9", "Broken", "missing.png")]
    with (folder / "cat.csv").open("w", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["sku", "name", "image"])
        writer.writerows(rows)
    store = Store(folder / "a.db")
    run_audit(folder / "cat.csv", store, AuditOptions(packs=load_rules(None), jobs=1))
    store.close()
    out = folder / "report.html"
    out.write_text(render_store_report(folder / "a.db", "html"))
    return out


def visible_rows(dom: str) -> dict[str, bool]:
    rows = re.findall(r"<tr data-sku=\"([^\"]+)\"[^>]*?(hidden=\"\")?>", dom)
    return {sku: not hidden for sku, hidden in rows}


def test_report_filters_from_url_fragment(report: Path, tmp_path: Path) -> None:
    everything = visible_rows(chromium(tmp_path, "--dump-dom", report.as_uri()).stdout)
    assert len(everything) == 8 and all(everything.values())
    order = list(everything)
    assert order.index("SKU-2") < order.index("SKU-1")  # failing first
    assert order[-1] in {"SKU-1", "SKU-3", "SKU-5"}  # passing last
    dom = chromium(tmp_path, "--dump-dom", report.as_uri() + "#q=SKU-3&verdict=fail").stdout
    shown = {sku for sku, ok in visible_rows(dom).items() if ok}
    assert shown == {"SKU-31"}  # SKU-3 passes; SKU-31 fails and matches the search
    dom = chromium(tmp_path, "--dump-dom", report.as_uri() + "#verdict=error").stdout
    assert {sku for sku, ok in visible_rows(dom).items() if ok} == {"SKU-9"}
    assert "1 of 8 products shown" in dom


def test_report_screenshot_is_not_blank(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "shot.png"
    proc = chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,1000", report.as_uri() + "#verdict=fail")
    assert shot.is_file(), proc.stderr[-2000:]
    image = Image.open(shot).convert("L")
    low, high = image.getextrema()
    assert image.size == (1280, 1000) and high - low > 100
    colours = len(Image.open(shot).convert("RGB").resize((128, 100)).getcolors(128 * 100) or [])
    assert colours > 20
