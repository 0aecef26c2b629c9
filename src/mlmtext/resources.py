"""Where the package's own data lives: the fitted models ship inside it, so a wheel carries them."""

from __future__ import annotations

from pathlib import Path

MODELS_DIR = Path(__file__).resolve().parent / "models"
