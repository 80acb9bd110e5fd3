"""The ``meet`` client against two meetings-server nodes sharing one PostgreSQL database.

``meet join <id> --server <node A> --server <node B>`` tries the servers in order and, after losing
its connection, reconnects with a backoff of 1-5 s trying the next URL. Node A is killed (SIGKILL)
under it: the screen shows the lost connection, then "connected over" again through node B, and
the room is live again (an action made through node B reaches the screen).

Fixtures (``conftest.py``): ``two_nodes`` (node A and node B, skipped unless
``MEETINGS_TEST_POSTGRES_URL`` is set) and ``tui`` (clients in tmux). Screen helpers are those of
``test_meet_tui.py``.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from test_meet_tui import queue_lines, rest_then_wait, start_and_wait_connected, status_line, unique_title

if TYPE_CHECKING:
    from conftest import TwoNodes, Tui

H = 30  # rows of the pane (100×30)
RECONNECT_TIMEOUT = 15.0  # s, from the kill to "connected over" again


def stale(text: str) -> bool:
    """The header's STALE marker: the room is not current."""
    return "STALE" in text.split("\n")[0]


def lost_connection(text: str) -> bool:
    """The screen says the connection is gone: "reconnecting …" or "offline: …" on the status line,
    or the STALE marker."""
    status = status_line(text, H)
    return "reconnecting" in status or "offline" in status or stale(text)


def connected(text: str) -> bool:
    return "connected over" in status_line(text, H)


class Timeline:
    """Every distinct (status line, STALE) the pane shows while watched, with the time since
    ``since``; printed as it changes (shown with the captured output when the test fails)."""

    def __init__(self, since: float):
        self.since = since
        self.seen: list[tuple[float, str]] = []

    def watch(self, predicate):
        def check(text: str) -> bool:
            state = status_line(text, H).strip() + ("  [header: STALE]" if stale(text) else "")
            if not self.seen or self.seen[-1][1] != state:
                self.seen.append((time.monotonic() - self.since, state))
                print(f"[pane +{self.seen[-1][0]:6.2f} s after the kill] {state}")
            return predicate(text)
        return check

    def __str__(self) -> str:
        return "\n".join(f"  +{t:6.2f} s  {state}" for t, state in self.seen)


def test_meet_moves_to_the_other_node_when_one_is_killed(two_nodes: TwoNodes, tui: Tui):
    a, b = two_nodes.a, two_nodes.b
    title = unique_title("Two nodes")
    alice, bob = a.token("alice", "Alice"), a.token("bob", "Bob")
    mid = a.create_meeting(alice, title)
    a.act(mid, alice, "join")

    with tui.join_servers([a.url, b.url], mid, alice, "alice") as pane:
        start_and_wait_connected(tui, pane, title, "two nodes")
        # The first "connected over" frame can still be STALE (the room is re-fetched once the
        # socket is up): kill only once the room is current, so that whatever shows the lost
        # connection afterwards comes from the kill.
        pane.wait_for(lambda t: connected(t) and not stale(t), "'connected over' without the STALE marker")

        # ---- kill node A (the first server, the one the client connected to) ---------------
        killed = time.monotonic()
        a.server.kill()
        timeline = Timeline(killed)
        text, took = pane.wait_for(
            timeline.watch(lost_connection), "'reconnecting' or 'offline' on the status line, or STALE",
            timeout=tui.UI_TIMEOUT, interval=tui.MEASURE_INTERVAL, since=killed,
        )
        tui.record("node A killed to pane showing the lost connection", took, "s")

        # ---- back through node B ----------------------------------------------------------
        remaining = max(0.1, killed + RECONNECT_TIMEOUT - time.monotonic())
        text, took = pane.wait_for(
            timeline.watch(connected), f"'connected over' again within {RECONNECT_TIMEOUT:.0f} s of the kill "
            "(the captured output lists what the status line showed since the kill)",
            timeout=remaining, interval=tui.MEASURE_INTERVAL, since=killed,
        )
        tui.record("node A killed to 'connected over' again (node B)", took, "s")
        assert pane.exit_status() is None, f"the client exited:\n{tui.frame(text)}"

        # ---- the room is live through node B: bob joins and raises a hand there --------------
        def bob_joins_and_raises():
            b.act(mid, bob, "join")
            b.act(mid, bob, "hand/raise")

        text = rest_then_wait(
            tui, pane, bob_joins_and_raises,
            timeline.watch(lambda t: "Hand queue (1)" in t and "Bob" in t), "'Hand queue (1)' and 'Bob'",
            "bob joins and raises a hand on node B",
        )
        queue = queue_lines(text, H)
        assert queue and queue[0].startswith("1. ✋ Bob"), f"hand queue {queue}:\n{tui.frame(text)}"
        assert connected(text) and not stale(text), (
            f"the room should be current again (connected, no STALE marker):\n{tui.frame(text)}"
        )
        print(f"what the pane showed since the kill:\n{timeline}")

        # ---- q leaves (through node B: node A is gone) and exits 0 -----------------------------
        pane.send_keys("q")
        status = pane.wait_exit()
        text = pane.wait_text(f"Left the meeting {mid}.")
        assert status == 0, f"meet exited with status {status} after q:\n{tui.frame(text)}"
        participants = [p["userId"] for p in b.snapshot(mid)["participants"]]
        assert "alice" not in participants and "bob" in participants, participants
