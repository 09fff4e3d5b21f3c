"""The network really is off for every test in tests/verifier (see conftest.py there)."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_socket import SocketBlockedError

HERE = Path(__file__).resolve().parent
# pytest-socket warns as it refuses, and the suite turns warnings into errors.
REFUSED = (SocketBlockedError, UserWarning)


def test_every_test_here_is_marked_offline(request: pytest.FixtureRequest) -> None:
    here = [item for item in request.session.items if item.path.is_relative_to(HERE)]
    assert request.node in here
    assert all(item.get_closest_marker("disable_socket") for item in here)


@pytest.mark.parametrize(
    "attempt",
    [
        lambda: socket.socket(socket.AF_INET, socket.SOCK_STREAM),
        lambda: socket.create_connection(("127.0.0.1", 9), timeout=1),
        lambda: socket.getaddrinfo("localhost", 80),
        lambda: socket.socket(socket.AF_UNIX, socket.SOCK_STREAM),  # not even a Unix one
    ],
    ids=["socket", "connect", "resolve", "unix"],
)
def test_a_socket_attempt_fails(attempt: object) -> None:
    assert callable(attempt)
    with pytest.raises(REFUSED, match="A test tried to use socket"):
        attempt()


def test_a_process_still_runs_through_pipes() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "print(input()[::-1])"],
        input="enilffo",
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout == "offline\n"
