"""A rolling restart: node A of two gets SIGTERM under load, and its clients move to node B.

Three clients follow one meeting through node A while REST actions go through node B:

* ``meet join`` in tmux with ``--server A --server B``;
* ``meet watch --json`` with ``--server A --server B`` (JSON lines: snapshots and events);
* a python-socketio client (reconnection on) through a small TCP load balancer in front of
  both nodes, which sends each new connection to the first node that accepts it (A, then B), as
  an operator's balancer would; it joins the meeting on every connect.

Node A gets SIGTERM: it closes its connections (Engine.IO close: clients reconnect) and exits 0
within its 10 s shutdown. Every client must be back through node B, and in the end:

* the TUI shows the meeting as node B's snapshot has it (hand queue, no STALE marker);
* ``meet watch`` and the python client saw every ``seq`` once, applied as the contract says
  (events ``≤`` the snapshot's ``seq`` ignored): none twice, each run of events consecutive from
  the snapshot before it, the last ``seq`` the meeting's.
"""

from __future__ import annotations

import asyncio
import json
import pathlib
import socket
import subprocess
import sys
import threading
import time

from test_meet_tui import queue_lines, start_and_wait_connected, status_line, unique_title

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "pysupport"))
from sio_helpers import MeetingFollower  # noqa: E402

H = 30  # rows of the pane
MOVE_TIMEOUT = 20.0  # s, from SIGTERM to every client back through node B


class Balancer:
    """A TCP proxy on 127.0.0.1: each connection goes to the first backend that accepts it."""

    def __init__(self, backends: list[tuple[str, int]]):
        self.backends = backends
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(64)
        self.port = self.listener.getsockname()[1]
        self.closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _accept(self):
        while not self.closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(client,), daemon=True).start()

    def _serve(self, client: socket.socket):
        for host, port in self.backends:
            try:
                upstream = socket.create_connection((host, port), timeout=2)
                upstream.settimeout(None)
                break
            except OSError:
                continue
        else:
            client.close()
            return

        def pipe(source: socket.socket, sink: socket.socket):
            try:
                while data := source.recv(65536):
                    sink.sendall(data)
            except OSError:
                pass
            for s in (source, sink):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

        threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
        pipe(client, upstream)

    def close(self):
        self.closed = True
        self.listener.close()


class PythonClient:
    """A ``MeetingFollower`` through the balancer, on an event loop in a thread of its own (the
    test itself is synchronous)."""

    def __init__(self, url: str, token: str, meeting_id: str):
        self.loop = asyncio.new_event_loop()
        threading.Thread(target=self.loop.run_forever, daemon=True).start()
        self.follower = MeetingFollower(url, token, meeting_id)
        asyncio.run_coroutine_threadsafe(self.follower.start(), self.loop).result(15)

    @property
    def log(self) -> list[tuple]:
        return self.follower.log

    @property
    def connects(self) -> int:
        return self.follower.connects

    def stop(self):
        asyncio.run_coroutine_threadsafe(self.follower.close(), self.loop).result(15)
        self.loop.call_soon_threadsafe(self.loop.stop)


def assert_every_seq_once(log: list[tuple], last: int, who: str):
    """Applied as the contract says (a client holding a snapshot at ``n`` ignores events ``≤ n``,
    meetings-api §3): no seq applied twice, each applied event the next after the snapshot or
    event before it, and the last applied seq the meeting's ``last``."""
    seen: set[int] = set()
    expected = None
    for entry in log:
        if entry[0] == "snapshot":
            expected = entry[1] + 1
            continue
        seq = entry[2]["seq"]
        if expected is not None and seq < expected:
            continue  # already in the snapshot or applied
        assert seq not in seen, f"[{who}] seq {seq} ({entry[1]}) seen twice; log: {log}"
        assert seq == expected, f"[{who}] seq {seq} ({entry[1]}) where {expected} was next; log: {log}"
        seen.add(seq)
        expected = seq + 1
    assert expected == last + 1, f"[{who}] ended at seq {expected - 1}, the meeting at {last}; log: {log}"


def watch_log(path) -> list[tuple]:
    entries = []
    for line in path.read_text().splitlines():
        item = json.loads(line)
        if item.get("type") == "snapshot":
            entries.append(("snapshot", item["state"]["seq"]))
        elif item.get("type") == "event":
            entries.append(("event", item["event"], item["data"]))
    return entries


def test_sigterm_to_a_node_moves_its_clients_to_the_other_with_nothing_missed(two_nodes, tui, tmp_path):
    a, b = two_nodes.a, two_nodes.b
    title = unique_title("Rolling restart")
    alice, bob, carol, walter = (a.token(u, u.title()) for u in ("alice", "bob", "carol", "walter"))
    mid = a.create_meeting(alice, title)
    a.act(mid, alice, "join")
    b.act(mid, bob, "join")
    a.act(mid, carol, "join")

    balancer = Balancer([("127.0.0.1", a.server.port), ("127.0.0.1", b.server.port)])
    watch_out = tmp_path / "watch.jsonl"
    watch = subprocess.Popen(
        [tui.tools.meet_bin, "watch", mid, "--json", "--server", a.url, "--server", b.url, "--transport", "websocket",
         "--token-file", str(tui.token_file(walter, "walter"))],
        stdout=open(watch_out, "w"), stderr=subprocess.DEVNULL, env=tui.env())
    python = PythonClient(balancer.url, carol, mid)
    stop_load = threading.Event()

    def load():
        i = 0
        while not stop_load.is_set():
            who = (bob, carol)[i % 2]
            b.act(mid, who, ("hand/raise", "hand/lower")[(i // 2) % 2])
            if i % 5 == 0:
                b.rest("POST", f"/api/meetings/{mid}/messages", alice, {"text": f"load {i}"}, expect=201)
            i += 1
            time.sleep(0.1)

    loader = threading.Thread(target=load, daemon=True)
    try:
        with tui.join_servers([a.url, b.url], mid, alice, "alice") as pane:
            start_and_wait_connected(tui, pane, title, "rolling restart")
            pane.wait_for(lambda t: "connected over" in status_line(t, H) and "STALE" not in t.split("\n")[0],
                          "'connected over' without STALE")
            deadline = time.monotonic() + 10
            while not watch_out.read_text().strip() or python.connects == 0:
                assert time.monotonic() < deadline, "meet watch or the python client did not start"
                time.sleep(0.1)
            loader.start()
            time.sleep(2)

            # ---- SIGTERM to node A -------------------------------------------------------
            terminated = time.monotonic()
            a.server.proc.terminate()
            status = a.server.proc.wait(timeout=15)
            took = time.monotonic() - terminated
            tui.record("SIGTERM to node A exited", took, "s")
            assert status == 0, f"node A exited with status {status} after SIGTERM"
            text, moved = pane.wait_for(
                lambda t: "connected over" in status_line(t, H) and "STALE" not in t.split("\n")[0],
                "'connected over' again (node B) without STALE", timeout=MOVE_TIMEOUT, since=terminated)
            tui.record("SIGTERM to node A to meet 'connected over' again (node B)", moved, "s")
            deadline = time.monotonic() + MOVE_TIMEOUT
            while python.connects < 2 or sum(1 for line in watch_out.read_text().splitlines() if '"snapshot"' in line) < 2:
                assert time.monotonic() < deadline, (
                    f"not every client came back: python connects {python.connects}, watch:\n{watch_out.read_text()[-2000:]}")
                time.sleep(0.1)
            time.sleep(2)  # load goes on through node B with every client there
            stop_load.set()
            loader.join(10)

            # ---- the same state everywhere, every seq once ---------------------------------------
            final = b.snapshot(mid)
            last = final["seq"]
            hands = [p["userId"] for p in final["hands"]]
            names = {"bob": "Bob", "carol": "Carol"}

            def shows_final(t: str) -> bool:
                queue = queue_lines(t, H)
                return len(queue) == len(hands) and all(names[u] in q for u, q in zip(hands, queue))

            text, _ = pane.wait_for(shows_final, f"the hand queue {hands} of node B's snapshot (seq {last})")
            assert "STALE" not in text.split("\n")[0], text
            deadline = time.monotonic() + 10
            while True:
                py_seqs = [e[2]["seq"] for e in python.log if e[0] == "event"]
                watch_seqs = [e[2]["seq"] for e in watch_log(watch_out) if e[0] == "event"]
                if py_seqs and py_seqs[-1] == last and watch_seqs and watch_seqs[-1] == last:
                    break
                assert time.monotonic() < deadline, (
                    f"clients did not reach seq {last}: python {py_seqs[-3:]}, watch {watch_seqs[-3:]}; watch:\n"
                    + "\n".join(line[:160] for line in watch_out.read_text().splitlines() if '"event"' not in line))
                time.sleep(0.1)
            assert_every_seq_once(python.log, last, "python-socketio")
            assert_every_seq_once(watch_log(watch_out), last, "meet watch")
            print(f"SIGTERM: node A exited after {took:.2f} s; meet back after {moved:.2f} s; seq {last}")
    finally:
        stop_load.set()
        python.stop()
        watch.terminate()
        watch.wait(10)
        balancer.close()
