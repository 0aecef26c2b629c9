"""`analyze` with every stage on opens no socket at all (models come from installed packages)."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

import mlmtext
from mlmtext.config import AnalyzeConfig


def test_full_analyze_creates_no_socket(monkeypatch: pytest.MonkeyPatch, sample_dir: Path,
                                        tmp_path: Path) -> None:
    created: list[tuple[Any, ...]] = []
    real_socket = socket.socket

    class RecordingSocket(real_socket):  # type: ignore[misc,valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            created.append(args)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(socket, "socket", RecordingSocket)
    files = [sample_dir / "fr" / "01-blog-lapins-presentation.txt", sample_dir / "ru" / "02-social-dohod.txt",
             sample_dir / "en" / "04-pitch-passive-income.txt"]
    report = mlmtext.analyze(files, AnalyzeConfig(cache_dir=str(tmp_path / "cache")))
    assert len(report.documents) == 3
    assert any(d.themes for d in report.documents)  # the theme stage really ran
    assert any(d.flags for d in report.documents)  # and so did the flagger
    assert created == []
