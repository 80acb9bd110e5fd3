"""PostgreSQL stopped and started again under two nodes and their load.

``test_postgres_outage_answers_503_keeps_sockets_and_recovers``: two nodes on a PostgreSQL
server of the test's own, python-socketio participants on each (websocket on A, polling on B),
and REST actions through both nodes in a loop. PostgreSQL is stopped for 12 s (longer than the
10 s after which a silent node's sockets are dropped) and started again on the same port:

* meanwhile every REST action answers ``503`` with ``Retry-After`` and the contract's error body,
  the first within the 5 s operation timeout plus a margin and the next ones at once; never a
  ``500``, never a hang; ``GET /health`` answers ``503`` saying the database is unavailable;
* the Socket.IO connections stay up (no disconnect);
* afterwards each node answers again by itself (``/health`` ``200``, actions ``200``) without a
  restart;
* the event log has no gap and every action answered ``200`` is in it at the ``seq`` it was
  answered with; each socket received every event exactly once, in order; and no node dropped
  the other's sockets (no participant went offline or left: the outage stopped every
  heartbeat, and no node was dead);
* a socket closed during the outage is not left behind: its user goes offline once
  PostgreSQL is back.
"""

from __future__ import annotations

import asyncio
import threading
import time

import requests

OUTAGE_SECONDS = 12.0
FIRST_REFUSAL_LIMIT = 7.0  # s: the 5 s operation timeout and a margin
NEXT_REFUSAL_LIMIT = 1.0  # s, once the outage is known
RECOVERY_LIMIT = 20.0  # s, from the restart to 200 on both nodes


class Load:
    """REST actions through both nodes in a thread: hand raise and lower for each user, in turn.
    Records every answer as ``(node, user, action, status, seq or None, seconds, headers, body)``."""

    def __init__(self, nodes, mid: str, tokens: dict[str, str]):
        self.nodes = nodes
        self.mid = mid
        self.tokens = tokens
        self.answers: list[tuple] = []
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        http = requests.Session()
        i = 0
        while not self.stop.is_set():
            node = (self.nodes.a, self.nodes.b)[i % 2]
            user = list(self.tokens)[i % len(self.tokens)]
            action = ("hand/raise", "hand/lower")[(i // len(self.tokens)) % 2]
            started = time.monotonic()
            try:
                resp = http.post(f"{node.url}/api/meetings/{self.mid}/{action}",
                                 headers={"Authorization": f"Bearer {self.tokens[user]}"}, timeout=30)
                body = resp.json() if resp.content else None
                seq = body.get("seq") if resp.status_code == 200 and isinstance(body, dict) else None
                self.answers.append((node.name, user, action, resp.status_code, seq, time.monotonic() - started,
                                     dict(resp.headers), body))
            except requests.RequestException as error:
                self.answers.append((node.name, user, action, 0, None, time.monotonic() - started, {}, repr(error)))
            i += 1
            time.sleep(0.05)


def test_postgres_outage_answers_503_keeps_sockets_and_recovers(own_postgres_nodes):
    nodes, postgres = own_postgres_nodes
    a, b = nodes.a, nodes.b
    host = nodes.token("hank", "Hank")
    users = {uid: nodes.token(uid, uid.title()) for uid in ("ursula", "victor")}
    mid = a.rest("POST", "/api/meetings", host, {"title": "Outage"}, expect=201)["id"]

    async def scenario():
        # ursula watches through node A (websocket), victor through node B (polling)
        watchers = []
        for uid, node, transports in (("ursula", a, ["websocket"]), ("victor", b, ["polling"])):
            await node.arest("POST", f"/api/meetings/{mid}/join", users[uid])
            c = await nodes.connected(node, transports, users[uid], f"{uid}@{node.name}")
            snapshot = await c.join_room(mid)
            watchers.append((c, snapshot["seq"]))
        # wendy is there through node B, and leaves while PostgreSQL is stopped
        wendy = nodes.token("wendy", "Wendy")
        await b.arest("POST", f"/api/meetings/{mid}/join", wendy)
        leaver = await nodes.connected(b, ["websocket"], wendy, "wendy@B")
        await leaver.join_room(mid)

        load = Load(nodes, mid, users)
        load.thread.start()
        await asyncio.sleep(2)

        # ---- PostgreSQL stops ----------------------------------------------------------
        before_outage = len(load.answers)
        stopped = time.monotonic()
        await asyncio.to_thread(postgres.stop)
        await asyncio.sleep(1)
        await leaver.close()
        await asyncio.sleep(OUTAGE_SECONDS / 2 - 1)
        health = [await asyncio.to_thread(requests.get, f"{n.url}/health", timeout=10) for n in (a, b)]
        await asyncio.sleep(OUTAGE_SECONDS / 2)
        during = load.answers[before_outage:]
        for c, _ in watchers:
            assert c.sio.connected and not c.rec.pending("disconnect"), f"[{c.label}] lost its connection during the outage"

        # ---- PostgreSQL starts again on the same port ----------------------------------------
        await asyncio.to_thread(postgres.start)
        restarted = time.monotonic()
        recovered = {}
        while len(recovered) < 2 and time.monotonic() - restarted < RECOVERY_LIMIT:
            for n in (a, b):
                if n.name not in recovered:
                    r = await asyncio.to_thread(requests.get, f"{n.url}/health", timeout=10)
                    if r.status_code == 200:
                        recovered[n.name] = time.monotonic() - restarted
            await asyncio.sleep(0.2)
        assert len(recovered) == 2, f"/health still not 200 on every node {RECOVERY_LIMIT} s after the restart: {recovered}"
        print(f"outage: {len(during)} answers while stopped; /health 200 again after {recovered} s")
        after_restart = len(load.answers)
        await asyncio.sleep(3)
        load.stop.set()
        await asyncio.to_thread(load.thread.join, 30)

        # ---- what the nodes answered during the outage -----------------------------------
        for r in health:
            assert r.status_code == 503 and "unavailable" in r.json()["database"], (r.status_code, r.text)
        refused = [x for x in during if x[3] == 503]
        assert refused, f"no 503 during the outage: {[x[:6] for x in during]}"
        assert not [x for x in during if x[3] not in (200, 503)], f"answers other than 200/503: {[x[:6] for x in during]}"
        for node_name, user, action, status, seq, seconds, headers, body in refused:
            assert headers.get("Retry-After", "").isdigit(), headers
            assert body["error"]["code"] == "unavailable" and "database is unavailable" in body["error"]["message"], body
        by_node = {name: [x for x in refused if x[0] == name] for name in ("A", "B")}
        for name, answers in by_node.items():
            assert answers, f"node {name} refused nothing during the outage"
            assert answers[0][5] < FIRST_REFUSAL_LIMIT, f"node {name}'s first refusal took {answers[0][5]:.1f} s"
            assert max(x[5] for x in answers[1:]) < NEXT_REFUSAL_LIMIT, f"node {name}: {[round(x[5], 2) for x in answers]}"
        late_200 = [x for x in during if x[3] == 200 and x[5] > 1.0]
        assert not late_200, f"actions answered 200 after a long wait while PostgreSQL stopped: {late_200}"
        after = load.answers[after_restart:]
        assert after and all(x[3] == 200 for x in after), f"answers after recovery: {[x[:6] for x in after]}"

        # ---- wendy's socket closed during the outage: she goes offline once PostgreSQL is back
        deadline = time.monotonic() + 20
        while True:
            log = await a.arest("GET", f"/api/meetings/{mid}/events?after=0", host)
            if any(e["event"] == "meeting:presence-updated" and e["data"]["userId"] == "wendy" and not e["data"]["online"] for e in log):
                break
            assert time.monotonic() < deadline, "wendy, whose socket closed during the outage, is still online 20 s after it"
            await asyncio.sleep(0.5)

        # ---- nothing lost, nothing twice ---------------------------------------------------
        log = await a.arest("GET", f"/api/meetings/{mid}/events?after=0", host)
        seqs = [e["data"]["seq"] for e in log]
        assert seqs == list(range(1, len(seqs) + 1)), f"the event log has a gap: {seqs}"
        answered = {x[4] for x in load.answers if x[3] == 200 and x[4] is not None}
        assert answered <= set(seqs), f"answered seqs missing from the log: {sorted(answered - set(seqs))}"
        last = seqs[-1]
        for c, snapshot_seq in watchers:
            await c.wait_for(lambda n, p: p.get("seq") == last, f"seq {last}", timeout=10)
            # events ≤ the snapshot's seq may come after it; a client ignores them (meetings-api §3)
            got = [p["seq"] for _, p in c.room_events() if p["seq"] > snapshot_seq]
            assert got == list(range(snapshot_seq + 1, last + 1)), f"[{c.label}] received seqs {got}"
        offline = [e for e in log if e["event"] in ("meeting:presence-updated", "meeting:participant-left")
                   and (e["data"].get("online") is False or e["data"].get("reason") == "timeout")
                   and e["data"]["userId"] != "wendy"]
        assert not offline, f"a node dropped sockets that stayed connected: {offline}"
        print(f"{len(load.answers)} actions; {len(refused)} refused with 503; log of {len(seqs)} events, no gap")

    nodes.run(scenario, timeout=90)
