"""End-to-end tests of the ``meet`` terminal client, run in tmux against a real meetings server.

What the screen shows is defined by ``Sources/MeetTUI/Render/Layout.swift`` (and the markers by
``Glyphs.swift``), the keys by ``Sources/MeetTUI/App/ClientModel+Keys.swift``, the server's side by
``/work/shared/spec/meetings-api.md``. Fixtures and the tmux driver are in ``conftest.py``.

Screen of a 100×30 terminal (rows 0-based): row 0 header (title, id, lock marker, recording on
the right), row 1 rule, rows 2..26 the body (participants on the left of a ``│``, hand queue and
activity on the right), row 27 rule, row 28 status line, row 29 key bar.
"""

from __future__ import annotations

import re
import secrets
import time
from typing import TYPE_CHECKING

# Fixtures (conftest.py): ``api`` (REST on the server under test) and ``tui`` (clients in tmux).
# Their classes are only used as annotations: nothing is imported from conftest at run time.
if TYPE_CHECKING:
    from conftest import Api, Pane, Tui

# --------------------------------------------------------------------------------------
# helpers
# --------------------------------------------------------------------------------------



def unique_title(base: str) -> str:
    return f"{base} {secrets.token_hex(2)}"


def start_and_wait_connected(tui: Tui, pane: Pane, title: str, test: str) -> str:
    """Wait (polling every 20 ms) for the first frame with the title and "connected over"; records the
    startup time (tmux new-session to that frame)."""
    text, elapsed = pane.wait_for(
        lambda t: title in t and "connected over" in t,
        f"the title {title!r} and 'connected over'",
        timeout=tui.STARTUP_TIMEOUT,
        interval=tui.MEASURE_INTERVAL,
        since=pane.started_at,
    )
    tui.record(f"meet join startup to first frame with 'connected over' [{test}]", elapsed, "s")
    return text


def body(text: str, height: int, separator: str = "│") -> tuple[list[str], list[str]]:
    """The left (participants) and right (hand queue, activity) columns of the body rows."""
    left, right = [], []
    for line in text.split("\n")[2 : height - 3]:
        l, sep, r = line.partition(separator)
        left.append(l)
        right.append(r if sep else "")
    return left, right


def queue_lines(text: str, height: int, separator: str = "│") -> list[str]:
    """The numbered entries of the hand queue ("1. ✋ Bob  0s"), top to bottom."""
    _, right = body(text, height, separator)
    return [r.strip() for r in right if re.match(r"\s*\d+\. ", r)]


def rows(text: str) -> list[str]:
    return text.split("\n")


def header(text: str) -> str:
    return rows(text)[0]


def status_line(text: str, height: int) -> str:
    lines = rows(text)
    return lines[height - 2] if len(lines) >= height - 1 else ""


def key_bar(text: str, height: int) -> str:
    lines = rows(text)
    return lines[height - 1] if len(lines) >= height else ""


def rest_then_wait(tui: Tui, pane: Pane, call, predicate, what: str, label: str) -> str:
    """Make a REST call and wait for ``predicate``; records the latency from the call's start to
    the pane's output that shows its effect: the server's handling and fan-out included, timed by
    tmux control mode (``Pane.measure``)."""
    text, elapsed = pane.measure(call, predicate, what, timeout=tui.UI_TIMEOUT)
    tui.record(f"REST call sent to pane showing it [{label}]", elapsed * 1000, "ms")
    return text


def key_then_wait(tui: Tui, pane: Pane, key: str, predicate, what: str, label: str) -> str:
    """Press ``key`` and wait for ``predicate``; records the latency from ``tmux send-keys`` (its
    own start included) to the pane's output that shows its effect."""
    text, elapsed = pane.measure(lambda: pane.send_keys(key), predicate, what, timeout=tui.UI_TIMEOUT)
    tui.record(f"key: send-keys to pane showing it [{label}]", elapsed * 1000, "ms")
    return text


# --------------------------------------------------------------------------------------
# 1. join, then follow REST changes
# --------------------------------------------------------------------------------------


def test_join_shows_the_room_and_follows_rest_changes(api: Api, tui: Tui):
    """alice (host) runs `meet join`; bob and carol act over REST; every change reaches the screen."""
    title = unique_title("Weekly sync")
    mid, tok = api.room(title, ("alice", "Alice"), ("bob", "Bob"), ("carol", "Carol"))
    H = 30
    latencies = tui.workdir / "test1-latency.log"
    with tui.join(api, mid, tok["alice"], "alice", MEET_LATENCY_LOG=str(latencies)) as pane:
        text = start_and_wait_connected(tui, pane, title, "test 1")
        assert mid in header(text), f"the header should show the meeting id {mid}:\n{tui.frame(text)}"
        assert "connected over websocket" in status_line(text, H), tui.frame(text)
        assert "Participants (3)" in text, tui.frame(text)
        left, _ = body(text, H)
        assert any(re.search(r"★ Alice \(you\)", l) for l in left), f"alice should be marked host and (you):\n{tui.frame(text)}"
        assert any("Bob" in l for l in left) and any("Carol" in l for l in left), tui.frame(text)
        assert "Hand queue (0)" in text and "no hands raised" in text, tui.frame(text)

        # Bob raises a hand: the latency from the REST call to the screen is measured.
        text = rest_then_wait(
            tui, pane, lambda: api.act(mid, tok["bob"], "hand/raise"),
            lambda t: "Hand queue (1)" in t and "1. ✋ Bob" in t, "'Hand queue (1)' with '1. ✋ Bob'",
            "hand raise (bob)",
        )
        # Carol raises a hand after Bob: queue order is the server's order.
        text = rest_then_wait(
            tui, pane, lambda: api.act(mid, tok["carol"], "hand/raise"),
            lambda t: "Hand queue (2)" in t and "2. ✋ Carol" in t, "'Hand queue (2)' with '2. ✋ Carol'",
            "hand raise (carol)",
        )
        queue = queue_lines(text, H)
        assert len(queue) == 2 and queue[0].startswith("1. ✋ Bob") and queue[1].startswith("2. ✋ Carol"), (
            f"hand queue should be [1. ✋ Bob, 2. ✋ Carol], got {queue}:\n{tui.frame(text)}"
        )
        left, right = body(text, H)
        assert any(re.search(r"\bBob ✋1\b", l) for l in left), f"Bob's row should show ✋1:\n{tui.frame(text)}"
        assert any(re.search(r"\bCarol ✋2\b", l) for l in left), f"Carol's row should show ✋2:\n{tui.frame(text)}"
        activity = "\n".join(right)
        assert "Bob raised a hand (#1)" in activity and "Carol raised a hand (#2)" in activity, (
            f"the activity should log both raises:\n{tui.frame(text)}"
        )

        # Alice starts recording: "● REC mm:ss Alice" on the right of the header.
        text = rest_then_wait(
            tui, pane, lambda: api.act(mid, tok["alice"], "recording/start"),
            lambda t: re.search(r"● REC \d\d:\d\d Alice", header(t)) is not None, "'● REC mm:ss Alice' in the header",
            "recording start",
        )
        assert "Alice started recording" in text, tui.frame(text)

        # Music: "♪ Lo-fi 40%" in the status line.
        text = rest_then_wait(
            tui, pane, lambda: api.act(mid, tok["alice"], "music/start", {"track": "Lo-fi", "volume": 40}),
            lambda t: "♪ Lo-fi 40%" in status_line(t, H), "'♪ Lo-fi 40%' in the status line",
            "music start",
        )
        assert "Alice started music: Lo-fi" in text, tui.frame(text)

        # Lock: "🔒 LOCKED" in the header.
        text = rest_then_wait(
            tui, pane, lambda: api.act(mid, tok["alice"], "lock"),
            lambda t: "🔒 LOCKED" in header(t), "'🔒 LOCKED' in the header",
            "lock",
        )
        assert "Alice locked the meeting" in text, tui.frame(text)

        # Ten chat lines: more samples of event → screen.
        for n in range(10):
            rest_then_wait(
                tui, pane, lambda: api.rest("POST", f"/api/meetings/{mid}/messages", tok["bob"], {"text": f"ping {n}"}, expect=201),
                lambda t: f"<Bob> ping {n}" in t, f"'<Bob> ping {n}' in the activity", f"chat {n}",
            )
        assert pane.exit_status() is None, f"the client exited early:\n{tui.frame(text)}"
    # Inside meet: from the socket handing each event over to the frame showing it.
    tui.latency_log(latencies)


# --------------------------------------------------------------------------------------
# 2. keys reach the server
# --------------------------------------------------------------------------------------


def test_keys_reach_the_server(api: Api, tui: Tui):
    """`h` raises and lowers alice's own hand, `L` (a host key) locks: checked on the server's snapshot."""
    title = unique_title("Keys")
    mid, tok = api.room(title, ("alice", "Alice"), ("bob", "Bob"))
    latencies = tui.workdir / "test2-latency.log"
    with tui.join(api, mid, tok["alice"], "alice", MEET_LATENCY_LOG=str(latencies)) as pane:
        start_and_wait_connected(tui, pane, title, "test 2")

        def hands(snap):
            return [h["userId"] for h in snap["hands"]]

        # j and k move the selection: key to screen, timed by tmux control mode.
        for n in range(4):
            key_then_wait(tui, pane, "j", lambda t: re.search(r"▶\s+Bob", t) is not None, "Bob selected (after 'j')", f"j {n}")
            key_then_wait(tui, pane, "k", lambda t: re.search(r"▶ ★ Alice", t) is not None, "Alice selected (after 'k')", f"k {n}")

        # h raises alice's hand on the server.
        pane.send_keys("h")
        _, took = api.wait_snapshot(mid, lambda s: hands(s) == ["alice"], "alice's hand raised (after 'h')",
                                    interval=tui.MEASURE_INTERVAL)
        tui.record("key 'h' sent to server snapshot showing the hand", took * 1000, "ms")
        # ... and the client shows it before the next key (else 'h' would raise again).
        pane.wait_for(lambda t: "1. ✋ Alice" in t and re.search(r"Alice \(you\) ✋1", t) is not None,
                      "'1. ✋ Alice' in the queue and '✋1' on alice's row")

        # h again lowers it.
        pane.send_keys("h")
        api.wait_snapshot(mid, lambda s: hands(s) == [], "no hands (after the second 'h')")
        pane.wait_text("Hand queue (0)", "Alice lowered their hand")

        # L (host key) locks the meeting.
        pane.send_keys("L")
        api.wait_snapshot(mid, lambda s: s["locked"] is True, "locked true (after 'L')")
        text = pane.wait_for(lambda t: "🔒 LOCKED" in header(t), "'🔒 LOCKED' in the header")[0]
        assert pane.exit_status() is None, f"the client exited early:\n{tui.frame(text)}"
    tui.latency_log(latencies)


# --------------------------------------------------------------------------------------
# 3. resize
# --------------------------------------------------------------------------------------


def test_resize_redraws(api: Api, tui: Tui):
    """The layout follows the terminal's size: 70×20, below the 60×16 minimum, and back."""
    title = unique_title("Resize")
    mid, tok = api.room(title, ("alice", "Alice"), ("bob", "Bob"))
    api.act(mid, tok["bob"], "hand/raise")
    with tui.join(api, mid, tok["alice"], "alice") as pane:
        start_and_wait_connected(tui, pane, title, "test 3")

        def laid_out(width: int, height: int):
            """The full layout, drawn for exactly width×height."""
            def check(t: str) -> bool:
                lines = rows(t)
                return (
                    len(lines) == height
                    and title in lines[0]
                    and lines[1] == "─" * width
                    and lines[height - 3] == "─" * width
                    and "connected over" in lines[height - 2]
                    and lines[height - 1].startswith(" h hand  c chat")
                    and "Hand queue (1)" in t
                )
            return check

        # 70×20: still the room, every line within 70 columns, the key bar on the last row.
        pane.resize(70, 20)
        assert pane.size() == (70, 20), f"tmux did not resize the pane: {pane.size()}"
        text, _ = pane.wait_for(laid_out(70, 20), "the room laid out for 70×20 (rules of 70, key bar on row 19)")
        too_wide = [(i, tui.display_width(l), l) for i, l in enumerate(rows(text)) if tui.display_width(l) > 70]
        assert not too_wide, f"lines longer than 70 columns: {too_wide}\n{tui.frame(text)}"
        assert tui.display_width(key_bar(text, 20)) <= 70, tui.frame(text)

        # 40×10: below the minimum (60×16).
        pane.resize(40, 10)
        text, _ = pane.wait_for(lambda t: "Terminal too small: 40×10" in t, "'Terminal too small: 40×10'")
        assert "meet needs at least 60×16" in text, tui.frame(text)
        assert all(tui.display_width(l) <= 40 for l in rows(text)), tui.frame(text)

        # Back to 100×30: the room again.
        pane.resize(100, 30)
        text, _ = pane.wait_for(laid_out(100, 30), "the room laid out for 100×30 again")
        assert "Terminal too small" not in text, tui.frame(text)
        assert pane.exit_status() is None, f"the client exited:\n{tui.frame(text)}"


# --------------------------------------------------------------------------------------
# 4. q leaves
# --------------------------------------------------------------------------------------


def test_quit_leaves_the_meeting(api: Api, tui: Tui):
    """`q` leaves over REST, restores the terminal, prints `Left the meeting <id>.` and exits 0."""
    title = unique_title("Quit")
    mid, tok = api.room(title, ("alice", "Alice"), ("bob", "Bob"))
    with tui.join(api, mid, tok["alice"], "alice") as pane:
        start_and_wait_connected(tui, pane, title, "test 4")
        before = [p["userId"] for p in api.snapshot(mid)["participants"]]
        assert "alice" in before, f"alice should be a participant before quitting: {before}"

        pane.send_keys("q")
        sent = time.monotonic()
        status = pane.wait_exit()
        tui.record("meet join: 'q' to exit status written", (time.monotonic() - sent) * 1000, "ms")
        text = pane.wait_text(f"Left the meeting {mid}.")
        assert status == 0, f"meet exited with status {status} after q:\n{tui.frame(text)}"
        participants = [p["userId"] for p in api.snapshot(mid)["participants"]]
        assert "alice" not in participants, f"alice is still listed after q: {participants}"
        assert "bob" in participants, participants


# --------------------------------------------------------------------------------------
# 5. ASCII mode
# --------------------------------------------------------------------------------------


def non_ascii(text: str) -> list[str]:
    """Every non-ASCII character of ``text`` as 'row R col C: 'x' U+XXXX in <line>'."""
    found = []
    for r, line in enumerate(rows(text)):
        for c, ch in enumerate(line):
            if ord(ch) > 0x7E or (ord(ch) < 0x20 and ch != "\t"):
                found.append(f"row {r} col {c}: {ch!r} U+{ord(ch):04X} in {line.strip()!r}")
    return found


def test_ascii_mode(api: Api, tui: Tui):
    """`--ascii`: the markers are ASCII ([LOCKED], (REC), ^N, *, ~) and so is everything else on
    the screen (every name, the title and the id are ASCII here); six hands also show the queue's
    overflow line."""
    title = unique_title("Plain sync")
    extra = [(f"user{i}", f"User{i}") for i in range(1, 6)]
    mid, tok = api.room(title, ("alice", "Alice"), ("bob", "Bob"), *extra)
    H = 30
    with tui.join(api, mid, tok["alice"], "alice", "--ascii", "--no-color") as pane:
        start_and_wait_connected(tui, pane, title, "test 5")
        # Six hands (more than the 5 the queue lists), the lock, recording and music.
        for uid in ["bob"] + [u for u, _ in extra]:
            api.act(mid, tok[uid], "hand/raise")
        api.act(mid, tok["alice"], "lock")
        api.act(mid, tok["alice"], "recording/start")
        api.act(mid, tok["alice"], "music/start", {"track": "Lo-fi", "volume": 40})
        text, _ = pane.wait_for(
            lambda t: "[LOCKED]" in header(t)
            and re.search(r"\(REC\) \d\d:\d\d Alice", header(t)) is not None
            and "~ Lo-fi 40%" in status_line(t, H)
            and "Hand queue (6)" in t
            and "Alice locked the meeting" in t,
            "'[LOCKED]', '(REC) mm:ss Alice', '~ Lo-fi 40%' and 'Hand queue (6)'",
        )
        left, _ = body(text, H, "|")
        assert any(re.search(r"\* Alice \(you\)", l) for l in left), f"host marker '*':\n{tui.frame(text)}"
        assert any(re.search(r"\bBob \^1\b", l) for l in left), f"Bob's row should show ^1:\n{tui.frame(text)}"
        queue = queue_lines(text, H, "|")
        assert queue and queue[0].startswith("1. ^ Bob"), f"queue {queue}:\n{tui.frame(text)}"
        assert "connected over websocket" in status_line(text, H), tui.frame(text)
        bad = non_ascii(text)
        assert not bad, (
            "with --ascii the screen should be ASCII only (every name here is ASCII); found:\n  "
            + "\n  ".join(bad) + f"\npane:\n{tui.frame(text)}"
        )


# --------------------------------------------------------------------------------------
# 6. meet demo
# --------------------------------------------------------------------------------------

DEMO_NAMES = ["Alice", "Bob", "Carol Nakamura", "Dave", "Erin 恵林"]


def test_demo_is_alive_within_5_seconds(tui: Tui):
    """`meet demo` (its own in-process server and cast) is connected and busy within 5 s, and `q` exits 0."""
    with tui.demo() as pane:
        deadline = pane.started_at + 5.0
        text, elapsed = pane.wait_for(
            lambda t: "connected over" in t, "'connected over'",
            timeout=deadline - time.monotonic(), interval=tui.MEASURE_INTERVAL, since=pane.started_at,
        )
        tui.record("meet demo startup to first frame with 'connected over'", elapsed, "s")

        def alive(t: str) -> bool:
            return "connected over" in t and "Hand queue" in t and sum(n in t for n in DEMO_NAMES) >= 4

        text, elapsed = pane.wait_for(
            alive, "'connected over', 'Hand queue' and at least 4 of " + ", ".join(DEMO_NAMES),
            timeout=max(0.0, deadline - time.monotonic()), since=pane.started_at,
        )
        tui.record("meet demo startup to 4 demo names and the hand queue", elapsed, "s")
        assert "Demo: weekly sync" in header(text), tui.frame(text)
        assert "Tester (you)" in text, f"USER=tester should be in the room as 'Tester (you)':\n{tui.frame(text)}"

        pane.send_keys("q")
        sent = time.monotonic()
        status = pane.wait_exit()
        tui.record("meet demo: 'q' to exit status written", (time.monotonic() - sent) * 1000, "ms")
        text = pane.wait_text("Left the meeting")
        assert status == 0, f"meet demo exited with status {status} after q:\n{tui.frame(text)}"
