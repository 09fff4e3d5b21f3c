"""Every test in tests/verifier runs with the network off (pytest-socket): the verifier
works offline, and a test here that reached for a socket would hide it if it did not.

Not even Unix sockets are allowed: nothing here needs one. The tests that run the verifier
as a process talk to it through pipes, which are not sockets; an asyncio event loop would
need a socket pair, and no test here runs one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    # Called with the whole session's items, from every conftest: only this folder's.
    for item in items:
        if not item.path.is_relative_to(HERE):
            continue
        fixtures = getattr(item, "fixturenames", ())
        if item.get_closest_marker("enable_socket") or "socket_enabled" in fixtures:
            raise pytest.UsageError(f"{item.nodeid}: the verifier's tests run offline")
        item.add_marker(pytest.mark.disable_socket)
