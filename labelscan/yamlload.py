"""Safe YAML loading for rule packs and catalogues, with line numbers for error messages."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .errors import LabelscanError, RulePackError

MAX_RULE_FILE_BYTES = 1_000_000

LineIndex = dict[tuple[str | int, ...], int]
"""Dotted path (as a tuple of keys and list indices) → 1-based line number."""


def _index_lines(node: yaml.Node, path: tuple[str | int, ...], out: LineIndex) -> None:
    out[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, yaml.ScalarNode) else str(key_node.value)
            out[path + (key,)] = key_node.start_mark.line + 1
            _index_lines(value_node, path + (key,), out)
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, path + (i,), out)


def load_yaml_text(text: str, name: str) -> tuple[Any, LineIndex]:
    """Parse YAML safely (no tags that build objects, no aliases), returning the data and a line index."""
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise RulePackError(f"{name}: line {event.start_mark.line + 1}: YAML aliases (*name) are not allowed in rule files", "write the value out in full")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except RecursionError:
        raise RulePackError(f"{name}: nested too deeply to be a rule pack", "simplify the file") from None
    except yaml.constructor.ConstructorError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "somewhere"
        raise RulePackError(f"{name}: {where}: YAML tags that build objects are not allowed ({exc.problem})",
                            "rule packs hold plain data: remove the !! tag") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "somewhere"
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise RulePackError(f"{name}: {where}: not valid YAML ({problem})", "fix the YAML syntax") from None
    lines: LineIndex = {}
    if node is not None:
        try:
            _index_lines(node, (), lines)
        except RecursionError:
            raise RulePackError(f"{name}: nested too deeply to be a rule pack", "simplify the file") from None
    return data, lines


def load_yaml_file(path: Path, what: str = "rule", error: type[LabelscanError] = RulePackError,
                   missing_hint: str = "check the path or run 'labelscan rules list'") -> tuple[Any, LineIndex]:
    """Read and safely parse a YAML file (a rule pack, a spec…), with a clear `error` for a missing, huge,
    unreadable or non-text file; `what` names the kind of file in the messages."""
    try:
        if path.stat().st_size > MAX_RULE_FILE_BYTES:
            raise error(f"{path}: {what} file is larger than {MAX_RULE_FILE_BYTES} bytes", f"is this really a {what} file?")
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise error(f"{path}: {what} file not found", missing_hint) from None
    except IsADirectoryError:
        raise error(f"{path}: is a folder, not a {what} file", "name a .yaml file") from None
    except UnicodeDecodeError:
        raise error(f"{path}: not a text file", f"a {what} file is UTF-8 YAML") from None
    except OSError as exc:
        raise error(f"{path}: cannot read {what} file ({exc.strerror})", "check its permissions") from None
    try:
        return load_yaml_text(text, str(path))
    except RulePackError as exc:
        if error is RulePackError:
            raise
        raise error(exc.message.replace("rule files", f"{what} files").replace("a rule pack", f"a {what} file"), exc.hint) from None


def describe_validation_error(name: Path | str, exc: ValidationError, lines: LineIndex) -> str:
    """One line naming the file, the line and dotted path, and what is wrong, for the first few errors."""
    parts: list[str] = []
    for err in exc.errors()[:3]:
        loc = tuple(err["loc"])
        line = None
        for cut in range(len(loc), -1, -1):
            line = lines.get(loc[:cut])
            if line is not None:
                break
        dotted = ".".join(str(p) for p in loc) or "(top level)"
        msg = err["msg"]
        if err["type"] == "extra_forbidden":
            msg = "unknown key"
        where = f"line {line}, " if line else ""
        parts.append(f"{where}{dotted}: {msg}")
    more = len(exc.errors()) - 3
    suffix = f" (and {more} more)" if more > 0 else ""
    return f"{name}: " + "; ".join(parts) + suffix
