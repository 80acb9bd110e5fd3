"""A network partition between one node and PostgreSQL, made with network namespaces.

Node A runs in a network namespace of the test's own, reached by its clients over one veth pair
and reaching PostgreSQL over another; node B runs beside PostgreSQL. Taking the PostgreSQL link
down cuts node A off from the database while its clients still reach it (packets are dropped:
no reset, no refusal, as in a real partition). Needs root and iproute2 (``ip netns``); skipped
with the reason otherwise.

``test_a_node_cut_off_from_postgres_refuses_changes_and_rejoins_cleanly``:

* while cut off, node A answers REST actions ``503 unavailable`` (the first within the 5 s
  operation timeout and the probe's 3 s, the next at once) and ``/health`` says why; node B
  goes on: its actions answer ``200`` and reach its clients;
* node B drops node A's sockets after 10 s of silence (their user goes offline once);
* once the link is back, node A answers ``200`` again without a restart, learns that node B
  forgot it and closes its Socket.IO connections, whose client connects again and gets a fresh
  snapshot; an action through node A reaches the client of node B and the other way round; the
  event log has no gap, and the client of node B applied every ``seq`` once.
"""

from __future__ import annotations

import asyncio
import os
import pathlib
import secrets
import shutil
import subprocess
import sys
import time

import pytest
import requests

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "pysupport"))

from meetings import access_token  # noqa: E402
from postgres_nodes import ThrowawayPostgres, database_url, psql, required_env  # noqa: E402
from server_process import ServerProcess  # noqa: E402
from sio_helpers import MeetingFollower  # noqa: E402

CUT_SECONDS = 14.0  # longer than the 10 s after which node B drops node A's sockets
FIRST_REFUSAL_LIMIT = 10.0  # s: the 5 s operation timeout, the probe's 3 s and a margin


def ip(*args: str, netns: str | None = None) -> None:
    argv = ["ip", "netns", "exec", netns, "ip", *args] if netns else ["ip", *args]
    subprocess.run(argv, check=True, capture_output=True, text=True, timeout=10)


class Namespace:
    """A network namespace with two veth links to the host: ``client`` (10.77.N.0/30) and
    ``database`` (10.78.N.0/30); ``.2`` is the namespace's side, ``.1`` the host's."""

    def __init__(self):
        n = secrets.randbelow(250) + 1
        self.name = f"meet-part-{secrets.token_hex(3)}"
        self.client_host, self.client_ns = f"10.77.{n}.1", f"10.77.{n}.2"
        self.db_host, self.db_ns = f"10.78.{n}.1", f"10.78.{n}.2"
        tag = secrets.token_hex(2)
        self.links = [(f"mc{tag}", f"mcn{tag}", self.client_host, self.client_ns),
                      (f"md{tag}", f"mdn{tag}", self.db_host, self.db_ns)]
        self.db_link = self.links[1][0]

    def create(self) -> None:
        ip("netns", "add", self.name)
        ip("link", "set", "lo", "up", netns=self.name)
        for host_end, ns_end, host_addr, ns_addr in self.links:
            ip("link", "add", host_end, "type", "veth", "peer", "name", ns_end)
            ip("link", "set", ns_end, "netns", self.name)
            ip("addr", "add", f"{host_addr}/30", "dev", host_end)
            ip("link", "set", host_end, "up")
            ip("addr", "add", f"{ns_addr}/30", "dev", ns_end, netns=self.name)
            ip("link", "set", ns_end, "up", netns=self.name)

    def delete(self) -> None:
        for host_end, *_ in self.links:
            subprocess.run(["ip", "link", "del", host_end], capture_output=True, timeout=10)
        subprocess.run(["ip", "netns", "del", self.name], capture_output=True, timeout=10)

    def cut(self, down: bool) -> None:
        ip("link", "set", self.db_link, "down" if down else "up")


def namespaces_unavailable() -> str | None:
    if os.geteuid() != 0:
        return "network namespaces need root"
    if shutil.which("ip") is None:
        return "iproute2 (ip) is not installed"
    probe = Namespace()
    try:
        probe.create()
    except subprocess.CalledProcessError as error:
        return f"cannot make a network namespace here: {error.stderr.strip() or error}"
    finally:
        probe.delete()
    return None


@pytest.fixture
def partition():
    """``(node_a, node_b, namespace, secret, admin_url)``: node A in its namespace, node B and
    PostgreSQL (of the test's own, also listening on the namespace's database link) on the host."""
    binary, _ = required_env("the partition test needs the meetings server and PostgreSQL")
    reason = namespaces_unavailable()
    if reason:
        pytest.skip(f"no partition test: {reason}")
    ns = Namespace()
    ns.create()
    postgres = ThrowawayPostgres(listen=ns.db_host)
    servers: list[ServerProcess] = []
    try:
        admin_url = postgres.start()
        db = f"part_{secrets.token_hex(4)}"
        psql(admin_url, f"CREATE DATABASE {db}")
        url_b = database_url(admin_url, db)
        url_a = url_b.replace("127.0.0.1", ns.db_host)
        secret = secrets.token_hex(24)
        common = ["--port", "0", "--rate-limit-per-second", "0", "--presence-grace-seconds", "30"]
        a = ServerProcess(["ip", "netns", "exec", ns.name, binary, "serve", "--host", ns.client_ns, "--database-url", url_a, *common],
                          env={"JWT_SECRET": secret}, log_prefix="meetings-node-part-a-")
        servers.append(a)
        a.start()
        b = ServerProcess([binary, "serve", "--database-url", url_b, *common], env={"JWT_SECRET": secret},
                          log_prefix="meetings-node-part-b-")
        servers.append(b)
        b.start()
        yield a, b, ns, secret.encode(), admin_url
    finally:
        for server in servers:
            server.stop()
        ns.delete()
        postgres.remove()


class Follower(MeetingFollower):
    async def wait(self, predicate, what: str, timeout: float = 15):
        """Until an event satisfying ``predicate(name, payload)`` has been received."""
        deadline = time.monotonic() + timeout
        while not any(predicate(name, payload) for name, payload in self.events()):
            assert time.monotonic() < deadline, f"no {what} within {timeout} s; log: {self.log}"
            await asyncio.sleep(0.05)


def post(url: str, path: str, token: str, body=None, timeout: float = 30) -> tuple[int, dict | None, float, dict]:
    started = time.monotonic()
    resp = requests.post(url + path, json=body, headers={"Authorization": f"Bearer {token}"}, timeout=timeout)
    return resp.status_code, (resp.json() if resp.content else None), time.monotonic() - started, dict(resp.headers)


def test_a_node_cut_off_from_postgres_refuses_changes_and_rejoins_cleanly(partition):
    a, b, ns, secret, _ = partition
    host, ursula, victor = (access_token(secret, u, u.title()) for u in ("hank", "ursula", "victor"))
    status, snap, _, _ = post(a.url, "/api/meetings", host, {"title": "Partition"})
    assert status == 201, snap
    mid = snap["id"]
    assert post(a.url, f"/api/meetings/{mid}/join", ursula)[0] == 200
    assert post(b.url, f"/api/meetings/{mid}/join", victor)[0] == 200

    async def scenario():
        on_a, on_b = Follower(a.url, ursula, mid), Follower(b.url, victor, mid)
        try:
            for follower in (on_b, on_a):  # node B's client first: it sees ursula come online
                await follower.start()
            await on_b.wait(lambda n, p: n == "meeting:presence-updated" and p["userId"] == "ursula" and p["online"], "ursula online")

            # ---- node A loses PostgreSQL -------------------------------------------------------
            ns.cut(True)
            cut = time.monotonic()
            refusals = []
            while time.monotonic() - cut < CUT_SECONDS:
                refusals.append(await asyncio.to_thread(post, a.url, f"/api/meetings/{mid}/hand/raise", ursula))
                status, body, _, _ = await asyncio.to_thread(post, b.url, f"/api/meetings/{mid}/hand/raise", victor)
                assert status == 200, f"node B refused during the partition: {status} {body}"
                await asyncio.to_thread(post, b.url, f"/api/meetings/{mid}/hand/lower", victor)
                await asyncio.sleep(0.3)
            health = await asyncio.to_thread(requests.get, f"{a.url}/health", timeout=10)
            await on_b.wait(lambda n, p: n == "meeting:presence-updated" and p["userId"] == "ursula" and not p["online"],
                            "ursula offline (node B dropped node A's sockets)")

            # ---- the link comes back --------------------------------------------------------------
            ns.cut(False)
            healed = time.monotonic()
            while True:
                r = await asyncio.to_thread(requests.get, f"{a.url}/health", timeout=10)
                if r.status_code == 200:
                    break
                assert time.monotonic() - healed < 20, f"node A's /health still {r.status_code} 20 s after the link came back: {r.text}"
                await asyncio.sleep(0.2)
            back = time.monotonic() - healed
            deadline = time.monotonic() + 15
            while on_a.connects < 2 or sum(1 for e in on_a.log if e[0] == "snapshot") < 2:
                assert time.monotonic() < deadline, f"node A did not make its client connect again: {on_a.connects} connects, {on_a.log[-5:]}"
                await asyncio.sleep(0.1)
            status, body, _, _ = await asyncio.to_thread(post, a.url, f"/api/meetings/{mid}/hand/raise", ursula)
            assert status == 200, f"node A after the partition: {status} {body}"
            seq = body["seq"]
            await on_b.wait(lambda n, p: p.get("seq") == seq, f"seq {seq} (ursula's hand through node A) on node B")
            await on_a.wait(lambda n, p: p.get("seq") == seq, f"seq {seq} on node A's client")
            status, body, _, _ = await asyncio.to_thread(post, b.url, f"/api/meetings/{mid}/hand/lower", host, {"userId": "ursula"})
            assert status == 200, body
            await on_a.wait(lambda n, p: p.get("seq") == body["seq"], "the host lowering her hand (through node B) on node A's client")
            await on_b.wait(lambda n, p: p.get("seq") == body["seq"], "the host lowering her hand on node B's own client")

            # ---- what node A answered while cut off ------------------------------------------------
            assert refusals and all(r[0] == 503 for r in refusals), [r[:3] for r in refusals]
            assert refusals[0][2] < FIRST_REFUSAL_LIMIT, f"the first refusal took {refusals[0][2]:.1f} s"
            assert max(r[2] for r in refusals[1:]) < 1.0, [round(r[2], 2) for r in refusals]
            assert all(r[3].get("Retry-After") and r[1]["error"]["code"] == "unavailable" for r in refusals), refusals[0]
            assert health.status_code == 503 and "unavailable" in health.json()["database"], health.text

            # ---- nothing lost, nothing twice -------------------------------------------------------
            log = requests.get(f"{b.url}/api/meetings/{mid}/events?after=0", headers={"Authorization": f"Bearer {host}"},
                               timeout=10).json()
            seqs = [e["data"]["seq"] for e in log]
            assert seqs == list(range(1, len(seqs) + 1)), f"the event log has a gap: {seqs}"
            applied, expected = [], None
            for entry in on_b.log:
                if entry[0] == "snapshot":
                    expected = entry[1] + 1
                elif expected is not None and entry[2]["seq"] >= expected:
                    assert entry[2]["seq"] == expected, f"node B's client: seq {entry[2]['seq']} where {expected} was next"
                    applied.append(entry[2]["seq"])
                    expected += 1
            assert applied and applied[-1] == seqs[-1], (applied[-3:], seqs[-1])
            offline = [p for n, p in on_b.events() if n == "meeting:presence-updated" and p["userId"] == "ursula" and not p["online"]]
            assert len(offline) == 1, f"ursula went offline {len(offline)} times: {offline}"
            print(f"partition: {len(refusals)} refusals (first after {refusals[0][2]:.1f} s); node A answered again "
                  f"{back:.1f} s after the link came back; log of {len(seqs)} events, no gap")
        finally:
            for follower in (on_a, on_b):
                await follower.close()

    asyncio.run(asyncio.wait_for(scenario(), 120))
