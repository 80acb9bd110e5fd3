"""The original Node meetings service's two WebSocket test scripts, re-created with python-socketio.

Seed report: ``/work/shared/seed/000_2fef271e458f6755.txt``; contract:
``/work/shared/spec/meetings-api.md`` (sections 1, 3 and 5 chiefly).

* ``test_basic_flow`` is seed test 1 (``test-websocket-events.js``): connect with a JWT,
  ``meeting:join``, ``meeting:leave``, ``ping``/``pong``.
* ``test_integration_flow`` is seed test 2 (``test-websocket-integration.js``): REST actions
  (join, music start/stop, raise hand) reach a socket subscribed to the meeting's room as
  ``meeting:*`` events with consecutive ``seq`` numbers.
* The remaining tests cover what the seed report lists as next steps and the contract pins down:
  refused connections (``CONNECT_ERROR`` codes), the other two token carriers (header, query),
  refused ``meeting:join`` and presence.

Every socket test runs over websocket only, polling only and polling with an upgrade (see
``TRANSPORT_MODES`` in ``Tests/pysupport/sio_helpers.py``).
"""

from __future__ import annotations

from datetime import datetime

import pytest
import socketio

# --------------------------------------------------------------------------------------
# small assertion helpers
# --------------------------------------------------------------------------------------


def assert_iso_utc(value, what: str):
    """``value`` is an ISO 8601 UTC timestamp string (contract §3: all times are server times, ISO 8601 UTC)."""
    assert isinstance(value, str), f"{what} should be an ISO 8601 string, got {value!r}"
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    assert parsed.utcoffset() is not None and parsed.utcoffset().total_seconds() == 0, (
        f"{what} should be UTC, got {value!r}"
    )


def assert_room_event(payload, meeting_id: str, event: str):
    """Every room event carries ``meetingId``, an integer ``seq`` and a server time ``at`` (§5)."""
    assert isinstance(payload, dict), f"{event} payload should be an object, got {payload!r}"
    assert payload.get("meetingId") == meeting_id, f"{event}: meetingId {payload.get('meetingId')!r}"
    seq = payload.get("seq")
    assert isinstance(seq, int) and not isinstance(seq, bool), f"{event}: seq {seq!r} is not an integer"
    assert_iso_utc(payload.get("at"), f"{event}.at")


def room_events(client) -> list[tuple[str, dict]]:
    """The ``meeting:*`` room events a client received, in arrival order (``meeting:joined`` and
    ``meeting:left`` are answers to the socket, not room events, and carry no ``seq``)."""
    return [
        (name, args[0])
        for name, args in client.rec.log
        if name.startswith("meeting:") and name not in ("meeting:joined", "meeting:left")
    ]


def assert_consecutive_seqs(events: list[tuple[str, dict]], snapshot_seq: int):
    """The events' seqs rise by exactly 1, starting right after the snapshot the client holds (§3)."""
    seqs = [payload["seq"] for _, payload in events]
    expected = list(range(snapshot_seq + 1, snapshot_seq + 1 + len(seqs)))
    assert seqs == expected, (
        f"seqs in arrival order {list(zip([n for n, _ in events], seqs))} should be {expected} "
        f"(snapshot seq {snapshot_seq})"
    )


async def join_room(client, meeting_id: str) -> dict:
    """``meeting:join`` with an ack; returns the snapshot, after checking ack and ``meeting:joined`` agree."""
    ack = await client.call("meeting:join", {"meetingId": meeting_id})
    assert isinstance(ack, dict) and ack.get("ok") is True, f"meeting:join ack {ack!r}"
    joined = await client.event("meeting:joined")
    assert joined["meetingId"] == meeting_id
    assert joined["state"]["id"] == meeting_id
    assert ack["state"]["seq"] == joined["state"]["seq"]
    return ack["state"]


# --------------------------------------------------------------------------------------
# seed test 1: connection, authentication, join/leave, ping/pong
# --------------------------------------------------------------------------------------


def test_basic_flow(meetings, transports):
    alice = meetings.token("alice", name="Alice")
    meeting = meetings.create_meeting(alice, "Seed test 1")
    mid = meeting["id"]

    async def scenario():
        # 1-2. connection with the JWT in the CONNECT auth payload
        c = await meetings.connected(transports, alice, "alice")
        assert c.sio.connected and c.sio.get_sid("/"), "client should be connected to namespace /"

        # 3. join the meeting room without an ack -> meeting:joined {meetingId, state}
        await c.emit("meeting:join", {"meetingId": mid})
        joined = await c.event("meeting:joined")
        assert joined["meetingId"] == mid
        state = joined["state"]
        assert state["id"] == mid and state["title"] == "Seed test 1"
        assert state["seq"] == 0, f"a new meeting has seq 0, snapshot says {state['seq']!r}"

        # ... and with an ack: {ok: true, state}, and meeting:joined is emitted as well
        ack = await c.call("meeting:join", {"meetingId": mid})
        assert isinstance(ack, dict) and ack.get("ok") is True, f"ack {ack!r}"
        assert ack["state"]["id"] == mid and isinstance(ack["state"]["seq"], int)
        joined_again = await c.event("meeting:joined")
        assert joined_again["meetingId"] == mid and joined_again["state"]["id"] == mid

        # 4. leave the room -> meeting:left {meetingId}
        await c.emit("meeting:leave", {"meetingId": mid})
        left = await c.event("meeting:left")
        assert left["meetingId"] == mid

        # 5. heartbeat: ping without payload -> pong {serverTime}
        await c.emit("ping")
        pong = await c.event("pong")
        assert "serverTime" in pong, f"pong {pong!r} has no serverTime"
        assert_iso_utc(pong["serverTime"], "pong.serverTime")

        # ... and ping {ts} -> pong echoes ts
        await c.emit("ping", {"ts": 123})
        pong = await c.event("pong")
        assert pong.get("ts") == 123, f"pong {pong!r} should echo ts 123"
        assert_iso_utc(pong.get("serverTime"), "pong.serverTime")

        assert c.rec.pending("error") == [], "no error event expected"

    meetings.run(scenario)


# --------------------------------------------------------------------------------------
# seed test 2: REST actions reach the room as meeting:* events
# --------------------------------------------------------------------------------------


def test_integration_flow(meetings, transports):
    alice = meetings.token("alice", name="Alice")
    bob = meetings.token("bob", name="Bob")

    async def scenario():
        # 1. the host creates the meeting via REST
        meeting = await meetings.arest("POST", "/api/meetings", alice, {"title": "Seed test 2"}, expect=201)
        mid = meeting["id"]

        # 2-3. the participant connects with a JWT and subscribes to the room
        b = await meetings.connected(transports, bob, "bob")
        snapshot = await join_room(b, mid)
        snapshot_seq = snapshot["seq"]

        # 4. REST join -> meeting:participant-joined; bob's socket is subscribed, so he is online
        await meetings.arest("POST", f"/api/meetings/{mid}/join", bob)
        ev = await b.event("meeting:participant-joined")
        assert_room_event(ev, mid, "meeting:participant-joined")
        p = ev["participant"]
        assert p["userId"] == "bob" and p["name"] == "Bob" and p["role"] == "participant", p
        assert p["online"] is True, f"bob's socket is in the room, so he is online from the join on: {p}"

        # 5. background music starts
        await meetings.arest("POST", f"/api/meetings/{mid}/music/start", alice, {"track": "Lo-fi", "volume": 40})
        ev = await b.event("meeting:music-started")
        assert_room_event(ev, mid, "meeting:music-started")
        assert (ev["track"], ev["volume"], ev["by"]) == ("Lo-fi", 40, "alice"), ev

        # 6. background music stops
        await meetings.arest("POST", f"/api/meetings/{mid}/music/stop", alice)
        ev = await b.event("meeting:music-stopped")
        assert_room_event(ev, mid, "meeting:music-stopped")
        assert ev["by"] == "alice", ev

        # 7. bob raises his hand
        await meetings.arest("POST", f"/api/meetings/{mid}/hand/raise", bob)
        ev = await b.event("meeting:hand-raised")
        assert_room_event(ev, mid, "meeting:hand-raised")
        assert ev["userId"] == "bob" and ev["position"] == 1, ev
        assert_iso_utc(ev["raisedAt"], "meeting:hand-raised.raisedAt")

        # Everything the socket got from the room, in order, continues the snapshot's seq. A
        # presence event, if the server sends one, counts too (§3), hence the whole log.
        events = room_events(b)
        assert_consecutive_seqs(events, snapshot_seq)

        # The REST snapshot agrees with the last event's seq.
        final = await meetings.arest("GET", f"/api/meetings/{mid}", alice)
        assert final["seq"] == events[-1][1]["seq"], (final["seq"], events)

    meetings.run(scenario)


# --------------------------------------------------------------------------------------
# authentication on the Socket.IO handshake
# --------------------------------------------------------------------------------------

#: name -> (function of the ``meetings`` helper giving the token or None, expected code)
REFUSED_TOKENS = {
    "missing": (lambda m: None, "token_missing"),
    "garbage": (lambda m: "not-a-jwt", "token_invalid"),
    "wrong_secret": (lambda m: m.token("mallory", secret=b"another-secret-of-at-least-32-bytes!"), "token_invalid"),
    "expired": (lambda m: m.token("alice", ttl=-3600), "token_expired"),
    "refresh_type": (lambda m: m.token("alice", type="refresh"), "token_type"),
    "alg_none": (lambda m: m.token("alice", alg="none"), "token_invalid"),
}


@pytest.mark.parametrize("case", list(REFUSED_TOKENS))
def test_connect_refused(meetings, transports, case):
    make_token, code = REFUSED_TOKENS[case]
    token = make_token(meetings)

    async def scenario():
        c = meetings.client(case)
        with pytest.raises(socketio.exceptions.ConnectionError):
            await c.connect(transports, token)
        assert not c.sio.connected
        (args,) = c.rec.pending("connect_error")  # exactly one CONNECT_ERROR
        assert args == ({"message": "Authentication error", "data": {"code": code}},), (
            f"connect_error carried {args!r}"
        )

    meetings.run(scenario)


@pytest.mark.parametrize("carrier", ["header", "query"])
def test_connect_with_token_outside_auth(meetings, transports, carrier):
    """Clients that cannot set the auth payload send the token in an ``Authorization: Bearer``
    header or a ``token`` query parameter (§1). To check that the identity really comes from
    that token, the host joins the room of a *locked* meeting, which a stranger could not."""
    alice = meetings.token("alice", name="Alice")
    mid = meetings.create_meeting(alice, "Locked")["id"]
    meetings.rest("POST", f"/api/meetings/{mid}/lock", alice)

    async def scenario():
        c = meetings.client(carrier)
        if carrier == "header":
            await c.connect(transports, headers={"Authorization": f"Bearer {alice}"})
        else:
            await c.connect(transports, query={"token": alice})
        assert c.sio.connected
        state = await join_room(c, mid)
        assert state["locked"] is True

    meetings.run(scenario)


# --------------------------------------------------------------------------------------
# refused meeting:join
# --------------------------------------------------------------------------------------


def test_join_refused(meetings, transports):
    alice = meetings.token("alice", name="Alice")
    bob = meetings.token("bob", name="Bob")
    carol = meetings.token("carol", name="Carol")
    mid = meetings.create_meeting(alice, "Locked later")["id"]
    meetings.rest("POST", f"/api/meetings/{mid}/join", bob)  # bob is a participant before the lock
    meetings.rest("POST", f"/api/meetings/{mid}/lock", alice)

    async def expect_refusal(client, payload, code: str):
        """The ack is ``{ok:false, error:{code,message}}`` and an ``error`` event comes too."""
        ack = await client.call("meeting:join", payload)
        assert isinstance(ack, dict) and ack.get("ok") is False, f"meeting:join {payload!r}: ack {ack!r}"
        assert ack["error"]["code"] == code, f"meeting:join {payload!r}: ack {ack!r}"
        assert isinstance(ack["error"].get("message"), str) and ack["error"]["message"]
        err = await client.event("error")
        assert err["code"] == code and err["event"] == "meeting:join", f"error event {err!r}"
        assert isinstance(err.get("message"), str) and err["message"]

    async def scenario():
        c = await meetings.connected(transports, carol, "carol")
        await expect_refusal(c, {}, "invalid_request")  # no meetingId
        await expect_refusal(c, None, "invalid_request")  # no payload at all
        await expect_refusal(c, {"meetingId": 42}, "invalid_request")  # not a string
        await expect_refusal(c, {"meetingId": "no-such-meeting"}, "not_found")
        await expect_refusal(c, {"meetingId": mid}, "meeting_locked")  # neither host nor participant

        # Without an ack only the error event comes.
        await c.emit("meeting:join", {})
        err = await c.event("error")
        assert err["code"] == "invalid_request" and err["event"] == "meeting:join", err
        assert c.rec.pending("meeting:joined") == [], "a refused join must not answer meeting:joined"

        # The locked meeting still admits its host and an existing participant.
        a = await meetings.connected(transports, alice, "alice")
        assert (await join_room(a, mid))["locked"] is True
        b = await meetings.connected(transports, bob, "bob")
        assert (await join_room(b, mid))["locked"] is True

    meetings.run(scenario)


# --------------------------------------------------------------------------------------
# presence
# --------------------------------------------------------------------------------------


def test_presence(meetings, transports):
    alice = meetings.token("alice", name="Alice")
    bob = meetings.token("bob", name="Bob")
    mid = meetings.create_meeting(alice, "Presence")["id"]
    meetings.rest("POST", f"/api/meetings/{mid}/join", bob)  # participant, not connected yet

    async def scenario():
        # alice watches the room; bob is a participant but offline
        a = await meetings.connected(transports, alice, "alice")
        snapshot = await join_room(a, mid)
        (bob_p,) = [p for p in snapshot["participants"] if p["userId"] == "bob"]
        assert bob_p["online"] is False, f"bob has no socket yet: {bob_p}"

        # bob connects and subscribes -> online:true
        b = await meetings.connected(transports, bob, "bob")
        await join_room(b, mid)
        ev = await a.event("meeting:presence-updated")
        assert_room_event(ev, mid, "meeting:presence-updated")
        assert (ev["userId"], ev["online"]) == ("bob", True), ev

        # bob's only socket goes -> online:false
        await b.close()
        ev = await a.event("meeting:presence-updated")
        assert_room_event(ev, mid, "meeting:presence-updated")
        assert (ev["userId"], ev["online"]) == ("bob", False), ev

        assert_consecutive_seqs(room_events(a), snapshot["seq"])

    meetings.run(scenario)
