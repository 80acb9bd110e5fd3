"""The ``meet`` screen under stress, in tmux against a real meetings server: resizes while events
arrive, a 200-participant roster at 80×24, and ``meet watch``'s JSON lines.

Fixtures and the tmux driver are in ``conftest.py``; the screen's rows are described at the top of
``test_meet_tui.py``.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import signal
import subprocess
import threading
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from conftest import Api, Pane, Tui



def rows(text: str) -> list[str]:
    return text.split("\n")


def synced_seq(text: str) -> int | None:
    """The ``seq`` of the status bar's ``synced · seq N``."""
    match = re.search(r"synced · seq (\d+)", text)
    return int(match.group(1)) if match else None


class EventPump:
    """Bob's hand goes up and down and Carol chats, over REST, every ~40 ms, until stopped."""

    def __init__(self, api: Api, mid: str, tok: dict[str, str]):
        self.api, self.mid, self.tok = api, mid, tok
        self.stop = threading.Event()
        self.sent = 0
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        try:
            n = 0
            while not self.stop.is_set():
                if n % 3 == 2:
                    self.api.rest("POST", f"/api/meetings/{self.mid}/messages", self.tok["carol"], {"text": f"note {n}"}, expect=201)
                else:
                    self.api.act(self.mid, self.tok["bob"], "hand/raise" if n % 3 == 0 else "hand/lower")
                self.sent += 1
                n += 1
                time.sleep(0.04)
        except BaseException as error:  # reported by the test
            self.error = error

    def __enter__(self) -> "EventPump":
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join(10)
        assert self.error is None, f"the event pump failed: {self.error!r}"


def comparable(text: str, width: int) -> list[str]:
    """The screen without what two clients legitimately show differently: numbers (waits, times,
    the round trip) become '#', the round trip is dropped, and the right column below
    "Activity" (a fresh client has seen no activity yet) is blanked."""
    out = []
    blank_from: int | None = None
    for line in rows(text):
        line = re.sub(r" · rtt \d+ ms", "", line)
        if blank_from is None and "│ Activity" in line:
            blank_from = line.index("│ Activity") + 1
        elif blank_from is not None and len(line) > blank_from and "│" in line[: blank_from]:
            line = line[:blank_from]
        out.append(re.sub(r"\d+", "#", line).rstrip())
    return out


def test_resize_under_events_matches_a_fresh_client(api: Api, tui: Tui):
    """100×30 → 60×20 → 120×35 → 80×24 while events arrive (a hand up and down, chat, every
    ~40 ms): after each resize, once the events stop, the screen equals that of a client started
    fresh at that size (same user, same seq), row by row, numbers and the activity aside; no row
    is wider than the terminal."""
    title = f"Resize storm {secrets.token_hex(2)}"
    mid, tok = api.room(title, ("alice", "Alice"), ("bob", "Bob"), ("carol", "Carol"), ("dave", "Dave"))
    api.act(mid, tok["dave"], "hand/raise")
    with tui.join(api, mid, tok["alice"], "alice") as pane:
        pane.wait_for(lambda t: title in t and "connected over" in t, "the room, connected", timeout=tui.STARTUP_TIMEOUT)
        for width, height in [(60, 20), (120, 35), (80, 24)]:
            with EventPump(api, mid, tok) as pump:
                time.sleep(0.15)
                pane.resize(width, height)
                time.sleep(0.4)
            assert pump.sent > 5, f"only {pump.sent} events were sent during the resize to {width}×{height}"
            seq = api.snapshot(mid)["seq"]
            text, _ = pane.wait_for(lambda t: synced_seq(t) == seq and len(rows(t)) == height,
                                    f"'synced · seq {seq}' at {width}×{height}")
            wide = [(i, tui.display_width(l)) for i, l in enumerate(rows(text)) if tui.display_width(l) > width]
            assert not wide, f"rows wider than {width}: {wide}\n{tui.frame(text)}"

            fresh = tui.join(api, mid, tok["alice"], "alice", width=width, height=height)
            with fresh as other:
                fresh_text, _ = other.wait_for(lambda t: synced_seq(t) == seq and "connected over" in t,
                                               f"a fresh client at {width}×{height} synced at seq {seq}")
                # The same user's second client: kill it without leaving (SIGKILL), so that the
                # first stays in the meeting.
                pid = other.client_pid()
                if pid is not None:
                    os.kill(pid, signal.SIGKILL)
            text = pane.capture()
            mine, theirs = comparable(text, width), comparable(fresh_text, width)
            diff = [f"row {i}:\n  resized: {a!r}\n  fresh:   {b!r}" for i, (a, b) in enumerate(zip(mine, theirs)) if a != b]
            assert len(mine) == len(theirs) == height and not diff, (
                f"after resizing to {width}×{height} the screen differs from a fresh client's:\n" + "\n".join(diff)
                + f"\nresized:\n{tui.frame(text)}\nfresh:\n{tui.frame(fresh_text)}"
            )
        assert pane.exit_status() is None, "the client exited during the resizes"


def test_two_hundred_participants_at_80x24(api: Api, tui: Tui):
    """200 participants (17 hands raised, all but alice offline) at 80×24: every row of the roster
    is a whole participant row or the "↓ N more" line (nothing drawn over a row), names are never
    cut while the screen has room, and the selection stays visible as it walks down the list."""
    title = f"Town hall {secrets.token_hex(2)}"
    people = [(f"p{i:03}", f"Person {i:03}") for i in range(200)]
    mid, tok = api.room(title, ("alice", "Alice"), *people)
    for uid, _ in people[:17]:
        api.act(mid, tok[uid], "hand/raise")
    W, H = 80, 24
    with tui.join(api, mid, tok["alice"], "alice", width=W, height=H) as pane:
        text, _ = pane.wait_for(lambda t: "synced · seq" in t and "Hand queue (17)" in t and "Alice (you) ○off" not in t,
                                "the town hall, connected and synced",
                                timeout=tui.STARTUP_TIMEOUT)

        def roster(t: str) -> list[str]:
            return [line.split("│")[0] for line in rows(t)[3 : H - 3]]

        def check(t: str) -> None:
            left = roster(t)
            assert re.match(r" Participants \(201\) \d+–\d+", rows(t)[2]), tui.frame(t)
            assert re.fullmatch(r"\s+↓ \d+ more\s*", left[-1]), f"the last roster row should be '↓ N more':\n{tui.frame(t)}"
            for line in left[:-1]:
                assert re.fullmatch(r" [ ▶] [ ★] (Alice \(you\)|Person \d\d\d(?: ✋\d+ +\d+[smh]\w*)?(?: ○off)?)\s*", line), (
                    f"a roster row that is not one whole participant: {line!r}\n{tui.frame(t)}"
                )
            assert sum("▶" in line for line in left) == 1, f"the selection should be visible once:\n{tui.frame(t)}"

        check(text)
        # j walks down: row `step` (Person step-1) is selected, and once it passes the 17 rows
        # that fit, the roster scrolls so that it is the last one shown.
        for step in range(1, 41):
            pane.send_keys("j")
            name, last = f"Person {step - 1:03}", max(17, step + 1)
            text, _ = pane.wait_for(
                lambda t: any(l.startswith(f" ▶   {name}") for l in roster(t)) and f"Participants (201) {last - 16}–{last}" in t,
                f"{name} selected and rows {last - 16}–{last} shown (step {step})")
            check(text)


def test_watch_prints_the_documented_json_lines(api: Api, tui: Tui, tmp_path):
    """`meet watch` (JSON lines by default; no --json needed): the first line is the snapshot,
    then {"type":"connection","state":"connected","transport":"websocket"}, then events; every
    line is one JSON object with a "type" of the README's schema; no "offline" line at start."""
    title = f"Watched {secrets.token_hex(2)}"
    mid, tok = api.room(title, ("alice", "Alice"), ("bob", "Bob"))
    token_file = tmp_path / "alice.token"
    token_file.write_text(tok["alice"])
    out = tmp_path / "watch.jsonl"
    with open(out, "w") as sink:
        watch = subprocess.Popen([tui.tools.meet_bin, "watch", mid, "--server", api.url, "--transport", "websocket",
                                  "--token-file", str(token_file)], stdout=sink, stderr=subprocess.PIPE, env=tui.env())
    try:
        deadline = time.monotonic() + 10
        # Connected, and joined: the room's snapshot (`meeting:joined`) follows the connection
        # line. A hand raised before the join would be in that snapshot, not an event line.
        while '"connected"' not in out.read_text() or out.read_text().count('"type":"snapshot"') < 2:
            assert watch.poll() is None, f"meet watch exited {watch.returncode}: {watch.stderr.read().decode()}"
            assert time.monotonic() < deadline, f"meet watch did not connect and join:\n{out.read_text()}"
            time.sleep(0.05)
        api.act(mid, tok["bob"], "hand/raise")
        while '"meeting:hand-raised"' not in out.read_text():
            assert time.monotonic() < deadline, f"meet watch did not print the event:\n{out.read_text()}"
            time.sleep(0.05)
    finally:
        watch.send_signal(signal.SIGINT)
        watch.wait(10)
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert lines[0]["type"] == "snapshot" and lines[0]["state"]["id"] == mid, lines[0]
    assert lines[1] == {"type": "connection", "state": "connected", "transport": "websocket"}, lines[:3]
    for line in lines:
        assert line["type"] in {"snapshot", "event", "connection", "error"}, line
        if line["type"] == "connection":
            assert line["state"] in {"connecting", "connected", "reconnecting", "offline"}, line
            assert "(" not in json.dumps(line), f"a Swift description leaked into the JSON: {line}"
    raised = [line for line in lines if line["type"] == "event" and line["event"] == "meeting:hand-raised"]
    assert raised and raised[0]["data"]["userId"] == "bob", lines
    assert watch.returncode == 0, watch.stderr.read().decode()
