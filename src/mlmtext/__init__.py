"""mlmtext: mine multilingual network-marketing content (language, passages, themes, hype claims)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from mlmtext.config import AnalyzeConfig
    from mlmtext.report.summary import Summary
    from mlmtext.types import Report

__all__ = ["AnalyzeConfig", "__version__", "analyze", "analyze_to"]


def analyze(paths: Any, config: AnalyzeConfig | None = None, **kwargs: Any) -> Report:
    """Analyse files and folders; see :func:`mlmtext.pipeline.analyze`."""
    from mlmtext.pipeline import analyze as _analyze

    return _analyze(paths, config, **kwargs)


def analyze_to(paths: Any, out_dir: Any, config: AnalyzeConfig | None = None, **kwargs: Any) -> Summary:
    """Analyse and write ``out_dir/report.json`` batch by batch; see :func:`mlmtext.pipeline.analyze_to`."""
    from mlmtext.pipeline import analyze_to as _analyze_to

    return _analyze_to(paths, out_dir, config, **kwargs)


def __getattr__(name: str) -> Any:
    if name == "AnalyzeConfig":
        from mlmtext.config import AnalyzeConfig

        return AnalyzeConfig
    raise AttributeError(name)
