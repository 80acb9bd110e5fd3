"""Two meetings-server nodes sharing one PostgreSQL database, with python-socketio clients.

* ``test_events_from_node_b_reach_a_client_on_node_a_in_order``: REST actions on node B reach a
  socket on node A, every event, with consecutive ``seq`` after the snapshot, in order (over
  websocket and over polling).
* ``test_kill_a_node_clients_move_and_miss_nothing``: node A is killed (SIGKILL); a client of A
  reconnects through B and misses nothing, REST on B keeps working, and the user who never comes
  back goes offline once (when B notices that A is silent) and then leaves with reason
  ``timeout``; the one who came back within the grace period stays.

Contract: ``/work/shared/spec/meetings-api.md`` (§3 seq, §4 events log, §5 presence).
"""

from __future__ import annotations

import asyncio
import time

import pytest

# Mirrors of the conftest's constants (importing ``conftest`` by name could pick another suite's
# conftest when several suites run in one pytest invocation).
GRACE_SECONDS = 2  # --presence-grace-seconds of both nodes
NODE_TIMEOUT = 10.0  # s, a node silent this long has its sockets dropped by another node
NODE_INTERVAL = 2.0  # s, the heartbeat and dead-node check interval of every node

# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------


def assert_consecutive_seqs(events: list[tuple[str, dict]], snapshot_seq: int, who: str):
    """The events' seqs rise by exactly 1, starting right after the snapshot's (§3)."""
    seqs = [payload.get("seq") for _, payload in events]
    expected = list(range(snapshot_seq + 1, snapshot_seq + 1 + len(seqs)))
    assert seqs == expected, (
        f"[{who}] seqs in arrival order should be {expected} (snapshot seq {snapshot_seq}); received: "
        f"{[(name, payload) for name, payload in events]}"
    )


def assert_matches_log(events: list[tuple[str, dict]], log: list[dict], who: str):
    """What a socket received live is exactly what ``GET …/events`` returns (§4)."""
    from_log = [(e.get("event"), e.get("data")) for e in log]
    assert events == from_log, f"[{who}] live events differ from the event log:\nlive: {events}\nlog:  {from_log}"


def is_timeout_leave(name: str, payload: dict) -> bool:
    return name == "meeting:participant-left" and payload.get("reason") == "timeout"


def participant(snapshot: dict, user_id: str) -> dict | None:
    found = [p for p in snapshot["participants"] if p["userId"] == user_id]
    return found[0] if found else None


# --------------------------------------------------------------------------------------
# events committed through node B reach node A's sockets, in order
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("transports", [["websocket"], ["polling"]], ids=["websocket", "polling"])
def test_events_from_node_b_reach_a_client_on_node_a_in_order(nodes, transports):
    a, b = nodes.a, nodes.b
    alice = nodes.token("alice", "Alice")
    users = [("ursula", "Ursula"), ("victor", "Victor"), ("wendy", "Wendy")]
    tokens = {uid: nodes.token(uid, name) for uid, name in users}
    mid = b.rest("POST", "/api/meetings", alice, {"title": "Two nodes"}, expect=201)["id"]

    async def scenario():
        # alice (host, not a participant) watches the room from node A
        c = await nodes.connected(a, transports, alice, "alice@A")
        snapshot = await c.join_room(mid)
        snapshot_seq = snapshot["seq"]

        # everything else happens through node B's REST API
        for uid, _ in users:
            await b.arest("POST", f"/api/meetings/{mid}/join", tokens[uid])
            await b.arest("POST", f"/api/meetings/{mid}/hand/raise", tokens[uid])
        await b.arest("POST", f"/api/meetings/{mid}/music/start", alice, {"track": "Lo-fi", "volume": 30})
        await b.arest("POST", f"/api/meetings/{mid}/music/stop", alice)

        await c.wait_for(lambda n, p: n == "meeting:music-stopped", "meeting:music-stopped", timeout=10)
        # The three never connect a socket, so after the grace period (2 s from their REST
        # join) they leave with reason timeout: waiting for that makes the stream complete.
        await c.wait_for(
            lambda n, p: sum(is_timeout_leave(*e) for e in c.room_events()) == len(users),
            f"{len(users)} participant-left reason:timeout", timeout=GRACE_SECONDS + 6,
        )
        await asyncio.sleep(0.3)  # anything unexpected would arrive now

        events = c.room_events()
        for name, payload in events:
            assert payload.get("meetingId") == mid, (name, payload)
        assert_consecutive_seqs(events, snapshot_seq, "alice@A")

        # A timeout leave lowers the raised hand first, with its own event (as REST leave does,
        # §4): each of the three ends with hand-lowered (by themselves) right before their
        # participant-left reason:timeout.
        timeouts = [p for n, p in events if is_timeout_leave(n, p)]
        assert sorted(p["userId"] for p in timeouts) == sorted(uid for uid, _ in users), timeouts
        departures = set()
        for i, (n, p) in enumerate(events):
            if is_timeout_leave(n, p):
                assert i > 0, events
                prev_name, prev = events[i - 1]
                assert prev_name == "meeting:hand-lowered" and prev.get("userId") == p["userId"] == prev.get("by"), (
                    f"{p['userId']}'s timeout leave should follow the lowering of their hand: {events[i - 1]}"
                )
                departures |= {i - 1, i}

        # The actions' events, in the order they were made (the departures may interleave
        # anywhere after the joins).
        actions = [e for i, e in enumerate(events) if i not in departures]
        expected = []
        for uid, _ in users:
            expected += [("meeting:participant-joined", uid), ("meeting:hand-raised", uid)]
        expected += [("meeting:music-started", "alice"), ("meeting:music-stopped", "alice")]
        got = [
            (n, p["participant"]["userId"] if n == "meeting:participant-joined"
             else p.get("userId") if n == "meeting:hand-raised" else p.get("by"))
            for n, p in actions
        ]
        assert got == expected, f"events in arrival order {got}, expected {expected}; payloads: {actions}"
        positions = [p["position"] for n, p in actions if n == "meeting:hand-raised"]
        assert positions == [1, 2, 3], f"hand positions {positions}"
        for n, p in actions:
            if n == "meeting:participant-joined":
                assert p["participant"]["online"] is False, f"no socket of theirs anywhere: {p}"
        music = [p for n, p in actions if n == "meeting:music-started"][0]
        assert (music["track"], music["volume"]) == ("Lo-fi", 30), music

        # Live == the event log, read through either node.
        for node in (a, b):
            log = await node.arest("GET", f"/api/meetings/{mid}/events?after={snapshot_seq}", alice)
            assert_matches_log(events, log, f"alice@A vs GET events on node {node.name}")

    nodes.run(scenario, timeout=30)


# --------------------------------------------------------------------------------------
# node A is killed: its clients move to node B and miss nothing
# --------------------------------------------------------------------------------------


def test_kill_a_node_clients_move_and_miss_nothing(nodes):
    a, b = nodes.a, nodes.b
    ws = ["websocket"]
    hank = nodes.token("hank", "Hank")  # host (creator, not a participant)
    xavier = nodes.token("xavier", "Xavier")
    yolanda = nodes.token("yolanda", "Yolanda")
    walter = nodes.token("walter", "Walter")
    mid = b.rest("POST", "/api/meetings", hank, {"title": "Kill a node"}, expect=201)["id"]
    timings: dict[str, float] = {}

    async def participant_on(node, token, user_id, label, joined_via):
        """A socket of ``user_id`` on ``node`` subscribed to the room, then a REST join through
        ``joined_via``: online from the join on, whichever node holds the socket (§5)."""
        client = await nodes.connected(node, ws, token, label)
        await client.join_room(mid)
        snap = await joined_via.arest("POST", f"/api/meetings/{mid}/join", token)
        p = participant(snap, user_id)
        assert p is not None and p["online"] is True, f"{user_id}'s socket is on node {node.name}: {p}"
        return client

    async def scenario():
        # ---- before: X and Y on node A, the watcher W on node B ------------------------
        x = await participant_on(a, xavier, "xavier", "xavier@A", joined_via=b)
        y = await participant_on(a, yolanda, "yolanda", "yolanda@A", joined_via=b)
        w = await nodes.connected(b, ws, walter, "walter@B")
        w_snap = await w.join_room(mid)
        await b.arest("POST", f"/api/meetings/{mid}/join", walter)
        # actions through node A, seen on node B
        await a.arest("POST", f"/api/meetings/{mid}/hand/raise", xavier)
        await a.arest("POST", f"/api/meetings/{mid}/music/start", hank, {"track": "Jazz", "volume": 40})
        await w.wait_for(lambda n, p: n == "meeting:music-started", "meeting:music-started", timeout=5)
        before = await b.arest("GET", f"/api/meetings/{mid}", hank)
        for uid in ("xavier", "yolanda", "walter"):
            p = participant(before, uid)
            assert p is not None and p["online"] is True, f"before the kill: {uid} {p}"

        # ---- kill node A -------------------------------------------------------------
        t_kill = time.monotonic()
        a.kill()
        # Both old clients notice (their websocket is cut).
        await x.rec.get("disconnect", timeout=5)
        await y.rec.get("disconnect", timeout=5)

        # ---- X reconnects through node B and misses nothing -----------------------------
        x2 = await nodes.connected(b, ws, xavier, "xavier@B")
        x2_snap = await x2.join_room(mid)
        timings["x rejoined via B"] = time.monotonic() - t_kill
        log = await b.arest("GET", f"/api/meetings/{mid}/events?after=0", xavier)
        log_seqs = [e["data"]["seq"] for e in log]
        assert log_seqs == list(range(1, len(log) + 1)), f"event log seqs {log_seqs}"
        assert x2_snap["seq"] >= before["seq"], (
            f"snapshot after reconnecting has seq {x2_snap['seq']} < {before['seq']} committed before the kill"
        )
        assert x2_snap["seq"] == log_seqs[-1], (
            f"snapshot seq {x2_snap['seq']} vs last logged seq {log_seqs[-1]}: {log}"
        )
        # ... and its content is everything that was committed
        assert [h["userId"] for h in x2_snap["hands"]] == ["xavier"], x2_snap["hands"]
        assert x2_snap["music"].get("playing") is True and x2_snap["music"].get("track") == "Jazz", x2_snap["music"]
        assert {p["userId"] for p in x2_snap["participants"]} == {"xavier", "yolanda", "walter"}, x2_snap["participants"]
        px = participant(x2_snap, "xavier")
        assert px["online"] is True and px["role"] == "participant", px

        # ---- meanwhile REST on node B keeps working --------------------------------------
        await b.arest("POST", f"/api/meetings/{mid}/messages", xavier, {"text": "back via B"}, expect=201)
        await b.arest("PUT", f"/api/meetings/{mid}/music/volume", hank, {"volume": 70})
        await b.arest("POST", f"/api/meetings/{mid}/hand/lower", xavier)
        for c in (w, x2):
            await c.wait_for(lambda n, p: n == "meeting:hand-lowered", f"[{c.label}] meeting:hand-lowered", timeout=5)
        timings["REST on B done"] = time.monotonic() - t_kill

        # ---- Y never comes back: offline once when B notices A is silent, then timeout ----
        def yolanda_offline(n, p):
            return n == "meeting:presence-updated" and p.get("userId") == "yolanda" and p.get("online") is False

        limit = NODE_TIMEOUT + NODE_INTERVAL + 3  # 15 s after the kill
        await w.wait_for(yolanda_offline, "presence-updated yolanda online:false",
                         timeout=max(0.1, t_kill + limit - time.monotonic()))
        timings["yolanda offline (W)"] = time.monotonic() - t_kill

        def yolanda_left(n, p):
            return n == "meeting:participant-left" and p.get("userId") == "yolanda"

        await w.wait_for(yolanda_left, "participant-left yolanda", timeout=GRACE_SECONDS + 4)
        timings["yolanda left (W)"] = time.monotonic() - t_kill
        await x2.wait_for(yolanda_left, "participant-left yolanda", timeout=2)
        await asyncio.sleep(1.0)  # a duplicate or stray event would arrive now

        # ---- what W saw ----------------------------------------------------------------
        w_events = w.room_events()
        print(f"\ntimings since the kill (s): { {k: round(v, 2) for k, v in timings.items()} }")
        print(f"W's room events: {w_events}")
        assert_consecutive_seqs(w_events, w_snap["seq"], "walter@B")
        presence = [(n, p) for n, p in w_events if n == "meeting:presence-updated"]
        y_presence = [p for n, p in presence if p.get("userId") == "yolanda"]
        assert len(y_presence) == 1 and y_presence[0]["online"] is False, (
            f"yolanda's presence should change exactly once (online:false); W got {y_presence}"
        )
        x_presence = [p for n, p in presence if p.get("userId") == "xavier"]
        assert x_presence == [], f"xavier always had a socket (A, then B): no presence change expected, got {x_presence}"
        left = [p for n, p in w_events if n == "meeting:participant-left"]
        assert len(left) == 1 and (left[0]["userId"], left[0]["reason"]) == ("yolanda", "timeout"), left
        i_off = next(i for i, (n, p) in enumerate(w_events) if yolanda_offline(n, p))
        i_left = next(i for i, (n, p) in enumerate(w_events) if yolanda_left(n, p))
        assert i_off < i_left, f"offline (#{i_off}) must come before the leave (#{i_left}): {w_events}"
        assert timings["yolanda left (W)"] - timings["yolanda offline (W)"] >= GRACE_SECONDS - 0.5, (
            f"yolanda left {timings['yolanda left (W)'] - timings['yolanda offline (W)']:.2f} s after going "
            f"offline; the grace period is {GRACE_SECONDS} s"
        )
        log_w = await b.arest("GET", f"/api/meetings/{mid}/events?after={w_snap['seq']}", walter)
        assert_matches_log(w_events, log_w, "walter@B vs GET events on node B")

        # ---- what X saw after moving ---------------------------------------------------
        x2_events = x2.room_events()
        assert_consecutive_seqs(x2_events, x2_snap["seq"], "xavier@B")
        log_x = await b.arest("GET", f"/api/meetings/{mid}/events?after={x2_snap['seq']}", xavier)
        assert_matches_log(x2_events, log_x, "xavier@B vs GET events on node B")

        # ---- the end: X still a participant, online; Y gone ------------------------------
        final = await b.arest("GET", f"/api/meetings/{mid}", hank)
        again = await x2.join_room(mid)
        for label, snap in (("GET on B", final), ("xavier@B meeting:join", again)):
            px = participant(snap, "xavier")
            assert px is not None and px["online"] is True and px["role"] == "participant", (label, px)
            assert participant(snap, "yolanda") is None, (label, snap["participants"])
            pw = participant(snap, "walter")
            assert pw is not None and pw["online"] is True, (label, pw)
        assert again["seq"] == final["seq"] == w_events[-1][1]["seq"], (again["seq"], final["seq"], w_events[-1])

    nodes.run(scenario, timeout=40)
