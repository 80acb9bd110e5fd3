"""End-to-end tests of the one-shot commands: ``meet <command> [ARG…] <meeting>`` makes one change
with the configured server and token, prints nothing on success and exits with

* 0 done,
* 1 refused (the server's message on stderr, ``meet: <message>``),
* 2 usage (bad or missing arguments, unknown command),
* 3 no server could be reached.

No tmux: each command runs with ``subprocess.run`` in the environment of ``conftest.Tui.env``
(HOME and XDG_CONFIG_HOME in an empty temporary directory). The server's side
is read through REST (``api.snapshot``). Commands and arguments are those of the ``:`` prompt
(``Sources/MeetTUI/App/RoomCommand.swift``).
"""

from __future__ import annotations

import pathlib
import secrets
import subprocess
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Api, Tui

RUN_TIMEOUT = 30.0  # s, per command


class OneShot:
    """Runs ``meet`` one-shot commands as one user against the session's server."""

    def __init__(self, tui: Tui, api: Api):
        self.tui = tui
        self.tools = tui.tools
        self.api = api

    def env(self) -> dict[str, str]:
        return {"PATH": "/usr/local/bin:/usr/bin:/bin", **self.tui.env()}

    def token_file(self, token: str, user: str) -> pathlib.Path:
        return self.tui.token_file(token, user)

    def run(self, user: str, token: str, *args: str, server: str | None = None) -> subprocess.CompletedProcess:
        argv = [self.tools.meet_bin, *args, "--server", server or self.api.url,
                "--token-file", str(self.token_file(token, user))]
        return subprocess.run(argv, env=self.env(), capture_output=True, text=True, timeout=RUN_TIMEOUT)

    def ok(self, user: str, token: str, *args: str) -> None:
        """Runs the command and asserts exit status 0 and no output."""
        proc = self.run(user, token, *args)
        assert proc.returncode == 0, f"meet {' '.join(args)} as {user} -> {proc.returncode}\nstderr: {proc.stderr}"
        assert proc.stdout == "", f"meet {' '.join(args)} printed on success: {proc.stdout!r}"
        assert proc.stderr == "", f"meet {' '.join(args)} wrote to stderr on success: {proc.stderr!r}"


@pytest.fixture
def meet(tui, api) -> OneShot:
    return OneShot(tui, api)


def room(api: Api) -> tuple[str, dict[str, str]]:
    """A meeting alice (host) created; alice and bob joined. Returns its id and their tokens."""
    return api.room(f"One-shot {secrets.token_hex(2)}", ("alice", "Alice"), ("bob", "Bob"))


def role(snap: dict, user_id: str) -> str | None:
    return next((p["role"] for p in snap["participants"] if p["userId"] == user_id), None)


def hands(snap: dict) -> list[str]:
    return [h["userId"] for h in snap["hands"]]


# --------------------------------------------------------------------------------------
# exit status 0: each command's effect
# --------------------------------------------------------------------------------------


def test_host_commands_change_the_meeting(api, meet):
    mid, tokens = room(api)
    alice = tokens["alice"]

    meet.ok("alice", alice, "lock", mid)
    assert api.snapshot(mid)["locked"] is True
    meet.ok("alice", alice, "unlock", mid)
    assert api.snapshot(mid)["locked"] is False

    meet.ok("alice", alice, "promote", "Bob", mid)  # by name, case-insensitively
    assert role(api.snapshot(mid), "bob") == "host"
    meet.ok("alice", alice, "demote", "bob", mid)  # by user id
    assert role(api.snapshot(mid), "bob") == "participant"

    meet.ok("alice", alice, "record", "on", mid)
    assert api.snapshot(mid)["recording"]["active"] is True
    meet.ok("alice", alice, "record", "off", mid)
    assert api.snapshot(mid)["recording"]["active"] is False

    meet.ok("alice", alice, "music", "Lo-fi beats", mid)
    music = api.snapshot(mid)["music"]
    assert music["playing"] is True and music["track"] == "Lo-fi beats", music
    meet.ok("alice", alice, "volume", "40", mid)
    assert api.snapshot(mid)["music"]["volume"] == 40
    meet.ok("alice", alice, "music", "stop", mid)
    assert api.snapshot(mid)["music"]["playing"] is False


def test_hands_chat_and_links(api, meet):
    mid, tokens = room(api)
    alice, bob = tokens["alice"], tokens["bob"]

    meet.ok("bob", bob, "raise", mid)
    assert hands(api.snapshot(mid)) == ["bob"]
    meet.ok("bob", bob, "lower", mid)  # bob's own hand
    assert hands(api.snapshot(mid)) == []

    meet.ok("bob", bob, "raise", mid)
    meet.ok("alice", alice, "raise", mid)
    meet.ok("alice", alice, "lower", "Bob", mid)  # a host lowers bob's hand by name
    assert hands(api.snapshot(mid)) == ["alice"]
    meet.ok("bob", bob, "raise", mid)
    meet.ok("alice", alice, "lowerall", mid)
    assert hands(api.snapshot(mid)) == []

    meet.ok("bob", bob, "say", "hello all", mid)
    meet.ok("bob", bob, "say", "two", "words", mid)  # unquoted words are joined with spaces
    texts = [(m["userId"], m["text"]) for m in api.snapshot(mid)["messages"]]
    assert texts[-2:] == [("bob", "hello all"), ("bob", "two words")], texts

    meet.ok("bob", bob, "share", "https://example.com/agenda", "Agenda", mid)
    resources = [(r["title"], r["url"]) for r in api.snapshot(mid)["resources"]]
    assert resources == [("Agenda", "https://example.com/agenda")], resources


def test_remove_readmit_and_end(api, meet):
    mid, tokens = room(api)
    alice, bob = tokens["alice"], tokens["bob"]

    meet.ok("alice", alice, "remove", "Bob", mid)
    assert role(api.snapshot(mid), "bob") is None
    api.rest("POST", f"/api/meetings/{mid}/join", bob, expect=403)  # removed: cannot join again
    meet.ok("alice", alice, "readmit", "bob", mid)
    api.act(mid, bob, "join")
    assert role(api.snapshot(mid), "bob") == "participant"

    meet.ok("alice", alice, "end", mid)  # no confirmation on the command line
    snap = api.snapshot(mid)
    assert snap["ended"] is True and snap["participants"] == [], snap


# --------------------------------------------------------------------------------------
# exit status 1: the server refused, with its message
# --------------------------------------------------------------------------------------


def server_message(api: Api, token: str, method: str, path: str, status: int, body=None) -> str:
    """The message the server gives for a refused request (asserting its status)."""
    answer = api.rest(method, path, token, body, expect=status)
    return answer["error"]["message"]


def test_a_refused_command_exits_1_with_the_servers_message(api, meet):
    mid, tokens = room(api)
    bob = tokens["bob"]
    before = api.snapshot(mid)["seq"]
    expected = server_message(api, bob, "POST", f"/api/meetings/{mid}/lock", 403)

    proc = meet.run("bob", bob, "lock", mid)  # bob is not a host
    assert proc.returncode == 1, f"exit {proc.returncode}, stderr: {proc.stderr}"
    assert proc.stderr == f"meet: {expected}\n"
    assert proc.stdout == ""
    assert api.snapshot(mid)["locked"] is False and api.snapshot(mid)["seq"] == before


def test_refusals_of_unknown_people_meetings_and_non_participants(api, meet):
    mid, tokens = room(api)
    alice = tokens["alice"]

    proc = meet.run("alice", alice, "promote", "zed", mid)  # nobody called zed: the server says so
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("meet: ") and proc.stderr.strip() != "meet:", proc.stderr

    carol = api.token("carol", "Carol")  # has the id, never joined: raise is refused, no auto-join
    expected = server_message(api, carol, "POST", f"/api/meetings/{mid}/hand/raise", 403)
    proc = meet.run("carol", carol, "raise", mid)
    assert (proc.returncode, proc.stderr) == (1, f"meet: {expected}\n")
    assert role(api.snapshot(mid), "carol") is None

    proc = meet.run("alice", alice, "lock", "zzzz-zzzz-zzzz-zzzz")  # unknown meeting
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr.startswith("meet: "), proc.stderr


# --------------------------------------------------------------------------------------
# exit status 2: usage
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("args, says", [
    (["lock"], "needs the meeting id"),  # no meeting
    (["volume", "abc", "{mid}"], "takes a number from 0 to 100"),
    (["volume", "101", "{mid}"], "takes a number from 0 to 100"),
    (["promote", "{mid}"], "needs a participant"),
    (["record", "{mid}"], "takes on or off"),
    (["say", "{mid}"], "needs some text"),
    (["share", "example.com", "{mid}"], "must start with http:// or https://"),
    (["dance", "{mid}"], "See 'meet --help'"),  # unknown command
    (["lock", "{mid}", "--bogus"], "Unknown option"),
])
def test_usage_errors_exit_2_and_change_nothing(api, meet, args, says):
    mid, tokens = room(api)
    before = api.snapshot(mid)["seq"]
    proc = meet.run("alice", tokens["alice"], *[a.replace("{mid}", mid) for a in args])
    assert proc.returncode == 2, f"meet {' '.join(args)} -> {proc.returncode}\nstderr: {proc.stderr}"
    assert says.lower() in proc.stderr.lower(), proc.stderr
    assert proc.stdout == ""
    assert api.snapshot(mid)["seq"] == before


# --------------------------------------------------------------------------------------
# exit status 3: unreachable
# --------------------------------------------------------------------------------------


def test_an_unreachable_server_exits_3(api, meet):
    mid, tokens = room(api)
    proc = meet.run("alice", tokens["alice"], "lock", mid, server="http://127.0.0.1:1")
    assert proc.returncode == 3, f"exit {proc.returncode}, stderr: {proc.stderr}"
    assert "Cannot reach http://127.0.0.1:1" in proc.stderr and "--server" in proc.stderr, proc.stderr
    assert api.snapshot(mid)["locked"] is False
