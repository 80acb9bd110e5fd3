"""python-socketio client helpers shared by ``Tests/interop`` and ``Tests/meetings_interop``.

The tests drive python-socketio ``AsyncClient`` instances from plain synchronous pytest
functions with ``asyncio.run``; everything here that waits has a hard timeout.
"""

from __future__ import annotations

import asyncio
import time

OP_TIMEOUT = 5.0  # s, default for one client operation (connect, call, event wait)

#: transports lists the socket tests are parametrized over; the key is the pytest id.
TRANSPORT_MODES = {
    "websocket": ["websocket"],
    "polling": ["polling"],
    "upgrade": ["polling", "websocket"],  # python-engineio's default: polling, then upgrade
}


def parametrize_transports(metafunc) -> None:
    """For ``pytest_generate_tests``: parametrize a test taking ``transports`` over TRANSPORT_MODES."""
    if "transports" in metafunc.fixturenames:
        metafunc.parametrize(
            "transports",
            [list(v) for v in TRANSPORT_MODES.values()],
            ids=list(TRANSPORT_MODES),
        )


def expected_transport(transports) -> str:
    """The transport a client connected with ``transports`` ends up on (after any upgrade)."""
    return "polling" if list(transports) == ["polling"] else "websocket"


async def wait_transport(sio, expected: str, timeout: float = 3.0) -> str:
    """Wait up to ``timeout`` for ``sio.transport()`` to become ``expected``; return the last value."""
    deadline = time.monotonic() + timeout
    while True:
        current = sio.transport()
        if current == expected or time.monotonic() >= deadline:
            return current
        await asyncio.sleep(0.05)


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


def work_around_polling_close_race(eio) -> None:
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


async def tear_down_engine(eio) -> bool:
    """After ``disconnect()``: cancel the engine's read/write loop tasks that are still running
    and close its HTTP session by hand, so that the event loop can end. Never raises.

    Needed when the transport is wedged (e.g. the polling write loop died after an HTTP 413, so
    the close packet is never POSTed and the pending GET is never answered). Returns True when
    there was nothing left to tear down.
    """
    clean = True
    for name in ("read_loop_task", "write_loop_task"):
        task = getattr(eio, name, None)
        if isinstance(task, asyncio.Future) and not task.done():
            task.cancel()
            clean = False
            try:
                await asyncio.wait_for(task, 1.0)
            except BaseException:  # noqa: BLE001 - cleanup must not raise
                pass
    try:
        if eio.state != "disconnected":
            eio.state = "disconnected"
            clean = False
        await eio._reset()  # closes the aiohttp session
    except Exception:  # noqa: BLE001
        clean = False
    return clean


class RecordingClient:
    """A python-socketio ``AsyncClient`` (reconnection off) that records every event.

    ``connect_error`` and ``disconnect`` are recorded under their own names; every server
    event goes through a catch-all handler and is recorded under its event name. Suites
    subclass it with their own ``connect``.
    """

    def __init__(self, label: str):
        import socketio  # the venv's python-socketio; imported here so the module loads without it

        self.label = label
        self.sio = socketio.AsyncClient(reconnection=False)
        work_around_polling_close_race(self.sio.eio)
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

    async def call(self, event: str, data=None, timeout: float = OP_TIMEOUT):
        """Emit ``event`` asking for an ack and return the ack's (single) argument."""
        import socketio

        try:
            return await self.sio.call(event, data, timeout=timeout)
        except socketio.exceptions.TimeoutError:
            raise AssertionError(f"[{self.label}] no ack for {event!r} within {timeout} s") from None

    async def event(self, name: str, timeout: float = OP_TIMEOUT):
        """The payload of the next ``name`` event (which must carry exactly one argument)."""
        args = await self.rec.get(name, timeout)
        assert len(args) == 1, f"[{self.label}] {name!r} carried {len(args)} arguments: {args!r}"
        return args[0]


class ClientScope:
    """Runs a test's coroutine in a fresh event loop with an overall timeout, and closes every
    client made for it meanwhile (``track``), pass or fail."""

    default_timeout = 30.0
    _clients: list | None = None

    def run(self, coro_fn, *args, timeout: float | None = None):
        async def main():
            self._clients = []
            limit = timeout or self.default_timeout
            try:
                return await asyncio.wait_for(coro_fn(*args), limit)
            except asyncio.TimeoutError:
                raise AssertionError(f"test coroutine did not finish within {limit} s") from None
            finally:
                clients, self._clients = self._clients, None
                await asyncio.gather(*(c.close() for c in clients), return_exceptions=True)

        return asyncio.run(main())

    def track(self, client):
        """Registers a client to close at the end of ``run``; only valid inside it."""
        assert self._clients is not None, f"{type(self).__name__}: clients are made inside run()"
        self._clients.append(client)
        return client


class MeetingFollower:
    """A python-socketio client (reconnection on) that follows one meeting as an application
    would: it joins on every connect (first or after a reconnect, to the same node or another)
    and records ``("snapshot", seq)`` and ``("event", name, payload)`` in arrival order."""

    def __init__(self, url: str, token: str, meeting_id: str):
        import socketio

        self.url, self.token, self.meeting_id = url, token, meeting_id
        self.log: list[tuple] = []
        self.connects = 0
        self.sio = socketio.AsyncClient(reconnection=True, reconnection_delay=0.3, reconnection_delay_max=1)

        @self.sio.event
        async def connect():
            self.connects += 1
            await self.sio.emit("meeting:join", {"meetingId": meeting_id})

        @self.sio.on("*")
        async def catch_all(event, *args):
            if event == "meeting:joined":
                self.log.append(("snapshot", args[0]["state"]["seq"]))
            elif event.startswith("meeting:") and event != "meeting:left":
                self.log.append(("event", event, args[0]))

    async def start(self):
        await self.sio.connect(self.url, auth={"token": self.token}, transports=["websocket"], wait_timeout=10)

    def events(self) -> list[tuple[str, dict]]:
        return [(e[1], e[2]) for e in self.log if e[0] == "event"]

    async def close(self):
        """Disconnect; never raises."""
        try:
            await asyncio.wait_for(self.sio.disconnect(), 5)
        except BaseException:  # noqa: BLE001 - cleanup must not raise
            pass
        await tear_down_engine(self.sio.eio)
