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
(its logs go to stderr, which is captured in a temporary file, shown for failing tests and
kept only when a test failed).
Without ``MEETINGS_SERVER_BIN`` the whole suite is skipped.

Tokens are HS256 JWTs signed here (``sign_jwt``) with the session's secret; no JWT package is
needed. REST calls use ``requests`` with timeouts. Socket.IO clients are python-socketio
``AsyncClient`` instances; the tests are plain synchronous pytest functions that drive them with
``asyncio.run`` (pytest-asyncio is deliberately not used), and every wait has a hard timeout.

Tests taking a ``transports`` argument are parametrized over three modes: websocket only,
polling only, and polling with an upgrade to websocket.
"""

from __future__ import annotations

import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import os
import queue
import re
import secrets
import subprocess
import tempfile
import threading
import time
import urllib.parse
from typing import Any

import pytest
import requests
import socketio

# --------------------------------------------------------------------------------------
# constants
# --------------------------------------------------------------------------------------

#: transports lists the socket tests are parametrized over; the key is the pytest id.
TRANSPORT_MODES = {
    "websocket": ["websocket"],
    "polling": ["polling"],
    "upgrade": ["polling", "websocket"],  # python-engineio's default: polling, then upgrade
}

SERVER_START_TIMEOUT = 60.0  # s, to read the "listening on" line
SERVER_STOP_TIMEOUT = 5.0  # s, between terminate() and kill()
HTTP_TIMEOUT = 10.0  # s, per REST request
OP_TIMEOUT = 5.0  # s, default for one client operation (connect, call, event wait)
TEST_TIMEOUT = 40.0  # s, hard cap for the whole coroutine of one test

_LISTEN_RE = re.compile(r"^listening on (\d{1,3}(?:\.\d{1,3}){3}):(\d+)$")


def pytest_generate_tests(metafunc):
    """Parametrize every test that takes a ``transports`` argument over the three modes."""
    if "transports" in metafunc.fixturenames:
        metafunc.parametrize(
            "transports",
            [list(v) for v in TRANSPORT_MODES.values()],
            ids=list(TRANSPORT_MODES),
        )


# --------------------------------------------------------------------------------------
# JWTs
# --------------------------------------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def sign_jwt(claims: dict, secret: bytes, alg: str = "HS256") -> str:
    """Encode ``claims`` as a compact JWT.

    ``alg="HS256"`` signs with ``secret``; ``alg="none"`` produces an unsigned token
    (``header.payload.``), which a server must refuse.
    """
    header = {"alg": alg, "typ": "JWT"}
    signing_input = (
        _b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + _b64url(json.dumps(claims, separators=(",", ":")).encode())
    )
    if alg == "HS256":
        signature = _b64url(hmac.new(secret, signing_input.encode("ascii"), hashlib.sha256).digest())
    elif alg == "none":
        signature = ""
    else:
        raise ValueError(f"unsupported alg {alg!r}")
    return f"{signing_input}.{signature}"


# --------------------------------------------------------------------------------------
# server process
# --------------------------------------------------------------------------------------


class ServerProcess:
    """The meetings server started by the session fixture, with its stderr in a log file."""

    def __init__(self, binary: str, secret: str):
        self.binary = binary
        self.secret = secret
        self.log = tempfile.NamedTemporaryFile(prefix="meetings-server-", suffix=".log", delete=False)
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
        # Drain stdout for the life of the process so the server can never block on a full
        # pipe; every line goes to the queue (the first one is the "listening on" line).
        assert self.proc is not None and self.proc.stdout is not None
        for raw in iter(self.proc.stdout.readline, b""):
            self._lines.put(raw.decode("utf-8", "replace"))
            try:
                self.log.write(b"[stdout] " + raw)
                self.log.flush()
            except (OSError, ValueError):
                pass
        self._lines.put(None)  # EOF

    def _fail(self, message: str):
        self.stop()
        pytest.fail(f"{message}\nserver log ({self.log.name}):\n{self.log_tail()}", pytrace=False)

    def start(self):
        env = dict(os.environ, JWT_SECRET=self.secret)
        self.proc = subprocess.Popen(
            [
                self.binary, "serve",
                "--port", "0",
                "--database-url", ":memory:",
                "--rate-limit-per-second", "0",
            ],
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self.log,
        )
        self._reader = threading.Thread(target=self._pump_stdout, daemon=True)
        self._reader.start()
        try:
            first = self._lines.get(timeout=SERVER_START_TIMEOUT)
        except queue.Empty:
            self._fail(
                f"{self.binary!r} did not print 'listening on 127.0.0.1:PORT' "
                f"within {SERVER_START_TIMEOUT:.0f} s"
            )
        if first is None:
            rc = self.proc.wait(timeout=SERVER_STOP_TIMEOUT)
            self._fail(f"{self.binary!r} exited (status {rc}) before printing its 'listening on' line")
        m = _LISTEN_RE.match(first.strip())
        if not m:
            self._fail(f"unexpected first stdout line {first!r} (expected 'listening on 127.0.0.1:PORT')")
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
        # Close the pipe only once the reader thread is done with it.
        if self.proc.stdout is not None and (self._reader is None or not self._reader.is_alive()):
            self.proc.stdout.close()
        try:
            self.log.close()
        except OSError:
            pass


_SERVER: ServerProcess | None = None  # for the failure report hook below


@pytest.fixture(scope="session")
def server(request):
    binary = os.environ.get("MEETINGS_SERVER_BIN")
    if not binary:
        pytest.skip(
            "MEETINGS_SERVER_BIN is not set: point it at the meetings server executable, e.g. "
            "MEETINGS_SERVER_BIN=.build/debug/meetings-server .venv/bin/python -m pytest "
            "Tests/meetings_interop"
        )
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        pytest.fail(f"MEETINGS_SERVER_BIN={binary!r} is not an executable file", pytrace=False)
    global _SERVER
    srv = ServerProcess(binary, secret=secrets.token_hex(24))  # 48 bytes, >= 32 required
    _SERVER = srv
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()
        _SERVER = None
        if srv.proc is not None and srv.proc.returncode not in (0, -15, 143):
            print(
                f"\n[meetings_interop] server exited with status {srv.proc.returncode}; "
                f"log: {srv.log.name}\n{srv.log_tail(2000)}"
            )
        elif request.session.testsfailed == 0:
            with contextlib.suppress(OSError):
                os.unlink(srv.log.name)  # keep the log only when something went wrong


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the tail of the server's log to the report of a failing test."""
    outcome = yield
    report = outcome.get_result()
    if report.failed and _SERVER is not None:
        report.sections.append(("meetings-server log (tail)", _SERVER.log_tail(3000)))


# --------------------------------------------------------------------------------------
# client side
# --------------------------------------------------------------------------------------


class Recorder:
    """Events received by one client: one asyncio.Queue per event name, plus the arrival order.

    Must be created inside the running event loop. Each item is the tuple of positional
    arguments the handler received (python-socketio passes one argument per payload item).
    """

    def __init__(self):
        self._queues: dict[str, asyncio.Queue] = {}
        self.log: list[tuple[str, tuple]] = []  # (event name, args), in arrival order

    def _q(self, name: str) -> asyncio.Queue:
        if name not in self._queues:
            self._queues[name] = asyncio.Queue()
        return self._queues[name]

    def put(self, name: str, args: tuple):
        self.log.append((name, args))
        self._q(name).put_nowait(args)

    async def get(self, name: str, timeout: float = OP_TIMEOUT) -> tuple:
        """The next unconsumed ``name`` event's arguments, waiting at most ``timeout``."""
        try:
            return await asyncio.wait_for(self._q(name).get(), timeout)
        except asyncio.TimeoutError:
            seen = [n for n, _ in self.log]
            raise AssertionError(
                f"no {name!r} event received within {timeout} s (events seen so far: {seen})"
            ) from None

    def pending(self, name: str) -> list[tuple]:
        """Every unconsumed ``name`` event right now (non-blocking; drains the queue)."""
        out, q = [], self._q(name)
        while not q.empty():
            out.append(q.get_nowait())
        return out


def _work_around_polling_close_race(eio) -> None:
    """Work around a python-engineio 4.15.1 client race (not a server bug).

    ``AsyncClient.disconnect()`` queues the close packet, sets ``state = 'disconnecting'`` and
    waits for the read loop. The polling write loop re-checks ``state == 'connected'`` only at
    the top of its loop, so when disconnect() runs while a POST is still in flight, the write
    loop exits without ever POSTing the close packet; the server's pending GET is then answered
    only at the next ping (25 s). This also hits refused connects, since ``sio.connect()`` calls
    ``disconnect()`` after a CONNECT_ERROR. (Same workaround as in ``Tests/interop``.)

    Workaround: before a graceful polling disconnect, wait (max 2 s) until every queued packet
    has been POSTed, so that the write loop is idle and picks the close packet up.
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


class Client:
    """One python-socketio ``AsyncClient`` (reconnection off) that records every event.

    ``connect_error`` and ``disconnect`` are recorded under their own names; every server
    event goes through a catch-all handler and is recorded under its event name.
    """

    def __init__(self, url: str, label: str):
        self.url = url
        self.label = label
        self.sio = socketio.AsyncClient(reconnection=False)
        _work_around_polling_close_race(self.sio.eio)
        self.rec = Recorder()

        @self.sio.event
        async def connect_error(*args):
            self.rec.put("connect_error", args)

        @self.sio.event
        async def disconnect(*args):
            self.rec.put("disconnect", args)

        @self.sio.on("*")
        async def catch_all(event, *args):
            self.rec.put(event, args)

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
        """Wait up to ``timeout`` for ``sio.transport()`` to become ``expected``; return the last value."""
        deadline = time.monotonic() + timeout
        while True:
            current = self.sio.transport()
            if current == expected or time.monotonic() >= deadline:
                return current
            await asyncio.sleep(0.05)

    async def emit(self, event: str, data: Any = None):
        """Emit ``event``; with ``data=None`` the event carries no payload at all."""
        await asyncio.wait_for(self.sio.emit(event, data), OP_TIMEOUT)

    async def call(self, event: str, data: Any = None, timeout: float = OP_TIMEOUT):
        """Emit ``event`` asking for an ack and return the ack's (single) argument."""
        try:
            return await self.sio.call(event, data, timeout=timeout)
        except socketio.exceptions.TimeoutError:
            raise AssertionError(f"[{self.label}] no ack for {event!r} within {timeout} s") from None

    async def event(self, name: str, timeout: float = OP_TIMEOUT) -> Any:
        """The payload of the next ``name`` event (which must carry exactly one argument)."""
        args = await self.rec.get(name, timeout)
        assert len(args) == 1, f"[{self.label}] {name!r} carried {len(args)} arguments: {args!r}"
        return args[0]

    async def close(self, timeout: float = OP_TIMEOUT) -> None:
        """Disconnect; never raises. If the transport is wedged, the engine's background tasks
        are cancelled and its HTTP session closed by hand so that the event loop can end."""
        try:
            await asyncio.wait_for(self.sio.disconnect(), timeout)
        except BaseException:  # noqa: BLE001 - cleanup must not raise
            pass
        eio = self.sio.eio
        for name in ("read_loop_task", "write_loop_task"):
            task = getattr(eio, name, None)
            if isinstance(task, asyncio.Future) and not task.done():
                task.cancel()
                try:
                    await asyncio.wait_for(task, 1.0)
                except BaseException:  # noqa: BLE001
                    pass
        try:
            if eio.state != "disconnected":
                eio.state = "disconnected"
            await eio._reset()  # closes the aiohttp session
        except Exception:  # noqa: BLE001
            pass


class Meetings:
    """Helpers bound to the running server; available to tests as the ``meetings`` fixture."""

    OP_TIMEOUT = OP_TIMEOUT

    def __init__(self, srv: ServerProcess):
        self.server = srv
        self.url = srv.url
        self.secret = srv.secret.encode()
        self._clients: list[Client] | None = None
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
        now = int(time.time())
        claims = {"userId": user_id, "type": type, "iat": now, "exp": now + int(ttl)}
        if name is not None:
            claims["name"] = name
        return sign_jwt(claims, self.secret if secret is None else secret, alg=alg)

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

    def run(self, coro_fn, *args, timeout: float = TEST_TIMEOUT):
        """Run ``coro_fn(*args)`` in a fresh event loop with an overall timeout; every client
        made with ``client()`` meanwhile is closed at the end, pass or fail."""

        async def main():
            self._clients = []
            try:
                return await asyncio.wait_for(coro_fn(*args), timeout)
            except asyncio.TimeoutError:
                raise AssertionError(f"test coroutine did not finish within {timeout} s") from None
            finally:
                clients, self._clients = self._clients, None
                await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)

        return asyncio.run(main())

    def client(self, label: str = "client") -> Client:
        """A new recording client; only valid inside ``run``."""
        assert self._clients is not None, "Meetings.client() must be called inside Meetings.run()"
        c = Client(self.url, label)
        self._clients.append(c)
        return c

    async def connected(self, transports, token: str, label: str = "client") -> Client:
        """A client connected with ``token`` in the auth payload; for the upgrade mode, also
        waits until the transport has been upgraded to websocket."""
        c = self.client(label)
        await c.connect(transports, token)
        expected = "polling" if list(transports) == ["polling"] else "websocket"
        current = await c.wait_transport(expected)
        assert current == expected, f"[{label}] transport is {current!r}, expected {expected!r}"
        return c


@pytest.fixture(scope="session")
def meetings(server) -> Meetings:
    return Meetings(server)
