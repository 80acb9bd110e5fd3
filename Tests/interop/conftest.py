"""Shared fixtures and helpers for the python-socketio interop suite.

The server under test is the Swift executable named by the environment variable
``INTEROP_SERVER_BIN`` (for instance ``.build/debug/socketio-interop-server``).
It is started once per test session as ``$INTEROP_SERVER_BIN --port 0`` and must
print exactly one line ``listening on 127.0.0.1:PORT`` on stdout once it is ready.

The peer is python-socketio's ``AsyncClient`` (see docs/socketio-protocol.md §6).
The tests are plain synchronous pytest functions that drive the client with
``asyncio.run`` (pytest-asyncio is deliberately not used).
"""

from __future__ import annotations

import asyncio
import os
import queue
import re
import subprocess
import tempfile
import threading
import time

import pytest
import socketio

# --------------------------------------------------------------------------------------
# constants shared with the test module (exposed through the ``interop`` fixture)
# --------------------------------------------------------------------------------------

#: transports lists the tests are parametrized over; the key is the pytest id.
TRANSPORT_MODES = {
    "websocket": ["websocket"],
    "polling": ["polling"],
    "upgrade": ["polling", "websocket"],  # python-engineio's default: polling, then upgrade
}

GOOD_AUTH = {"token": "secret"}
BAD_AUTH = {"token": "wrong"}

SERVER_START_TIMEOUT = 60.0  # s, to read the "listening on" line
SERVER_STOP_TIMEOUT = 5.0  # s, between terminate() and kill()
OP_TIMEOUT = 5.0  # s, default for a single client operation (connect, call, event wait)
TEST_TIMEOUT = 45.0  # s, hard cap for the whole coroutine of one test
MAX_PAYLOAD = 100_000  # bytes, maxHttpBufferSize of the interop server binary

# Events the server emits to clients; every client created by ``Interop.client`` records them.
RECORDED_EVENTS = ("bin-back", "room-msg", "room-broadcast")

_LISTEN_RE = re.compile(r"listening on (\d{1,3}(?:\.\d{1,3}){3}):(\d+)")


def pytest_generate_tests(metafunc):
    """Parametrize every test that takes a ``transports`` argument over the three modes."""
    if "transports" in metafunc.fixturenames:
        metafunc.parametrize(
            "transports",
            [list(v) for v in TRANSPORT_MODES.values()],
            ids=list(TRANSPORT_MODES),
        )


# --------------------------------------------------------------------------------------
# server process
# --------------------------------------------------------------------------------------


class ServerProcess:
    """The Swift server started by the session fixture."""

    def __init__(self, binary: str):
        self.binary = binary
        self.log = tempfile.NamedTemporaryFile(
            prefix="socketio-interop-server-", suffix=".log", delete=False
        )
        self.proc: subprocess.Popen | None = None
        self.host = "127.0.0.1"
        self.port: int | None = None
        self._lines: queue.Queue = queue.Queue()
        self._reader: threading.Thread | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def log_tail(self, limit: int = 4000) -> str:
        try:
            with open(self.log.name, "rb") as f:
                data = f.read()
        except OSError:
            return ""
        return data[-limit:].decode("utf-8", "replace")

    def _pump_stdout(self):
        # Keep draining stdout for the life of the process so that the server can never
        # block on a full pipe; the first line goes to the queue, everything is logged.
        assert self.proc is not None and self.proc.stdout is not None
        for raw in iter(self.proc.stdout.readline, b""):
            line = raw.decode("utf-8", "replace")
            self._lines.put(line)
            try:
                self.log.write(b"[stdout] " + raw)
                self.log.flush()
            except (OSError, ValueError):
                pass
        self._lines.put(None)  # EOF

    def start(self):
        self.proc = subprocess.Popen(
            [self.binary, "--port", "0"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self.log,
        )
        self._reader = threading.Thread(target=self._pump_stdout, daemon=True)
        self._reader.start()
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        first = None
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                self.stop()
                pytest.fail(
                    f"interop server {self.binary!r} did not print 'listening on 127.0.0.1:PORT' "
                    f"within {SERVER_START_TIMEOUT:.0f} s.\nserver log ({self.log.name}):\n{self.log_tail()}",
                    pytrace=False,
                )
            try:
                first = self._lines.get(timeout=min(remaining, 0.5))
            except queue.Empty:
                continue
            break
        if first is None:
            rc = self.proc.wait(timeout=5)
            pytest.fail(
                f"interop server {self.binary!r} exited (status {rc}) before printing its "
                f"'listening on' line.\nserver log ({self.log.name}):\n{self.log_tail()}",
                pytrace=False,
            )
        m = _LISTEN_RE.search(first)
        if not m:
            self.stop()
            pytest.fail(
                f"unexpected first stdout line from the interop server: {first!r} "
                f"(expected 'listening on 127.0.0.1:PORT')\nserver log:\n{self.log_tail()}",
                pytrace=False,
            )
        self.host, self.port = m.group(1), int(m.group(2))
        assert self.port > 0, f"server reported port {self.port} (must be the bound port, not 0)"

    def stop(self):
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=SERVER_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=SERVER_STOP_TIMEOUT)
        if self._reader is not None:
            self._reader.join(timeout=2)
        # Close the pipe only once the reader thread is done with it (closing a buffered pipe
        # that another thread is blocked reading would block too, e.g. if a grandchild holds it).
        if self.proc.stdout is not None and (self._reader is None or not self._reader.is_alive()):
            self.proc.stdout.close()
        try:
            self.log.close()
        except OSError:
            pass


@pytest.fixture(scope="session")
def server():
    binary = os.environ.get("INTEROP_SERVER_BIN")
    if not binary:
        pytest.fail(
            "INTEROP_SERVER_BIN is not set: point it at the Swift interop server executable, e.g.\n"
            "  INTEROP_SERVER_BIN=/work/main/.build/debug/socketio-interop-server "
            ".venv/bin/python -m pytest Tests/interop",
            pytrace=False,
        )
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        pytest.fail(f"INTEROP_SERVER_BIN={binary!r} is not an executable file", pytrace=False)
    srv = ServerProcess(binary)
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()
        if srv.proc is not None and srv.proc.returncode not in (0, -15, 143):
            # Not fatal for the tests, but worth seeing in the output (e.g. a crash on SIGTERM).
            print(
                f"\n[interop] server exited with status {srv.proc.returncode}; log: {srv.log.name}\n"
                f"{srv.log_tail(2000)}"
            )


# --------------------------------------------------------------------------------------
# client helpers
# --------------------------------------------------------------------------------------


class Recorder:
    """Collects events received by one client, one asyncio.Queue per event name.

    Must be created inside the running event loop (i.e. inside the test coroutine).
    Each queued item is the tuple of positional arguments the handler received.
    """

    def __init__(self):
        self._queues: dict[str, asyncio.Queue] = {}

    def q(self, name: str) -> asyncio.Queue:
        if name not in self._queues:
            self._queues[name] = asyncio.Queue()
        return self._queues[name]

    def put(self, name: str, args: tuple):
        self.q(name).put_nowait(args)

    async def get(self, name: str, timeout: float = OP_TIMEOUT) -> tuple:
        try:
            return await asyncio.wait_for(self.q(name).get(), timeout)
        except asyncio.TimeoutError:
            raise AssertionError(f"no {name!r} event received within {timeout} s") from None

    def pending(self, name: str) -> list:
        """Everything queued for ``name`` right now (non-blocking, drains the queue)."""
        out = []
        q = self.q(name)
        while not q.empty():
            out.append(q.get_nowait())
        return out


def _work_around_polling_close_race(eio) -> None:
    """Work around a python-engineio 4.15.1 client race (not a server bug).

    ``AsyncClient.disconnect()`` queues the close packet(s), sets ``state = 'disconnecting'`` and
    waits for the read loop. The polling write loop only re-checks ``state == 'connected'`` at the
    top of its loop, so when disconnect() runs while a POST is still in flight (typically: the ack
    of the last ``call`` arrives in the GET before the POST that carried the event got its
    ``ok``), the write loop exits without ever POSTing ``41``/``1``. The server never learns about
    the close, its pending GET is answered only at the next ping (25 s), and the client's
    disconnect() hangs until then. Observed in ~5 % of polling disconnects and refused polling
    connects (sio.connect() calls disconnect() internally after a CONNECT_ERROR).

    Workaround: before a graceful polling disconnect, wait (max 2 s) until every queued packet
    has been POSTed, so that the write loop is idle and picks the close packets up.
    """
    original = eio.disconnect

    async def disconnect(abort=False, reason=None):
        if (
            not abort
            and eio.state == "connected"
            and eio.current_transport == "polling"
            and eio.write_loop_task is not None
        ):
            try:
                await asyncio.wait_for(eio.queue.join(), 2.0)
            except asyncio.TimeoutError:
                pass
        return await original(abort=abort, reason=reason)

    eio.disconnect = disconnect


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
        _work_around_polling_close_race(sio.eio)
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

    async def wait_transport(self, sio: socketio.AsyncClient, expected: str, timeout: float = 3.0) -> str:
        """Wait up to ``timeout`` for ``sio.transport()`` to become ``expected``; return the last value."""
        deadline = time.monotonic() + timeout
        while True:
            current = sio.transport()
            if current == expected or time.monotonic() >= deadline:
                return current
            await asyncio.sleep(0.05)

    @staticmethod
    def expected_transport(transports) -> str:
        return "polling" if list(transports) == ["polling"] else "websocket"

    async def close(self, sio: socketio.AsyncClient, timeout: float = OP_TIMEOUT) -> bool:
        """Disconnect ``sio``; never raises. Returns True for a clean close within ``timeout``.

        If the polling transport is wedged (e.g. the write loop died after an HTTP 413, so the
        close packet is never POSTed and the pending GET is never answered), the engine's
        background tasks are cancelled and its HTTP session closed by hand.
        """
        clean = True
        try:
            await asyncio.wait_for(sio.disconnect(), timeout)
        except (asyncio.TimeoutError, Exception):  # noqa: BLE001 - cleanup must not raise
            clean = False
        eio = sio.eio
        for name in ("read_loop_task", "write_loop_task"):
            task = getattr(eio, name, None)
            if isinstance(task, asyncio.Future) and not task.done():
                task.cancel()
                clean = False
                try:
                    await asyncio.wait_for(task, 1.0)
                except BaseException:  # noqa: BLE001
                    pass
        try:
            if eio.state != "disconnected":
                eio.state = "disconnected"
                clean = False
            await eio._reset()  # closes the aiohttp session
        except Exception:  # noqa: BLE001
            clean = False
        return clean


@pytest.fixture(scope="session")
def interop(server) -> Interop:
    return Interop(server)
