"""Shared fixtures and helpers for the python-socketio interop suite.

The server under test is the Swift executable named by the environment variable
``INTEROP_SERVER_BIN`` (for instance ``.build/debug/socketio-interop-server``).
It is started once per test session as ``$INTEROP_SERVER_BIN --port 0`` and must
print exactly one line ``listening on 127.0.0.1:PORT`` on stdout once it is ready
(``ServerProcess`` in ``Tests/pysupport/server_process.py``).

The peer is python-socketio's ``AsyncClient`` (see docs/socketio-protocol.md §6).
The tests are plain synchronous pytest functions that drive the client with
``asyncio.run`` (pytest-asyncio is deliberately not used); the client helpers shared
with ``Tests/meetings_interop`` are in ``Tests/pysupport/sio_helpers.py``.
"""

from __future__ import annotations

import asyncio
import pathlib
import sys

import pytest
import socketio

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "pysupport"))  # shared helpers

from server_process import ServerProcess, executable_from_env, serve  # noqa: E402
from sio_helpers import (  # noqa: E402
    OP_TIMEOUT, TRANSPORT_MODES, Recorder, expected_transport, parametrize_transports,
    tear_down_engine, wait_transport, work_around_polling_close_race,
)

# --------------------------------------------------------------------------------------
# constants shared with the test module (exposed through the ``interop`` fixture)
# --------------------------------------------------------------------------------------

GOOD_AUTH = {"token": "secret"}
BAD_AUTH = {"token": "wrong"}

TEST_TIMEOUT = 45.0  # s, hard cap for the whole coroutine of one test
MAX_PAYLOAD = 100_000  # bytes, maxHttpBufferSize of the interop server binary

# Events the server emits to clients; every client created by ``Interop.client`` records them.
RECORDED_EVENTS = ("bin-back", "room-msg", "room-broadcast")


def pytest_generate_tests(metafunc):
    """Parametrize every test that takes a ``transports`` argument over the three modes."""
    parametrize_transports(metafunc)


# --------------------------------------------------------------------------------------
# server process
# --------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def server():
    binary = executable_from_env(
        "INTEROP_SERVER_BIN",
        "point it at the Swift interop server executable, e.g.\n"
        "  INTEROP_SERVER_BIN=/work/main/.build/debug/socketio-interop-server "
        ".venv/bin/python -m pytest Tests/interop",
    )
    srv = ServerProcess([binary, "--port", "0"], log_prefix="socketio-interop-server-")
    yield from serve(srv, "interop")


# --------------------------------------------------------------------------------------
# client helpers
# --------------------------------------------------------------------------------------


class Interop:
    """Helpers bound to the running server; available to tests as the ``interop`` fixture."""

    TRANSPORT_MODES = TRANSPORT_MODES
    GOOD_AUTH = GOOD_AUTH
    BAD_AUTH = BAD_AUTH
    OP_TIMEOUT = OP_TIMEOUT
    MAX_PAYLOAD = MAX_PAYLOAD

    def __init__(self, srv: ServerProcess):
        self.server = srv
        self.url = srv.url

    # ---- running coroutines -------------------------------------------------------------

    def run(self, coro_fn, *args, timeout: float = TEST_TIMEOUT):
        """Run ``coro_fn(*args)`` in a fresh event loop with an overall timeout."""

        async def main():
            task = asyncio.ensure_future(coro_fn(*args))
            done, _ = await asyncio.wait({task}, timeout=timeout)
            if not done:
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
                raise AssertionError(f"test coroutine did not finish within {timeout} s")
            return task.result()

        return asyncio.run(main())

    # ---- clients ------------------------------------------------------------------------

    def client(self) -> tuple[socketio.AsyncClient, Recorder]:
        """A new AsyncClient (no reconnection) with recording handlers on namespace ``/``.

        Recorded (as tuples of args): ``connect_error``, ``disconnect`` (with the reason),
        and the server events of RECORDED_EVENTS. The ``question`` event is answered with
        ``q.upper()`` (server -> client ack).
        """
        sio = socketio.AsyncClient(reconnection=False)
        work_around_polling_close_race(sio.eio)
        rec = Recorder()

        @sio.event
        async def connect_error(*args):
            rec.put("connect_error", args)

        @sio.event
        async def disconnect(*args):
            rec.put("disconnect", args)

        @sio.on("question")
        async def question(q):
            return q.upper()

        def make_handler(name):
            async def handler(*args):
                rec.put(name, args)

            return handler

        for name in RECORDED_EVENTS:
            sio.on(name, make_handler(name))
        return sio, rec

    async def connect(
        self,
        sio: socketio.AsyncClient,
        transports,
        auth=GOOD_AUTH,
        namespaces=None,
        timeout: float = 10.0,
    ):
        """``sio.connect`` with a hard timeout (the refused path includes a client shutdown)."""
        try:
            await asyncio.wait_for(
                sio.connect(
                    self.url,
                    auth=auth,
                    transports=list(transports),
                    namespaces=namespaces,
                    wait_timeout=OP_TIMEOUT,
                ),
                timeout,
            )
        except asyncio.TimeoutError:
            raise AssertionError(
                f"sio.connect(transports={list(transports)}, namespaces={namespaces}) did not return "
                f"within {timeout} s (when a namespace is refused this includes the client's Engine.IO "
                "shutdown: over polling the server must answer the pending GET once the client POSTs "
                "the close packet `1`)"
            ) from None

    wait_transport = staticmethod(wait_transport)
    expected_transport = staticmethod(expected_transport)

    async def close(self, sio: socketio.AsyncClient, timeout: float = OP_TIMEOUT) -> bool:
        """Disconnect ``sio``; never raises. Returns True for a clean close within ``timeout``.

        If the polling transport is wedged (e.g. the write loop died after an HTTP 413, so the
        close packet is never POSTed and the pending GET is never answered), the engine's
        background tasks are cancelled and its HTTP session closed by hand (``tear_down_engine``).
        """
        clean = True
        try:
            await asyncio.wait_for(sio.disconnect(), timeout)
        except (asyncio.TimeoutError, Exception):  # noqa: BLE001 - cleanup must not raise
            clean = False
        return await tear_down_engine(sio.eio) and clean


@pytest.fixture(scope="session")
def interop(server) -> Interop:
    return Interop(server)
