"""The claim categories of CLAIMS.md: ids (part of the report format), authorities and severity."""

from __future__ import annotations

from typing import Final

CATEGORIES: Final[tuple[str, ...]] = (
    "earnings",
    "lifestyle",
    "job-replacement",
    "passive-income",
    "financial-freedom",
    "guaranteed-easy",
    "recruitment-rewards",
    "health-cure",
    "urgency",
    "pyramid-denial",
)

_FTC_MLM = "FTC Business Guidance Concerning Multi-Level Marketing (2024)"
_DSSRC = "DSSRC Earnings Claims Guidance (2020)"

AUTHORITIES: Final[dict[str, tuple[str, ...]]] = {
    "earnings": (
        _FTC_MLM,
        _DSSRC,
        "DSA Code of Ethics A.8",
        "FTC proposed Earnings Claim Rule (Jan 2025, not final)",
    ),
    "lifestyle": (_FTC_MLM, _DSSRC),
    "job-replacement": (_FTC_MLM, "DSSRC Earnings Claims Guidance (2020): prohibited phrases"),
    "passive-income": (_DSSRC,),
    "financial-freedom": ("DSSRC Earnings Claims Guidance (2020): high-risk phrase",),
    "guaranteed-easy": (
        _DSSRC,
        "Russia 38-FZ art. 28 (financial services advertising)",
        "Bank of Russia: signs of a financial pyramid",
    ),
    "recruitment-rewards": (
        "FTC (Koscot test)",
        "EU UCPD Annex I point 14",
        "France Code de la consommation L121-15",
        "Russia KoAP 14.62",
        "Russia Criminal Code 172.2",
    ),
    "health-cure": (
        "EU UCPD Annex I point 17",
        "Russia 38-FZ art. 25 (dietary supplements)",
        "DSSRC product claims",
        "FTC health claims",
    ),
    "urgency": ("EU UCPD Annex I point 7",),
    "pyramid-denial": ("heuristic red flag (no rule behind it)",),
}

# Asserted claims in these categories are high severity whatever their wording (CLAIMS.md).
ALWAYS_HIGH: Final[frozenset[str]] = frozenset({"job-replacement", "health-cure", "recruitment-rewards"})
SEVERITY_ORDER: Final[dict[str, int]] = {"low": 0, "medium": 1, "high": 2}


def severity(category: str, stance: str, *, figure: bool) -> str:
    """high / medium / low per CLAIMS.md; only asserted claims can be above low."""
    if stance != "asserted":
        return "low"
    if category in ALWAYS_HIGH or (category == "earnings" and figure):
        return "high"
    return "medium"
