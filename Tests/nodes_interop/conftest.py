"""Fixtures and helpers for the two-node suite: two meetings servers sharing one PostgreSQL database.

With ``DATABASE_URL=postgres://…`` several server processes ("nodes") share one database: every
committed event comes back to every node from PostgreSQL in commit order, presence counts the
sockets of every node, and the sockets of a node silent for 10 s (killed) are dropped by another
node (``meeting:presence-updated online:false`` once per affected user, then, after the grace
period, ``meeting:participant-left reason:timeout``).

Each test gets a fresh database ``nodes_<random>`` on the PostgreSQL server named by
``MEETINGS_TEST_POSTGRES_URL`` (an admin URL such as ``postgres://postgres@127.0.0.1:PORT/postgres``,
as printed by ``scripts/postgres start DIR``; ``scripts/test`` exports it), created and dropped
with ``psql``, and two server processes, node A and node B, started one after the other as::

    JWT_SECRET=<random, the same for both> $MEETINGS_SERVER_BIN serve --port 0 \\
        --database-url postgres://…/nodes_<random> --rate-limit-per-second 0 \\
        --presence-grace-seconds 2

through ``SharedDatabaseNodes`` (``Tests/pysupport/postgres_nodes.py``). Both are stopped when the
test ends, pass or fail (a node the test killed is only reaped); the database is then dropped. The
logs of both nodes are attached to the report of a failing test and kept only then.

The whole suite is skipped (with the reason) unless both ``MEETINGS_SERVER_BIN`` and
``MEETINGS_TEST_POSTGRES_URL`` are set.

Tokens are HS256 JWTs signed with the shared secret (``access_token`` in
``Tests/pysupport/meetings.py``). REST calls use ``requests`` with timeouts. Socket.IO clients are
python-socketio ``AsyncClient`` instances driven from plain synchronous tests with ``asyncio.run``;
every wait has a hard timeout.
"""

from __future__ import annotations

import asyncio
import pathlib
import sys
from typing import Any

import pytest
import requests
import socketio

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "pysupport"))  # shared helpers

from meetings import access_token  # noqa: E402
from postgres_nodes import SharedDatabaseNodes, ThrowawayPostgres, required_env  # noqa: E402
from server_process import ServerProcess  # noqa: E402
from sio_helpers import (  # noqa: E402
    ClientScope,
    RecordingClient,
    OP_TIMEOUT, expected_transport, tear_down_engine, wait_transport,
)

# --------------------------------------------------------------------------------------
# constants
# --------------------------------------------------------------------------------------

HTTP_TIMEOUT = 10.0  # s, per REST request
GRACE_SECONDS = 2  # --presence-grace-seconds of both nodes (test_two_nodes.py has the same value)

SKIP_HINT = (
    "the two-node suite needs the meetings server and a PostgreSQL server, e.g. "
    "MEETINGS_SERVER_BIN=.build/debug/meetings-server "
    "MEETINGS_TEST_POSTGRES_URL=$(scripts/postgres start $(mktemp -d)) "
    ".venv/bin/python -m pytest Tests/nodes_interop"
)

# --------------------------------------------------------------------------------------
# the two nodes
# --------------------------------------------------------------------------------------


class Node:
    """One server node: its ``ServerProcess`` and REST helpers against it."""

    def __init__(self, name: str, srv: ServerProcess):
        self.name = name
        self.server = srv
        self._http = requests.Session()

    @property
    def url(self) -> str:
        return self.server.url

    def rest(self, method: str, path: str, token: str | None = None, json_body: Any = None,
             expect: int | None = 200) -> Any:
        """One REST call; asserts the status (unless ``expect`` is None) and returns the JSON body."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        resp = self._http.request(method, self.url + path, headers=headers, json=json_body, timeout=HTTP_TIMEOUT)
        if expect is not None:
            assert resp.status_code == expect, (
                f"[node {self.name}] {method} {path} -> {resp.status_code} (expected {expect}): {resp.text[:500]}"
            )
        return resp.json() if resp.content else None

    async def arest(self, *args, **kwargs) -> Any:
        """``rest`` in a worker thread, so that the clients' event loop keeps running meanwhile."""
        return await asyncio.to_thread(self.rest, *args, **kwargs)

    def kill(self) -> None:
        """SIGKILL the node (no shutdown of any kind) and reap it."""
        assert self.server.proc is not None and self.server.proc.poll() is None, f"node {self.name} is not running"
        self.server.kill()


class Client(RecordingClient):
    """A recording client of one node (see ``RecordingClient``)."""

    def __init__(self, node: Node, label: str):
        super().__init__(label)
        self.node = node

    async def connect(self, transports, token: str, timeout: float = 10.0):
        try:
            await asyncio.wait_for(
                self.sio.connect(self.node.url, auth={"token": token}, transports=list(transports),
                                 wait_timeout=OP_TIMEOUT),
                timeout,
            )
        except asyncio.TimeoutError:
            raise AssertionError(
                f"[{self.label}] connect to node {self.node.name} over {list(transports)} "
                f"did not return within {timeout} s"
            ) from None
        expected = expected_transport(transports)
        current = await wait_transport(self.sio, expected)
        assert current == expected, f"[{self.label}] transport is {current!r}, expected {expected!r}"

    async def join_room(self, meeting_id: str) -> dict:
        """``meeting:join`` with an ack; returns the snapshot after checking that the ack and
        ``meeting:joined`` agree."""
        ack = await self.call("meeting:join", {"meetingId": meeting_id})
        assert isinstance(ack, dict) and ack.get("ok") is True, f"[{self.label}] meeting:join ack {ack!r}"
        joined = await self.event("meeting:joined")
        assert joined["meetingId"] == meeting_id and joined["state"]["id"] == meeting_id, joined
        assert joined["state"]["seq"] == ack["state"]["seq"], (joined["state"]["seq"], ack["state"]["seq"])
        return ack["state"]

    def room_events(self) -> list[tuple[str, dict]]:
        """The ``meeting:*`` room events received, in arrival order (``meeting:joined`` and
        ``meeting:left`` answer the socket and carry no ``seq``)."""
        return [
            (name, args[0])
            for name, args in self.rec.log
            if name.startswith("meeting:") and name not in ("meeting:joined", "meeting:left")
        ]

    async def wait_for(self, predicate, what: str, timeout: float) -> tuple[str, dict]:
        """Wait until a room event satisfying ``predicate(name, payload)`` has been received (it
        may already have been); returns the first such ``(name, payload)``."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while True:
            for name, payload in self.room_events():
                if predicate(name, payload):
                    return name, payload
            if loop.time() >= deadline:
                raise AssertionError(
                    f"[{self.label}] no {what} within {timeout} s; room events so far: {self.room_events()}"
                )
            await asyncio.sleep(0.02)

    async def close(self, timeout: float = OP_TIMEOUT) -> None:
        """Disconnect; never raises (the engine is torn down by hand if it is wedged, e.g. its
        node was killed)."""
        try:
            await asyncio.wait_for(self.sio.disconnect(), timeout)
        except BaseException:  # noqa: BLE001 - cleanup must not raise
            pass
        await tear_down_engine(self.sio.eio)


class Nodes(ClientScope):
    """The ``nodes`` fixture: node ``a`` and node ``b`` sharing one fresh database."""

    def __init__(self, a: Node, b: Node, secret: bytes, database_url: str):
        self.a = a
        self.b = b
        self.secret = secret
        self.database_url = database_url

    def token(self, user_id: str, name: str | None = None) -> str:
        return access_token(self.secret, user_id, name)

    def client(self, node: Node, label: str) -> Client:
        c = Client(node, label)
        return self.track(c)

    async def connected(self, node: Node, transports, token: str, label: str) -> Client:
        c = self.client(node, label)
        await c.connect(transports, token)
        return c


NODES = SharedDatabaseNodes()  # the current test's nodes

@pytest.fixture
def own_postgres_nodes(request):
    """Node A and node B on a PostgreSQL server of the test's own: ``(nodes, postgres)``."""
    binary, _ = required_env(SKIP_HINT)
    # Directly under /tmp: the postgres account runs the server when we are root.
    postgres = ThrowawayPostgres()
    admin_url = postgres.start()
    try:
        with NODES.start(request, binary, admin_url, grace_seconds=GRACE_SECONDS) as db:
            a, b = db.servers
            yield Nodes(Node("A", a), Node("B", b), db.secret.encode(), db.database_url), postgres
    finally:
        postgres.remove()


@pytest.fixture
def nodes(request):
    binary, admin_url = required_env(SKIP_HINT)
    with NODES.start(request, binary, admin_url, grace_seconds=GRACE_SECONDS) as db:
        a, b = db.servers
        yield Nodes(Node("A", a), Node("B", b), db.secret.encode(), db.database_url)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the tails of both nodes' logs to the report of a failing test (and keep the logs)."""
    outcome = yield
    NODES.add_log_tails(item, outcome.get_result())
