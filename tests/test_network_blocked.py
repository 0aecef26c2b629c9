import socket

import pytest

from tests.conftest import NetworkBlockedError


def test_sockets_are_blocked() -> None:
    with pytest.raises(NetworkBlockedError):
        socket.create_connection(("127.0.0.1", 9))
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with pytest.raises(NetworkBlockedError):
            s.connect(("93.184.216.34", 80))
    finally:
        s.close()
