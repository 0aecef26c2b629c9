"""Hype-claim flagging (shared CLAIMS.md): rules per language, stance, a classifier, explained flags.

``ClaimFlagger(config).flag(document, passages)`` returns :class:`mlmtext.types.Flag` objects sorted by
start; :func:`risk_summary` counts asserted flags by severity.
"""

from __future__ import annotations

from mlmtext.claims.categories import AUTHORITIES, CATEGORIES
from mlmtext.claims.flagger import ClaimFlagger, risk_summary

__all__ = ["AUTHORITIES", "CATEGORIES", "ClaimFlagger", "risk_summary"]
