"""The soak: two meetings-server nodes on one PostgreSQL database under churn for N minutes.

Run through ``scripts/soak`` (which builds, starts a throwaway PostgreSQL and passes its URL).
What runs meanwhile:

* churning clients (python-socketio): connect to a random node over websocket or polling, join a
  random meeting (REST and ``meeting:join``), raise and lower a hand and chat a few times, then
  leave cleanly or drop without a word (their presence times out), and start over;
* one observer per meeting, connected for the whole run, alternately on node A and node B;
* a prober: every 200 ms a chat message ``probe <n>`` through a random node; the time until the
  meeting's observer receives it is the latency (p50 and p99 per 10 s window), and every probe
  must reach its observer exactly once;
* a flood of 1.8 KB chat messages into one meeting, which a slow consumer joined over a raw
  WebSocket and never reads (nor answers pings): the node drops it (its queue bound, or the
  missing pong, whichever comes first), and it comes back;
* a sampler: every 10 s, each node's RSS, open descriptors and threads, and the window's
  latency, into ``soak.csv``; at the end ``soak.png`` (matplotlib) and a summary.

It fails (exit 1) when, on either node, RSS grew by more than 16 MiB + 10 % between the
second quarter's median and the last quarter's, or (runs of 10 minutes or more) its trend over
the second half of the run (a least-squares line) rises faster than 8 MiB per hour; when
descriptors are not back within 8 of their idle count once every client is gone; when the
probes' p99 passes 500 ms or a 10-second window's passes 2 s (a stall; both after the first
30 s); or when a probe was lost or delivered twice. The first minutes
warm up (caches, pools, allocator arenas), hence the second quarter and the second half.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import csv
import os
import pathlib
import random
import secrets
import socket
import statistics
import subprocess
import sys
import time

import aiohttp
import socketio

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "Tests" / "pysupport"))
from meetings import access_token  # noqa: E402
from server_process import ServerProcess  # noqa: E402
from sio_helpers import tear_down_engine, work_around_polling_close_race  # noqa: E402

SAMPLE_SECONDS = 10.0
RSS_BOUND_MIB = 16.0
RSS_BOUND_FRACTION = 0.10
TREND_BOUND_MIB_PER_HOUR = 8.0  # runs of TREND_MINUTES or more: the RSS trend of the second half
TREND_MINUTES = 10.0
WARM_UP_SECONDS = 30.0  # probes and windows not held to the latency bounds
FD_BOUND = 8
P99_BOUND_MS = 500.0  # the p99 of every probe after the warm-up
STALL_BOUND_MS = 2000.0  # the p99 of any 10-second window after the warm-up


class Node:
    def __init__(self, name: str, server: ServerProcess):
        self.name = name
        self.server = server

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def pid(self) -> int:
        return self.server.proc.pid

    def stats(self) -> tuple[float, int, int]:
        """RSS in MiB, open descriptors, threads."""
        rss, threads = 0.0, 0
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    rss = int(line.split()[1]) / 1024
                elif line.startswith("Threads:"):
                    threads = int(line.split()[1])
        return rss, len(os.listdir(f"/proc/{self.pid}/fd")), threads


class Soak:
    def __init__(self, args, nodes: list[Node]):
        self.args = args
        self.nodes = nodes
        self.secret = args.secret.encode()
        self.stop = asyncio.Event()
        self.meetings: list[str] = []
        self.busy = ""
        self.probes_sent: dict[str, float] = {}  # text -> time sent
        self.probe_latencies: list[tuple[float, float]] = []  # (time received, ms)
        self.probes_received: dict[str, int] = {}
        self.counts = {"connects": 0, "connect_errors": 0, "rest_errors": 0, "drops": 0, "slow_drops": 0, "floods": 0}
        self.errors: list[str] = []

    def token(self, user: str) -> str:
        return access_token(self.secret, user, user.title(), ttl=24 * 3600)

    async def rest(self, http: aiohttp.ClientSession, node: Node, method: str, path: str, user: str, body=None):
        try:
            async with http.request(method, node.url + path, json=body, headers={"Authorization": f"Bearer {self.token(user)}"},
                                    timeout=aiohttp.ClientTimeout(total=15)) as response:
                data = await response.json(content_type=None)
                if response.status >= 500:
                    self.counts["rest_errors"] += 1
                    self.errors.append(f"{method} {path} on node {node.name}: {response.status} {data}")
                return response.status, data
        except (aiohttp.ClientError, asyncio.TimeoutError) as error:
            self.counts["rest_errors"] += 1
            self.errors.append(f"{method} {path} on node {node.name}: {error!r}")
            return 0, None

    # ---- the load -----------------------------------------------------------------------

    async def churner(self, http, index: int):
        user = f"churn{index}"
        rng = random.Random(index)
        while not self.stop.is_set():
            node = rng.choice(self.nodes)
            transports = rng.choice([["websocket"], ["polling"]])
            meeting = rng.choice(self.meetings)
            sio = socketio.AsyncClient(reconnection=False)
            work_around_polling_close_race(sio.eio)
            try:
                await asyncio.wait_for(sio.connect(node.url, auth={"token": self.token(user)}, transports=transports, wait_timeout=10), 15)
                self.counts["connects"] += 1
                await self.rest(http, node, "POST", f"/api/meetings/{meeting}/join", user)
                await sio.call("meeting:join", {"meetingId": meeting}, timeout=10)
                for _ in range(rng.randint(2, 5)):
                    action = rng.choice(["hand/raise", "hand/lower", "messages"])
                    body = {"text": f"hello from {user}"} if action == "messages" else None
                    await self.rest(http, rng.choice(self.nodes), "POST", f"/api/meetings/{meeting}/{action}", user, body)
                    await asyncio.sleep(rng.uniform(0.2, 1.0))
                if rng.random() < 0.3:
                    self.counts["drops"] += 1  # gone without a word: presence times out
                    await tear_down_engine(sio.eio)
                else:
                    await sio.call("meeting:leave", {"meetingId": meeting}, timeout=10)
                    if rng.random() < 0.5:
                        await self.rest(http, node, "POST", f"/api/meetings/{meeting}/leave", user)
                    await asyncio.wait_for(sio.disconnect(), 10)
            except Exception as error:  # noqa: BLE001 - counted, the churn goes on
                self.counts["connect_errors"] += 1
                self.errors.append(f"{user} on node {node.name} over {transports[0]}: {error!r}")
            finally:
                await tear_down_engine(sio.eio)
            await asyncio.sleep(rng.uniform(0.2, 1.5))

    async def present(self, user: str, meetings: list[str]) -> socketio.AsyncClient:
        """A socket that keeps `user` present in `meetings` (a participant without one times out)."""
        sio = socketio.AsyncClient(reconnection=True)
        await sio.connect(self.nodes[0].url, auth={"token": self.token(user)}, transports=["websocket"], wait_timeout=10)
        for meeting in meetings:
            await sio.call("meeting:join", {"meetingId": meeting}, timeout=10)
        return sio

    async def observer(self, meeting: str, node: Node) -> socketio.AsyncClient:
        sio = socketio.AsyncClient(reconnection=True)

        @sio.on("meeting:message")
        async def message(data):
            text = data.get("message", {}).get("text", "") if isinstance(data, dict) else ""
            if text.startswith("probe "):
                self.probes_received[text] = self.probes_received.get(text, 0) + 1
                sent = self.probes_sent.get(text)
                if sent is not None:
                    self.probe_latencies.append((time.monotonic(), (time.monotonic() - sent) * 1000))

        @sio.event
        async def disconnect(*args):
            if not self.stop.is_set():
                self.errors.append(f"the observer of {meeting} on node {node.name} was disconnected: {args}")

        await sio.connect(node.url, auth={"token": self.token("observer")}, transports=["websocket"], wait_timeout=10)
        await sio.call("meeting:join", {"meetingId": meeting}, timeout=10)
        return sio

    async def prober(self, http):
        n = 0
        while not self.stop.is_set():
            n += 1
            meeting = self.meetings[n % len(self.meetings)]
            text = f"probe {n}"
            self.probes_sent[text] = time.monotonic()
            await self.rest(http, random.choice(self.nodes), "POST", f"/api/meetings/{meeting}/messages", "prober", {"text": text})
            await asyncio.sleep(0.2)

    async def flood(self, http):
        text = "x" * 1800
        while not self.stop.is_set():
            await self.rest(http, random.choice(self.nodes), "POST", f"/api/meetings/{self.busy}/messages", "flooder", {"text": text})
            self.counts["floods"] += 1
            await asyncio.sleep(0.05)

    def slow_consumer_socket(self, node: Node) -> socket.socket:
        """A WebSocket that connects, joins the busy meeting, and is never read again."""
        sock = socket.create_connection((node.server.host, node.server.port), timeout=10)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        key = base64.b64encode(os.urandom(16)).decode()
        sock.sendall((f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {node.server.host}\r\nUpgrade: websocket\r\n"
                      f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        head = b""
        while b"\r\n\r\n" not in head:
            head += sock.recv(1)
        assert b" 101 " in head.split(b"\r\n")[0], head

        def frame(text: str) -> bytes:
            data = text.encode()
            mask = os.urandom(4)
            length = bytes([0x80 | len(data)]) if len(data) < 126 else bytes([0x80 | 126]) + len(data).to_bytes(2, "big")
            return bytes([0x81]) + length + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(data))

        sock.sendall(frame('40{"token":"%s"}' % self.token("slow")))
        time.sleep(0.5)
        sock.sendall(frame('42["meeting:join",{"meetingId":"%s"}]' % self.busy))
        return sock

    def closed_by_server(self, sock: socket.socket) -> bool:
        """Whether the node closed its end (for not reading: its queue bound, or no pong in
        time). Our end cannot tell while it reads nothing; the node's end is no longer
        established."""
        ours, theirs = sock.getsockname()[1], sock.getpeername()[1]
        out = subprocess.run(["ss", "-Htn", "state", "established", f"( sport = :{theirs} and dport = :{ours} )"],
                             capture_output=True, text=True).stdout
        return not out.strip()

    async def slow_consumer(self):
        await self.rest_join_slow()
        sock = await asyncio.to_thread(self.slow_consumer_socket, self.nodes[0])
        while not self.stop.is_set():
            await asyncio.sleep(5)
            if await asyncio.to_thread(self.closed_by_server, sock):
                self.counts["slow_drops"] += 1
                sock.close()
                sock = await asyncio.to_thread(self.slow_consumer_socket, self.nodes[self.counts["slow_drops"] % 2])
        sock.close()

    async def rest_join_slow(self):
        async with aiohttp.ClientSession() as http:
            await self.rest(http, self.nodes[0], "POST", f"/api/meetings/{self.busy}/join", "slow")

    # ---- sampling -----------------------------------------------------------------------

    def window_latency(self, since: float) -> tuple[float, float, int]:
        values = sorted(ms for t, ms in self.probe_latencies if t >= since)
        if not values:
            return 0.0, 0.0, 0
        return values[len(values) // 2], values[min(len(values) - 1, int(len(values) * 0.99))], len(values)

    async def sampler(self, rows: list[dict], start: float):
        while not self.stop.is_set():
            try:
                await asyncio.wait_for(self.stop.wait(), SAMPLE_SECONDS)
            except asyncio.TimeoutError:
                pass
            now = time.monotonic()
            p50, p99, n = self.window_latency(now - SAMPLE_SECONDS)
            row = {"seconds": round(now - start, 1), "p50_ms": round(p50, 1), "p99_ms": round(p99, 1), "probes": n}
            for node in self.nodes:
                rss, fds, threads = node.stats()
                row.update({f"{node.name}_rss_mib": round(rss, 1), f"{node.name}_fds": fds, f"{node.name}_threads": threads})
            row.update(self.counts)
            rows.append(row)
            print(" ".join(f"{k}={v}" for k, v in row.items()), flush=True)

    # ---- the run ------------------------------------------------------------------------

    async def run(self) -> list[str]:
        async with aiohttp.ClientSession() as http:
            for i in range(self.args.meetings):
                status, data = await self.rest(http, self.nodes[i % 2], "POST", "/api/meetings", "host", {"title": f"Soak {i}"})
                assert status == 201, (status, data)
                self.meetings.append(data["id"])
            status, data = await self.rest(http, self.nodes[0], "POST", "/api/meetings", "host", {"title": "Soak flood"})
            self.busy = data["id"]
            for user in ("prober", "flooder", "observer"):
                for meeting in self.meetings + [self.busy]:
                    await self.rest(http, self.nodes[0], "POST", f"/api/meetings/{meeting}/join", user)
            idle = {node.name: node.stats()[1] for node in self.nodes}
            observers = [await self.observer(m, self.nodes[i % 2]) for i, m in enumerate(self.meetings)]
            observers += [await self.present(user, self.meetings + [self.busy]) for user in ("prober", "flooder")]
            rows: list[dict] = []
            start = self.start = time.monotonic()
            tasks = [asyncio.create_task(self.churner(http, i)) for i in range(self.args.clients)]
            tasks += [asyncio.create_task(self.prober(http)), asyncio.create_task(self.flood(http)),
                      asyncio.create_task(self.slow_consumer()), asyncio.create_task(self.sampler(rows, start))]
            await asyncio.sleep(self.args.minutes * 60)
            self.stop.set()
            # Every wait of the load has a timeout; a client library that swallows the
            # cancellation of one (seen once in a 60-minute run) must not hold the report.
            _, pending = await asyncio.wait(tasks, timeout=30)
            for task in pending:
                task.cancel()
            if pending:
                print(f"{len(pending)} load tasks did not stop within 30 s; cancelled", flush=True)
            await asyncio.sleep(3)  # the last probes arrive
            for sio in observers:
                try:
                    await asyncio.wait_for(sio.disconnect(), 5)
                except BaseException:  # noqa: BLE001 - the teardown below closes what is left
                    pass
                await tear_down_engine(sio.eio)
        await asyncio.sleep(5)  # closed connections leave
        drained = {node.name: node.stats()[1] for node in self.nodes}
        return self.report(rows, idle, drained)

    def report(self, rows: list[dict], idle: dict, drained: dict) -> list[str]:
        out = pathlib.Path(self.args.out)
        with open(out / "soak.csv", "w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0].keys()))
            writer.writeheader()
            writer.writerows(rows)
        failures: list[str] = []
        quarter = max(1, len(rows) // 4)
        for node in self.nodes:
            series = [r[f"{node.name}_rss_mib"] for r in rows]
            early = statistics.median(series[quarter:2 * quarter] or series[:1])
            late = statistics.median(series[-quarter:])
            bound = early * (1 + RSS_BOUND_FRACTION) + RSS_BOUND_MIB
            print(f"node {node.name}: RSS {series[0]:.1f} MiB at 10 s, {early:.1f} in the 2nd quarter, {late:.1f} in the last "
                  f"(bound {bound:.1f}); descriptors {idle[node.name]} idle, max {max(r[f'{node.name}_fds'] for r in rows)} "
                  f"under load, {drained[node.name]} once drained; threads max {max(r[f'{node.name}_threads'] for r in rows)}")
            if late > bound:
                failures.append(f"node {node.name}'s RSS grew from {early:.1f} to {late:.1f} MiB (bound {bound:.1f})")
            if self.args.minutes >= TREND_MINUTES:
                half = rows[len(rows) // 2:]
                trend = slope([r["seconds"] / 3600 for r in half], [r[f"{node.name}_rss_mib"] for r in half])
                print(f"node {node.name}: RSS trend over the second half {trend:+.1f} MiB per hour (bound {TREND_BOUND_MIB_PER_HOUR:.0f})")
                if trend > TREND_BOUND_MIB_PER_HOUR:
                    failures.append(f"node {node.name}'s RSS rises {trend:.1f} MiB per hour over the second half "
                                    f"(bound {TREND_BOUND_MIB_PER_HOUR:.0f}): memory kept per connection or per event")
            if drained[node.name] > idle[node.name] + FD_BOUND:
                failures.append(f"node {node.name} holds {drained[node.name]} descriptors once drained, {idle[node.name]} when idle")
        # The first 30 s warm up (pools, caches, the first connections of a debug build).
        worst = max((r["p99_ms"] for r in rows if r["seconds"] > WARM_UP_SECONDS), default=0.0)
        warm = self.start + WARM_UP_SECONDS
        all_ms = sorted(ms for t, ms in self.probe_latencies if t >= warm) or [0.0]
        p99 = all_ms[int(len(all_ms) * 0.99)]
        print(f"probe latency after the warm-up: p50 {all_ms[len(all_ms) // 2]:.1f} ms, p99 {p99:.1f} ms (bound {P99_BOUND_MS:.0f}); "
              f"worst window p99 {worst:.1f} ms (bound {STALL_BOUND_MS:.0f})")
        if p99 > P99_BOUND_MS:
            failures.append(f"the probes' p99 was {p99:.1f} ms (bound {P99_BOUND_MS:.0f} ms)")
        if worst > STALL_BOUND_MS:
            failures.append(f"a window's p99 was {worst:.1f} ms (bound {STALL_BOUND_MS:.0f} ms): a stall")
        lost = [t for t in self.probes_sent if t not in self.probes_received]
        twice = [t for t, n in self.probes_received.items() if n > 1]
        print(f"probes: {len(self.probes_sent)} sent, {len(lost)} lost, {len(twice)} delivered twice; counts {self.counts}")
        if lost:
            failures.append(f"{len(lost)} probes never reached their observer, e.g. {lost[:5]}")
        if twice:
            failures.append(f"{len(twice)} probes reached their observer twice, e.g. {twice[:5]}")
        if self.errors:
            print(f"{len(self.errors)} client-side errors, the first: {self.errors[:5]}")
        self.plot(rows, out / "soak.png")
        return failures

    def plot(self, rows: list[dict], path: pathlib.Path):
        try:
            import matplotlib
            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            print("matplotlib is not installed: no plot (pip install matplotlib)")
            return
        minutes = [r["seconds"] / 60 for r in rows]
        fig, axes = plt.subplots(3, 1, figsize=(9, 9), sharex=True)
        for node in self.nodes:
            axes[0].plot(minutes, [r[f"{node.name}_rss_mib"] for r in rows], label=f"node {node.name}")
            axes[1].plot(minutes, [r[f"{node.name}_fds"] for r in rows], label=f"node {node.name}")
        axes[2].plot(minutes, [r["p99_ms"] for r in rows], label="p99")
        axes[2].plot(minutes, [r["p50_ms"] for r in rows], label="p50")
        for axis, title in zip(axes, ["RSS (MiB)", "open descriptors", "probe latency per 10 s (ms)"]):
            axis.set_ylabel(title)
            axis.grid(True, alpha=0.3)
            axis.legend(loc="upper left")
        axes[2].set_xlabel("minutes")
        fig.suptitle(f"meetings-server soak: two nodes, {self.args.clients} churning clients, {self.args.minutes:g} min")
        fig.tight_layout()
        fig.savefig(path, dpi=100)
        print(f"plot: {path}")


def slope(xs: list[float], ys: list[float]) -> float:
    """The least-squares slope of ys over xs."""
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / (sum((x - mx) ** 2 for x in xs) or 1)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server-bin", required=True)
    parser.add_argument("--postgres-url", required=True)
    parser.add_argument("--minutes", type=float, default=30)
    parser.add_argument("--clients", type=int, default=30)
    parser.add_argument("--meetings", type=int, default=4)
    parser.add_argument("--out", default=".")
    parser.add_argument("--secret", default=secrets.token_hex(32))
    args = parser.parse_args()
    pathlib.Path(args.out).mkdir(parents=True, exist_ok=True)
    nodes = []
    try:
        for name in ("A", "B"):
            server = ServerProcess(
                [args.server_bin, "serve", "--port", "0", "--database-url", args.postgres_url, "--rate-limit-per-second", "0",
                 "--presence-grace-seconds", "5", "--log-level", "warning"],
                env={"JWT_SECRET": args.secret}, log_prefix=f"soak-node-{name}-")
            server.start()
            nodes.append(Node(name, server))
        print(f"soak: {args.minutes:g} min, nodes {[n.url for n in nodes]}, logs {[n.server.log.name for n in nodes]}", flush=True)
        failures = asyncio.run(Soak(args, nodes).run())
        for node in nodes:
            if node.server.proc.poll() is not None:
                failures.append(f"node {node.name} exited with status {node.server.proc.returncode}")
    finally:
        for node in nodes:
            node.server.stop()
    for failure in failures:
        print(f"FAIL: {failure}")
    print("soak: passed" if not failures else f"soak: {len(failures)} bound(s) failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
