"""Rule packs and the seal catalogue: loading by name and path, validation errors that name file, line and path."""

from __future__ import annotations

from pathlib import Path

import pytest

from labelscan.checks import bundled_packs, load_pack, load_rules
from labelscan.errors import ExitCode, RulePackError
from labelscan.model import OcrPage
from labelscan.seals import find_seals

GOOD = """\
pack: demo
version: 1
title: Demo
checks:
  - id: named
    kind: ingredient-named
    names: ["magnesium l-threonate"]
"""


def write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "pack.yaml"
    path.write_text(text)
    return str(path)


def test_bundled_pack_has_the_four_fixed_checks():
    pack = load_pack("magnesium-l-threonate")
    assert [c.spec.id for c in pack.checks][:4] == [
        "threonate-named", "elemental-magnesium-stated", "no-proprietary-blend", "third-party-seal"]
    assert "magnesium-l-threonate" in bundled_packs()
    assert "seals" not in bundled_packs()


def test_named_packs_always_apply(tmp_path):
    pack = load_rules([write(tmp_path, GOOD)])[0]
    assert pack.named and pack.applies_to("nothing relevant")


@pytest.mark.parametrize(
    "text, expected",
    [
        (GOOD.replace("title: Demo", "title: Demo\ncolour: red"), "line 4, colour: unknown key"),
        (GOOD.replace("    names:", "    nmes:"), "line 7, nmes: unknown key"),
        (GOOD.replace("version: 1", "version: one"), "line 2, version: Input should be a valid integer"),
        (GOOD.replace("kind: ingredient-named", "kind: magic"), "unknown check kind 'magic'"),
        (GOOD + "  - id: named\n    kind: no-proprietary-blend\n", "duplicate check id 'named'"),
        ("pack: [unclosed\n", "not valid YAML"),
        ("just a string", "must be a YAML mapping"),
        ("a: &x [1]\nb: *x\n", "aliases"),
        ("!!python/object/apply:os.system ['echo pwned']\n", "YAML tags that build objects are not allowed"),
        (GOOD.replace('names: ["magnesium l-threonate"]', "names: []"), "names: List should have at least 1 item"),
        (GOOD.replace("kind: ingredient-named\n    names: [\"magnesium l-threonate\"]", "kind: seal-present\n    accept: [acme-seal]"), "not in the seal catalogue: acme-seal"),
    ],
)
def test_invalid_packs_are_reported_with_file_line_and_path(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(RulePackError) as info:
        load_pack(path)
    assert expected in str(info.value)
    assert str(info.value).startswith(path)
    assert info.value.exit_code == ExitCode.INVALID_RULES


def test_unknown_pack_name_lists_the_bundled_ones():
    with pytest.raises(RulePackError, match="magnesium-l-threonate"):
        load_pack("no-such-pack")


def test_missing_pack_file():
    with pytest.raises(RulePackError, match="not found"):
        load_pack("/nonexistent/pack.yaml")


@pytest.mark.parametrize(
    "text, programs",
    [
        ("NSF\nCERTIFIED FOR SPORT", {"nsf-certified-for-sport"}),
        ("CERTIFIED FOR\nNSF\nSPORT", {"nsf-certified-for-sport"}),
        ("NSF Contents Certified", {"nsf-contents-certified"}),
        ("DIETARY SUPPLEMENT\nVERIFIED\nUSP", {"usp-verified"}),
        ("Informed\nSport", {"informed-sport"}),
        ("BSCG Certified Drug Free", {"bscg-certified-drug-free"}),
        ("NSF\nREGISTERED\nGMP", {"nsf-gmp-registered"}),
        ("Formulated to meet USP standards", {"meets-usp-standards"}),
        ("Made in a cGMP facility. Third-party tested.", {"made-in-cgmp-facility", "third-party-tested"}),
        ("Supports memory and cognition", set()),
        ("Magnesium 144 mg", set()),
    ],
)
def test_seal_finder(text, programs):
    assert {s.program for s in find_seals([OcrPage.from_text(text)])} == programs


def test_seal_words_far_apart_do_not_combine():
    page = OcrPage.from_text("NSF" + "\n" * 40 + "certified for sport")
    found = {s.program for s in find_seals([page])}
    assert "nsf-certified-for-sport" in found  # 'certified for sport' alone names the program
    page = OcrPage.from_text("USP" + "\n" * 40 + "verified")
    assert not find_seals([page])
