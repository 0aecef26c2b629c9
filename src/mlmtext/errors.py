"""Errors a user can cause, each with a stable code and a message that says what to do."""

from __future__ import annotations


class MlmtextError(Exception):
    """Base class. ``code`` is stable across versions; the message is for humans."""

    code = "E000"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return f"[{self.code}] {self.message}"


class InputError(MlmtextError):
    """A path given by the user does not exist or cannot be used."""

    code = "E001"


class ConfigError(MlmtextError):
    """An option or option combination is invalid."""

    code = "E002"


class TaxonomyError(MlmtextError):
    """A theme taxonomy file is malformed (the message names the file and entry)."""

    code = "E003"


class RuleError(MlmtextError):
    """A claim rule file is malformed (the message names the file and rule id)."""

    code = "E004"


class BackendUnavailableError(MlmtextError):
    """An optional backend (embedder, language identifier) is not installed or cannot load offline."""

    code = "E005"


class ModelNotFittedError(MlmtextError):
    """An estimator was used before ``fit`` (or before its saved state was loaded)."""

    code = "E006"


class ReportError(MlmtextError):
    """A report or index file cannot be read."""

    code = "E007"
