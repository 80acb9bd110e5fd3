"""Fixtures and helpers for the meetings-server interop suite (python-socketio as the client).

This suite re-creates the two lost test scripts of the original Node meetings service
(``test-websocket-events.js`` and ``test-websocket-integration.js``, see
``/work/shared/seed/000_2fef271e458f6755.txt``) against the contract in
``/work/shared/spec/meetings-api.md``.

The server under test is the executable named by ``MEETINGS_SERVER_BIN`` (for instance
``.build/debug/meetings-server``). It is started once per test session as::

    JWT_SECRET=<random> $MEETINGS_SERVER_BIN serve --port 0 --database-url :memory: \\
        --rate-limit-per-second 0

and must print exactly one line ``listening on 127.0.0.1:PORT`` on stdout once it is ready
(``MeetingsServer`` in ``Tests/pysupport/meetings.py``, shared with ``Tests/tui_e2e``, over
``ServerProcess`` in ``Tests/pysupport/server_process.py``). Its logs go to stderr, which is
captured in a temporary file, shown for failing tests and kept only when a test failed.
Without ``MEETINGS_SERVER_BIN`` the whole suite is skipped.

Tokens are HS256 JWTs signed with the session's secret (``access_token`` in
``Tests/pysupport/meetings.py``); no JWT package is needed. REST calls use ``requests`` with
timeouts. Socket.IO clients are python-socketio ``AsyncClient`` instances; the tests are plain
synchronous pytest functions that drive them with ``asyncio.run`` (pytest-asyncio is deliberately
not used), and every wait has a hard timeout; the client helpers shared with ``Tests/interop`` are
in ``Tests/pysupport/sio_helpers.py``.

Tests taking a ``transports`` argument are parametrized over three modes: websocket only,
polling only, and polling with an upgrade to websocket.
"""

from __future__ import annotations

import asyncio
import pathlib
import sys
import urllib.parse
from typing import Any

import pytest
import requests
import socketio

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "pysupport"))  # shared helpers

from meetings import MeetingsServer, access_token  # noqa: E402
from server_process import ServerProcess, executable_from_env  # noqa: E402
from sio_helpers import (  # noqa: E402
    ClientScope,
    RecordingClient,
    OP_TIMEOUT, expected_transport, parametrize_transports, tear_down_engine, wait_transport,
)

# --------------------------------------------------------------------------------------
# constants
# --------------------------------------------------------------------------------------

HTTP_TIMEOUT = 10.0  # s, per REST request
TEST_TIMEOUT = 40.0  # s, hard cap for the whole coroutine of one test


def pytest_generate_tests(metafunc):
    """Parametrize every test that takes a ``transports`` argument over the three modes."""
    parametrize_transports(metafunc)


# --------------------------------------------------------------------------------------
# server process
# --------------------------------------------------------------------------------------


SERVER = MeetingsServer("meetings_interop", log_prefix="meetings-server-")


@pytest.fixture(scope="session")
def server(request):
    binary = executable_from_env(
        "MEETINGS_SERVER_BIN",
        "point it at the meetings server executable, e.g. "
        "MEETINGS_SERVER_BIN=.build/debug/meetings-server .venv/bin/python -m pytest "
        "Tests/meetings_interop",
        skip_if_unset=True,
    )
    yield from SERVER.serve(binary, request.session)  # keeps the log only if a test failed


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the tail of the server's log to the report of a failing test."""
    yield from SERVER.attach_log_tail()


# --------------------------------------------------------------------------------------
# client side
# --------------------------------------------------------------------------------------


class Client(RecordingClient):
    """A recording client of the meetings server (see ``RecordingClient``)."""

    def __init__(self, url: str, label: str):
        super().__init__(label)
        self.url = url

    async def connect(
        self,
        transports,
        token: str | None = None,
        *,
        headers: dict | None = None,
        query: dict | None = None,
        timeout: float = 10.0,
    ):
        """Connect to namespace ``/`` with ``{"token": token}`` as the auth payload (no auth
        payload when ``token`` is None), optional handshake headers and URL query parameters.

        Raises ``socketio.exceptions.ConnectionError`` when the server refuses the connection.
        """
        url = self.url
        if query:
            url += "/?" + urllib.parse.urlencode(query)
        try:
            await asyncio.wait_for(
                self.sio.connect(
                    url,
                    headers=headers or {},
                    auth={"token": token} if token is not None else None,
                    transports=list(transports),
                    wait_timeout=OP_TIMEOUT,
                ),
                timeout,
            )
        except asyncio.TimeoutError:
            raise AssertionError(
                f"[{self.label}] sio.connect(transports={list(transports)}) did not return within {timeout} s"
            ) from None

    async def wait_transport(self, expected: str, timeout: float = 3.0) -> str:
        """Wait up to ``timeout`` for the transport to become ``expected``; return the last value."""
        return await wait_transport(self.sio, expected, timeout)

    async def emit(self, event: str, data: Any = None):
        """Emit ``event``; with ``data=None`` the event carries no payload at all."""
        await asyncio.wait_for(self.sio.emit(event, data), OP_TIMEOUT)

    async def close(self, timeout: float = OP_TIMEOUT) -> None:
        """Disconnect; never raises. If the transport is wedged, the engine's background tasks
        are cancelled and its HTTP session closed by hand so that the event loop can end."""
        try:
            await asyncio.wait_for(self.sio.disconnect(), timeout)
        except BaseException:  # noqa: BLE001 - cleanup must not raise
            pass
        await tear_down_engine(self.sio.eio)


class Meetings(ClientScope):
    """Helpers bound to the running server; available to tests as the ``meetings`` fixture."""

    OP_TIMEOUT = OP_TIMEOUT
    default_timeout = TEST_TIMEOUT

    def __init__(self, srv: ServerProcess):
        self.server = srv
        self.url = srv.url
        self.secret = srv.env["JWT_SECRET"].encode()
        self._http = requests.Session()

    # ---- tokens -------------------------------------------------------------------------

    def token(
        self,
        user_id: str,
        *,
        name: str | None = None,
        type: str = "access",  # noqa: A002 - the claim is called "type"
        ttl: float = 3600,
        secret: bytes | None = None,
        alg: str = "HS256",
    ) -> str:
        """A JWT for ``user_id``; by default a valid access token for the session's secret.

        A negative ``ttl`` gives an expired token; ``secret`` signs with another key.
        """
        key = self.secret if secret is None else secret
        return access_token(key, user_id, name, type=type, ttl=ttl, alg=alg)

    # ---- REST ---------------------------------------------------------------------------

    def rest(self, method: str, path: str, token: str | None = None, json_body: Any = None,
             expect: int | None = 200) -> Any:
        """One REST call; asserts the status (unless ``expect`` is None) and returns the JSON body."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        resp = self._http.request(
            method, self.url + path, headers=headers, json=json_body, timeout=HTTP_TIMEOUT
        )
        if expect is not None:
            assert resp.status_code == expect, (
                f"{method} {path} -> {resp.status_code} (expected {expect}): {resp.text[:500]}"
            )
        return resp.json() if resp.content else None

    async def arest(self, *args, **kwargs) -> Any:
        """``rest`` run in a worker thread, so the clients' event loop keeps running meanwhile."""
        return await asyncio.to_thread(self.rest, *args, **kwargs)

    def create_meeting(self, host_token: str, title: str = "Weekly sync") -> dict:
        """POST /api/meetings; returns the 201 snapshot."""
        snap = self.rest("POST", "/api/meetings", host_token, {"title": title}, expect=201)
        assert isinstance(snap, dict) and snap.get("id"), f"create meeting returned {snap!r}"
        return snap

    # ---- running coroutines and clients --------------------------------------------------

    def client(self, label: str = "client") -> Client:
        """A new recording client; only valid inside ``run``."""
        c = Client(self.url, label)
        return self.track(c)

    async def connected(self, transports, token: str, label: str = "client") -> Client:
        """A client connected with ``token`` in the auth payload; for the upgrade mode, also
        waits until the transport has been upgraded to websocket."""
        c = self.client(label)
        await c.connect(transports, token)
        expected = expected_transport(transports)
        current = await c.wait_transport(expected)
        assert current == expected, f"[{label}] transport is {current!r}, expected {expected!r}"
        return c


@pytest.fixture(scope="session")
def meetings(server) -> Meetings:
    return Meetings(server)
