"""Exit codes and the exceptions that carry one, so every failure maps to one clear line."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The documented exit codes of every labelscan command."""

    OK = 0
    FAILED = 1
    """At least one input failed or needs review (see --fail-on)."""
    USAGE = 2
    MISSING_DEPENDENCY = 3
    UNREADABLE_INPUT = 4
    INVALID_RULES = 5
    INTERRUPTED = 130


class LabelscanError(Exception):
    """An error with a one-line message for the user and the exit code it maps to."""

    exit_code: ExitCode = ExitCode.FAILED

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message}: {self.hint}" if self.hint else self.message


class UnreadableInputError(LabelscanError):
    """The input file is missing, unreadable, of the wrong type, corrupt or too large."""

    exit_code = ExitCode.UNREADABLE_INPUT


class MissingDependencyError(LabelscanError):
    """An OCR engine or another needed program is not installed."""

    exit_code = ExitCode.MISSING_DEPENDENCY


class RulePackError(LabelscanError):
    """A rule pack (or the seal catalogue) is missing or invalid."""

    exit_code = ExitCode.INVALID_RULES


class UsageError(LabelscanError):
    """The command line asks for something that does not exist (an unknown format, engine…)."""

    exit_code = ExitCode.USAGE


class OcrError(LabelscanError):
    """The OCR engine crashed, timed out or returned nothing usable for one image."""

    exit_code = ExitCode.UNREADABLE_INPUT
