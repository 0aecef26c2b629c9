"""Why a file (or one row of it) produced no document: raised inside readers, turned into ``Skipped``."""

from __future__ import annotations


class ReadProblem(Exception):
    """A reader's refusal with a stable ``code`` (see ``mlmtext.types.Skipped``) and a human reason."""

    def __init__(self, code: str, reason: str) -> None:
        super().__init__(reason)
        self.code = code
        self.reason = reason
