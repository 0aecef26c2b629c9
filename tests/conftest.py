"""Suite-wide fixtures. Network access is blocked for every test, at import time of this file."""

from __future__ import annotations

import socket
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLE = ROOT / "corpora" / "sample"


class NetworkBlockedError(RuntimeError):
    pass


def _refuse(*args: Any, **kwargs: Any) -> Any:
    raise NetworkBlockedError(f"network access attempted in tests: {args!r}")


_real_connect = socket.socket.connect


def _connect(self: socket.socket, address: Any) -> Any:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        _refuse(address)
    return _real_connect(self, address)


socket.socket.connect = _connect  # type: ignore[method-assign]
socket.socket.connect_ex = _connect  # type: ignore[method-assign,assignment]
socket.create_connection = _refuse
socket.getaddrinfo = _refuse


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the project")
    return SHARED
