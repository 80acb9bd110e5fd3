"""End-to-end tests of ``meet join``'s hooks, ``--announce`` and meeting log, against a real
meetings server.

* A ``[hooks]`` entry of the config runs its argv (placeholders filled, ``MEET_EVENT`` in the
  environment) when a hand goes up; a hook that cannot start is reported once in the activity pane.
* The meeting log ``$XDG_STATE_HOME/meet/<id>.log`` (here ``$HOME/.local/state/meet``, the suite
  sets no ``XDG_STATE_HOME``) has a timestamped line per event and connection change, mode 0600.
* ``--announce all`` prints only plain sentences on stdout (no terminal UI), folds a burst of joins
  into "and N more joined", and leaves the meeting on SIGINT; ``--announce-file`` writes them to a
  file instead, only for the categories asked for.

The sentences are the activity pane's (``Sources/MeetTUI/Model/RoomState+Events.swift``), chat as
"Bob says: …"; the rate limit (one sentence per category per 2 s) is in
``Sources/MeetTUI/Announce/Announcer.swift``. Fixtures (``api``, ``tui``) are in ``conftest.py``.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import secrets
import signal
import stat
import subprocess
import threading
import time
from collections.abc import Callable
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Api, Tui

PATH = "/usr/local/bin:/usr/bin:/bin"



def unique_title(base: str) -> str:
    return f"{base} {secrets.token_hex(2)}"


def toml_list(words: list[str]) -> str:
    """A TOML array of basic strings (JSON's string escapes are TOML's)."""
    return "[" + ", ".join(json.dumps(word) for word in words) + "]"


def write_config(tui: Tui, text: str) -> pathlib.Path:
    path = tui.config_home / "meet" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def wait_until(predicate: Callable[[], bool], what: str, show: Callable[[], str], timeout: float = 5.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() >= deadline:
            pytest.fail(f"{what} did not happen within {timeout} s; now:\n{show()}", pytrace=False)
        time.sleep(0.05)


def read(path: pathlib.Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""


# --------------------------------------------------------------------------------------
# hooks and the meeting log
# --------------------------------------------------------------------------------------


def test_a_hook_runs_when_a_hand_goes_up_and_the_meeting_is_logged(api: Api, tui: Tui):
    """bob raises a hand over REST: alice's `hand_raised` hook appends "hand_raised|Bob|1" to a file;
    a hook whose program is missing shows one alert in the activity pane however often it fires;
    the meeting log has both events, the connection and the session, with times and seqs."""
    title = unique_title("Hooks")
    mid, tok = api.room(title, ("alice", "Alice"), ("bob", "Bob"))
    out = tui.workdir / "hook-out.txt"
    write_config(tui, "\n".join([
        "[hooks]",
        "hand_raised = " + toml_list(["/bin/sh", "-c", f'echo "$MEET_EVENT|$1|$2" >> "{out}"', "hook", "{who}", "{position}"]),
        "participant_joined = " + toml_list(["meet-no-such-hook-program", "{who}"]),
        "",
    ]))
    with tui.join(api, mid, tok["alice"], "alice", width=160) as pane:
        pane.wait_for(lambda t: title in t and "connected over" in t, "the title and 'connected over'",
                      timeout=tui.STARTUP_TIMEOUT)
        api.act(mid, tok["bob"], "hand/raise")
        wait_until(lambda: "hand_raised|Bob|1" in read(out), "the hand_raised hook's line", lambda: read(out))
        assert read(out) == "hand_raised|Bob|1\n", read(out)

        # A hook that cannot start: reported once, not once per event.
        for uid, name in (("carol", "Carol"), ("dave", "Dave")):
            api.act(mid, api.token(uid, name), "join")
        text = pane.wait_text("Dave joined", "hook participant_joined failed")
        assert text.count("hook participant_joined failed") == 1, tui.frame(text)
        assert "meet-no-such-hook-program is not in PATH" in text, tui.frame(text)
        assert pane.exit_status() is None, tui.frame(text)

        log = tui.workdir / ".local" / "state" / "meet" / f"{mid}.log"
        wait_until(lambda: "participant_joined Dave joined" in read(log), "the log line of Dave joining", lambda: read(log))
    lines = read(log).splitlines()
    stamp = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z"
    assert re.fullmatch(stamp + r" seq=- session joined " + re.escape(mid) + " as alice", lines[0]), lines
    assert any(re.fullmatch(stamp + r" seq=- connection connected over websocket", l) for l in lines), lines
    assert any(re.fullmatch(stamp + r" seq=\d+ hand_raised Bob raised a hand \(#1\)", l) for l in lines), lines
    assert any(re.fullmatch(stamp + r" seq=\d+ participant_joined Carol joined", l) for l in lines), lines
    assert stat.S_IMODE(log.stat().st_mode) == 0o600, oct(log.stat().st_mode)
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700, oct(log.parent.stat().st_mode)


# --------------------------------------------------------------------------------------
# --announce
# --------------------------------------------------------------------------------------


class Announcing:
    """``meet join --announce`` as a plain subprocess (no terminal): stdout's lines as they come."""

    def __init__(self, tui: Tui, argv: list[str]):
        env = dict(tui.env(), PATH=PATH)
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=env, cwd=tui.workdir)
        self.lines: list[str] = []
        self.raw = b""
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.raw += line
            self.lines.append(line.decode("utf-8", "replace").rstrip("\n"))

    def wait_line(self, predicate: Callable[[str], bool], what: str, timeout: float = 5.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            for line in list(self.lines):
                if predicate(line):
                    return line
            if time.monotonic() >= deadline or self.proc.poll() is not None:
                stderr = self.proc.stderr.read().decode() if self.proc.poll() is not None and self.proc.stderr else ""
                pytest.fail(f"stdout did not show {what} within {timeout} s; it has:\n" + "\n".join(self.lines)
                            + f"\nexit status: {self.proc.poll()}\nstderr: {stderr}", pytrace=False)
            time.sleep(0.05)

    def stop(self) -> tuple[int, str]:
        """SIGINT, then the exit status and stderr (SIGKILL after 10 s)."""
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
        try:
            status = self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            status = self.proc.wait()
        self._reader.join(timeout=5)
        return status, self.proc.stderr.read().decode() if self.proc.stderr else ""


def test_announce_says_plain_sentences_and_folds_a_burst_of_joins(api: Api, tui: Tui):
    """`meet join --announce all`: a welcome, then one plain line per event on stdout; thirteen joins
    at once are one sentence and "and N more joined"; SIGINT leaves the meeting and says so."""
    title = unique_title("Announce")
    mid, tok = api.room(title, ("alice", "Alice"), ("bob", "Bob"))
    argv = [tui.tools.meet_bin, "join", mid, "--server", api.url, "--transport", "websocket",
            "--token-file", str(tui.token_file(tok["alice"], "alice")), "--announce", "all"]
    run = Announcing(tui, argv)
    try:
        run.wait_line(lambda l: l == f"You joined {title} with 1 other.", "the welcome", timeout=tui.STARTUP_TIMEOUT)
        # The welcome is said once the REST join is done; the live room may connect just after.
        api.wait_snapshot(mid, lambda s: any(p["userId"] == "alice" and p["online"] for p in s["participants"]),
                          "alice online")
        api.act(mid, tok["bob"], "hand/raise")
        run.wait_line(lambda l: l == "Bob raised a hand (#1)", "'Bob raised a hand (#1)'")
        api.rest("POST", f"/api/meetings/{mid}/messages", tok["bob"], {"text": "hello\nthere"}, expect=201)
        run.wait_line(lambda l: l == "Bob says: hello there", "'Bob says: hello there'")

        names = [f"Guest {n:02d}" for n in range(1, 14)]
        for n, name in enumerate(names, 1):
            api.act(mid, api.token(f"guest{n:02d}", name), "join")

        def joins_said() -> int:
            count = 0
            for line in run.lines:
                if m := re.fullmatch(r"and (\d+) more joined", line):
                    count += int(m.group(1))
                elif re.fullmatch(r"Guest \d\d joined", line):
                    count += 1
            return count

        wait_until(lambda: joins_said() == 13, "13 joins said", lambda: "\n".join(run.lines), timeout=8)
        assert "Guest 01 joined" in run.lines, run.lines
        folded = [l for l in run.lines if re.fullmatch(r"and \d+ more joined", l)]
        assert folded and int(folded[0].split()[1]) >= 2, f"the burst should be folded: {run.lines}"
        assert len([l for l in run.lines if "joined" in l and not l.startswith("You")]) <= 4, run.lines
    finally:
        status, stderr = run.stop()
    assert status == 0, f"exit status {status}; stderr: {stderr}"
    assert run.lines[-1] == "You left the meeting.", run.lines
    assert b"\x1b" not in run.raw, f"stdout should be plain text: {run.raw[:300]!r}"
    assert all(line.strip() for line in run.lines), f"no empty lines: {run.lines}"
    participants = [p["userId"] for p in api.snapshot(mid)["participants"]]
    assert "alice" not in participants, participants


def test_announce_file_gets_only_the_categories_asked_for(api: Api, tui: Tui):
    """`--announce hands --announce-file F` (in tmux, like a user's terminal): hands go to F, joins
    do not, the screen stays empty; with `log = false` no meeting log is written."""
    title = unique_title("Announce file")
    mid, tok = api.room(title, ("alice", "Alice"), ("bob", "Bob"))
    write_config(tui, "log = false\n")
    said = tui.workdir / "said.txt"
    argv = [tui.tools.meet_bin, "join", mid, "--server", api.url, "--transport", "websocket",
            "--token-file", str(tui.token_file(tok["alice"], "alice")), "--announce", "hands", "--announce-file", str(said)]
    with tui.run(argv, "meet join --announce hands --announce-file") as pane:
        wait_until(lambda: read(said).startswith("You joined"), "the welcome in the file", lambda: read(said),
                   timeout=tui.STARTUP_TIMEOUT)
        api.wait_snapshot(mid, lambda s: any(p["userId"] == "alice" and p["online"] for p in s["participants"]),
                          "alice online")
        api.act(mid, api.token("carol", "Carol"), "join")
        api.act(mid, tok["bob"], "hand/raise")
        wait_until(lambda: "Bob raised a hand (#1)" in read(said), "Bob's hand in the file", lambda: read(said))
        api.act(mid, tok["bob"], "hand/lower")
        wait_until(lambda: "Bob lowered their hand" in read(said), "Bob's lowered hand in the file", lambda: read(said),
                   timeout=5)
        assert read(said).splitlines() == [f"You joined {title} with 1 other.", "Bob raised a hand (#1)",
                                           "Bob lowered their hand"], read(said)
        assert pane.capture().strip() == "", f"no screen is drawn:\n{tui.frame(pane.last_text)}"
    assert not (tui.workdir / ".local" / "state" / "meet" / f"{mid}.log").exists()
