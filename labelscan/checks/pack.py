"""Rule packs: the YAML schema (unknown keys rejected), loading by name or path, and listing the bundled ones."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ..errors import RulePackError
from ..resources import rules_dir
from ..yamlload import describe_validation_error, load_yaml_file
from .registry import KINDS

NOT_PACKS = {"seals.yaml", "vocabulary.yaml"}


class AppliesWhen(BaseModel):
    """When a pack applies if it was not named with --rules."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    text_matches: str | None = Field(default=None, alias="text-matches")
    always: bool = False

    @field_validator("text_matches")
    @classmethod
    def _valid_regex(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a valid regular expression ({exc})") from None
        return value


class CheckSpec(BaseModel):
    """One check of a pack: its id, kind, severity, advice, and the kind's own parameters."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)
    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: str
    severity: Literal["error", "warning", "info"] = "error"
    title: str = ""
    message: str = ""
    """What the guide or regulation says and what to look for; shown with a failure."""

    @property
    def params(self) -> dict[str, Any]:
        return dict(self.model_extra or {})


class RulePackModel(BaseModel):
    """The top level of a rule pack file."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)
    pack: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    version: int
    title: str
    description: str = ""
    source: str = ""
    applies_when: AppliesWhen | None = Field(default=None, alias="applies-when")
    checks: list[CheckSpec] = Field(min_length=1)


@dataclass
class LoadedCheck:
    """A check whose parameters were validated by its kind's model."""

    spec: CheckSpec
    params: BaseModel


@dataclass
class RulePack:
    """A validated pack, ready to evaluate."""

    name: str
    version: int
    title: str
    path: Path
    applies_when: AppliesWhen | None
    checks: list[LoadedCheck]
    named: bool = False
    """Named with --rules: applied whatever applies-when says."""

    def applies_to(self, text: str) -> bool:
        if self.named or self.applies_when is None or self.applies_when.always:
            return True
        pattern = self.applies_when.text_matches
        return bool(pattern and re.search(pattern, text, re.IGNORECASE))


def parse_pack(data: Any, path: Path, lines: dict) -> RulePack:
    """Validate parsed YAML as a rule pack, naming file, line and dotted path on error."""
    if not isinstance(data, dict):
        raise RulePackError(f"{path}: a rule pack must be a YAML mapping with 'pack', 'version', 'title' and 'checks'")
    try:
        model = RulePackModel.model_validate(data)
    except ValidationError as exc:
        raise RulePackError(describe_validation_error(path, exc, lines)) from None
    checks: list[LoadedCheck] = []
    seen: set[str] = set()
    for i, spec in enumerate(model.checks):
        where = f"line {lines.get(('checks', i), '?')}, checks.{i}"
        if spec.id in seen:
            raise RulePackError(f"{path}: {where}.id: duplicate check id {spec.id!r}")
        seen.add(spec.id)
        kind = KINDS.get(spec.kind)
        if kind is None:
            known = ", ".join(sorted(KINDS))
            raise RulePackError(f"{path}: {where}.kind: unknown check kind {spec.kind!r}", f"known kinds: {known}")
        try:
            params = kind.params.model_validate(spec.params)
        except ValidationError as exc:
            detail = describe_validation_error(path, exc, {k[2:]: v for k, v in lines.items() if k[:2] == ("checks", i)})
            raise RulePackError(detail.replace(f"{path}: ", f"{path}: checks.{i} ({spec.id}): ", 1)) from None
        checks.append(LoadedCheck(spec, params))
    return RulePack(model.pack, model.version, model.title, path, model.applies_when, checks)


def bundled_packs() -> dict[str, Path]:
    """Pack name → file for every pack in the bundled rules folder."""
    folder = rules_dir()
    return {p.stem: p for p in sorted(folder.glob("*.yaml")) if p.name not in NOT_PACKS}


def load_pack(name_or_path: str) -> RulePack:
    """Load a pack by bundled name (e.g. 'magnesium-l-threonate') or by file path."""
    path = Path(name_or_path)
    looks_like_path = path.suffix in {".yaml", ".yml"} or "/" in name_or_path or path.exists()
    if not looks_like_path:
        packs = bundled_packs()
        if name_or_path not in packs:
            known = ", ".join(packs) or "none"
            raise RulePackError(f"unknown rule pack {name_or_path!r}", f"bundled packs: {known}; or give a path to a .yaml file")
        path = packs[name_or_path]
    data, lines = load_yaml_file(path)
    return parse_pack(data, path, lines)


def load_rules(names: list[str] | tuple[str, ...] | None = None) -> list[RulePack]:
    """The packs named (always applied), or every bundled pack (applied by its applies-when)."""
    if names:
        packs = [load_pack(n) for n in names]
        for pack in packs:
            pack.named = True
        return packs
    return [load_pack(str(p)) for p in bundled_packs().values()]
