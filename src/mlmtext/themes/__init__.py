"""Themes: the built-in trilingual taxonomy, supervised + zero-shot assignment, relevance, discovery.

``ThemeStage(config).run(documents, passages) -> ThemeResult`` is what the pipeline calls.
"""

from __future__ import annotations

from mlmtext.themes.stage import ThemeResult, ThemeRun, ThemeStage
from mlmtext.themes.taxonomy import Taxonomy, ThemeDef, load_taxonomy

__all__ = ["Taxonomy", "ThemeDef", "ThemeResult", "ThemeRun", "ThemeStage", "load_taxonomy"]
