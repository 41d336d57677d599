"""The audit report as one self-contained HTML file: counts, a sortable and filterable product table, evidence images."""

from __future__ import annotations

import base64
import html
import io
from collections import Counter
from collections.abc import Callable
from typing import Any

from PIL import Image

from labelscan.model import Evidence, Finding, Label, Panel, ScanResult, Seal

VERDICT_RANK = {"fail": 0, "needs-review": 1, "error": 2, "pass": 3}
STATUSES = ("pass", "fail", "unknown", "not-applicable")
THUMB_SIDE = 120
EVIDENCE_SIDE = 640
Preview = Callable[[str], "tuple[bytes, float] | None"]

CSS = """
body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#111}
h1{font-size:1.4em;margin:0 0 .5em} table{border-collapse:collapse} td,th{padding:4px 8px;border-bottom:1px solid #ddd;text-align:left;vertical-align:top}
th[data-key]{cursor:pointer;user-select:none} th[data-key]:after{content:" ⇅";color:#999}
.v{font-weight:600;border-radius:3px;padding:1px 6px;color:#fff;white-space:nowrap}
.v-pass{background:#16a34a}.v-fail{background:#dc2626}.v-needs-review{background:#d97706}.v-error{background:#555}
.s-fail{color:#dc2626}.s-unknown{color:#b45309}.s-pass{color:#16a34a}
#controls{margin:1em 0} #controls input{width:20em} .counts{display:flex;gap:2em;flex-wrap:wrap;align-items:flex-start}
tr[hidden]{display:none} img.thumb{max-width:120px;max-height:120px} details img{max-width:640px;display:block;margin:4px 0}
.err{color:#991b1b} small{color:#666}
"""

JS = """
const table = document.getElementById('products');
const tbody = table.tBodies[0];
const search = document.getElementById('q');
const verdict = document.getElementById('verdict');
const shown = document.getElementById('shown');
function apply() {
  const q = search.value.trim().toLowerCase(), v = verdict.value;
  let n = 0;
  for (const row of tbody.rows) {
    const ok = (!q || row.dataset.search.includes(q)) && (!v || row.dataset.verdict === v);
    row.hidden = !ok; if (ok) n++;
  }
  shown.textContent = n + ' of ' + tbody.rows.length + ' products shown';
}
function toHash() {
  const p = new URLSearchParams();
  if (search.value) p.set('q', search.value);
  if (verdict.value) p.set('verdict', verdict.value);
  history.replaceState(null, '', '#' + p.toString());
}
function fromHash() {
  const p = new URLSearchParams(location.hash.slice(1));
  search.value = p.get('q') || ''; verdict.value = p.get('verdict') || ''; apply();
}
search.addEventListener('input', () => { apply(); toHash(); });
verdict.addEventListener('change', () => { apply(); toHash(); });
window.addEventListener('hashchange', fromHash);
let sortKey = 'rank', sortDir = 1;
for (const th of table.tHead.querySelectorAll('th[data-key]')) {
  th.addEventListener('click', () => {
    const key = th.dataset.key;
    sortDir = key === sortKey ? -sortDir : 1; sortKey = key;
    const rows = [...tbody.rows];
    const num = key === 'rank' || key === 'fails';
    rows.sort((a, b) => {
      const x = a.dataset[key], y = b.dataset[key];
      return sortDir * (num ? Number(x) - Number(y) : x.localeCompare(y));
    });
    tbody.append(...rows);
  });
}
fromHash();
"""


def _jpeg_uri(image: Image.Image, side: int, quality: int) -> str:
    image = image.copy()
    image.thumbnail((side, side))
    out = io.BytesIO()
    image.convert("RGB").save(out, format="JPEG", quality=quality)
    return "data:image/jpeg;base64," + base64.b64encode(out.getvalue()).decode()


def _scaled(bbox: Any, scale: float) -> tuple[int, int, int, int] | None:
    if not bbox:
        return None
    return tuple(max(1, round(v * scale)) if i >= 2 else round(v * scale) for i, v in enumerate(bbox))  # type: ignore[return-value]


def scaled_result(result: dict[str, Any], page: int, scale: float, source: str) -> ScanResult:
    """A ScanResult holding only what annotate.draw needs for merged page `page`, boxes scaled to the preview."""
    findings = [Finding(c["id"], c["pack"], c["status"], c["severity"], c.get("message", ""),
                        evidence=[Evidence(e.get("text", ""), _scaled(e.get("bbox"), scale), e.get("confidence", 1.0), 0)
                                  for e in c.get("evidence", []) if e.get("page", 0) == page and e.get("bbox")])
                for c in result.get("checks", [])]
    seals = [Seal(s["program"], s.get("name", ""), s.get("kind", "third-party"), s.get("method", "text"),
                  _scaled(s.get("bbox"), scale), s.get("confidence", 0.0), s.get("text", ""), 0)
             for s in result.get("seals", []) if s.get("page", 0) == page]
    return ScanResult(source=source, verdict=result.get("verdict", "error"), findings=findings,
                      label=Label(pages=[], panel=Panel(), seals=seals), error=result.get("error"))


def _images(row: Any, preview: Preview) -> tuple[str, list[str]]:
    """The thumbnail (data URI or '') and the annotated evidence images of every image of the product."""
    from labelscan.report.annotate import draw

    thumb, annotated = "", []
    for entry in row.images:
        found = preview(entry["sha256"]) if entry.get("sha256") else None
        if not found:
            continue
        image = Image.open(io.BytesIO(found[0]))
        image.load()
        if not thumb:
            thumb = _jpeg_uri(image, THUMB_SIDE, 70)
        if row.verdict != "error":
            image = draw(scaled_result(row.result, entry["first_page"], found[1], entry["source"]), image, 0)
        annotated.append(_jpeg_uri(image, EVIDENCE_SIDE, 70))
    return thumb, annotated


def _counts(rows: list[Any]) -> str:
    verdicts = Counter(r.verdict for r in rows)
    checks: dict[str, Counter] = {}
    for row in rows:
        for c in row.result.get("checks", []):
            checks.setdefault(f"{c['pack']}/{c['id']}", Counter())[c["status"]] += 1
    vtable = "".join(f"<tr><td><span class='v v-{v}'>{v}</span></td><td>{verdicts.get(v, 0)}</td></tr>" for v in VERDICT_RANK)
    head = "".join(f"<th>{s}</th>" for s in STATUSES)
    ctable = "".join(f"<tr><td>{html.escape(k)}</td>" + "".join(f"<td class='s-{s}'>{n.get(s, 0)}</td>" for s in STATUSES) + "</tr>"
                     for k, n in checks.items())
    return (f"<div class='counts'><table id='verdict-counts'><tr><th>verdict</th><th>products</th></tr>{vtable}</table>"
            f"<table id='check-counts'><tr><th>check</th>{head}</tr>{ctable}</table></div>")


def _row(row: Any, preview: Preview) -> str:
    esc = html.escape
    checks = row.result.get("checks", [])
    bad = [c for c in checks if c["status"] in ("fail", "unknown")]
    thumb, annotated = _images(row, preview)
    problems = "".join(f"<li class='s-{c['status']}'><b>{esc(c['id'])}</b>: {c['status']} — {esc(c.get('message', ''))}</li>" for c in bad)
    if row.error:
        problems = f"<li class='err'>{esc(row.error)}</li>"
    evidence = "".join(f"<img alt='evidence {i + 1}' src='{uri}'>" for i, uri in enumerate(annotated))
    details = f"<details><summary>evidence ({len(annotated)} images)</summary>{evidence}</details>" if annotated else ""
    search = " ".join([row.sku, row.name, row.verdict, *(c["id"] for c in bad)]).lower()
    return (f"<tr data-sku='{esc(row.sku)}' data-verdict='{esc(row.verdict)}' data-rank='{VERDICT_RANK.get(row.verdict, 9)}' "
            f"data-name='{esc(row.name.lower())}' data-fails='{len(bad)}' data-search='{esc(search)}'>"
            f"<td><span class='v v-{esc(row.verdict)}'>{esc(row.verdict)}</span></td><td>{esc(row.sku)}</td><td>{esc(row.name)}</td>"
            f"<td>{f'<img class=thumb alt=thumbnail src={thumb}>' if thumb else ''}</td>"
            f"<td><ul>{problems}</ul>{details}<small>{len(row.images)} image(s)</small></td></tr>")


def render_html(rows: list[Any], preview: Preview, runs: list[dict] | None = None) -> str:
    """`rows` are audit ProductRows; `preview(sha256)` gives a stored preview JPEG and its scale, or None."""
    ordered = sorted(rows, key=lambda r: (VERDICT_RANK.get(r.verdict, 9), r.position, r.sku))
    last = (runs or [{}])[-1]
    options = "".join(f"<option value='{v}'>{v}</option>" for v in VERDICT_RANK)
    body = "".join(_row(r, preview) for r in ordered)
    csp = "default-src 'none'; img-src data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'"
    return f"""<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="{csp}">
<title>labelscan audit report</title><style>{CSS}</style></head><body>
<h1>labelscan audit: {len(rows)} products</h1>
<p><small>catalogue {html.escape(str(last.get('catalogue', '')))} · engine {html.escape(str(last.get('engine', '')))} · packs {html.escape(str(last.get('packs', '')))}</small></p>
{_counts(rows)}
<div id="controls"><input id="q" type="search" placeholder="filter: sku, name, check…" aria-label="filter">
<select id="verdict" aria-label="verdict"><option value="">all verdicts</option>{options}</select> <span id="shown"></span></div>
<table id="products"><thead><tr><th data-key="rank">verdict</th><th data-key="sku">sku</th><th data-key="name">name</th>
<th>image</th><th data-key="fails">findings</th></tr></thead><tbody>{body}</tbody></table>
<script>{JS}</script></body></html>"""
