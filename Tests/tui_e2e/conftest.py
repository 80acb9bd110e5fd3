"""Fixtures and helpers for the end-to-end suite of the ``meet`` terminal client, driven through tmux.

The client runs for real: ``$MEET_BIN join <id> --server http://127.0.0.1:PORT --token-file FILE``
in a detached tmux session of a fixed size, against the meetings server named by
``MEETINGS_SERVER_BIN`` (started once per test session by ``MeetingsServer`` from
``Tests/pysupport/meetings.py``, exactly as ``Tests/meetings_interop`` starts it). The tests
read the screen with ``tmux capture-pane -p``, press keys with ``tmux send-keys``, resize with
``tmux resize-window``, and check the server's side through REST.

The whole suite is skipped (with the reason) when ``MEETINGS_SERVER_BIN`` or ``MEET_BIN`` is unset
or ``tmux`` is not installed.

Two-node tests (``test_meet_two_nodes.py``) use the ``two_nodes`` fixture instead of the session's
server: node A and node B, two meetings servers sharing a fresh PostgreSQL database, started per
test by ``SharedDatabaseNodes`` from ``Tests/pysupport/postgres_nodes.py`` (as
``Tests/nodes_interop`` starts them) with ``--presence-grace-seconds 30``. They are skipped unless
``MEETINGS_TEST_POSTGRES_URL`` is set (``scripts/postgres start DIR`` prints one).

Isolation:

* tmux runs on a private socket (``tmux -L meet-e2e-<pid> -f /dev/null``), so neither a user's
  tmux server nor their ``~/.tmux.conf`` is involved; sessions are named ``meet-e2e-<pid>-<n>``
  and each is killed (``kill-session``, never ``kill-server``) when its test ends, pass or fail.
  The client then gets SIGHUP (it leaves and exits); one still running 3 s later is killed by
  pid, with a warning. The private tmux server exits by itself with its last session; its socket
  file is removed at the end of the run.
* The client's environment is built from scratch (``env -i``): ``TERM=xterm-256color``,
  ``LANG=C.UTF-8``, ``HOME`` and ``XDG_CONFIG_HOME`` in an empty temporary directory (no user config
  file is read), no ``MEET_SERVER``/``MEET_TOKEN``/``NO_COLOR`` from the caller.
* A wrapper script runs the client, writes its exit status to a file and then sleeps 5 s so that
  the pane (with what the client printed when it exited) can still be read.

Every wait polls with a hard deadline and, on timeout, fails showing the pane's text.

Timings (client startup to the first frame showing "connected over", REST call to the pane showing
its effect, ...) are collected in ``TIMINGS``, printed in the terminal summary and written to
``Tests/tui_e2e/last-timings.txt`` (gitignored).
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import pathlib
import queue
import shlex
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import unicodedata
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import requests

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "pysupport"))  # shared helpers

from meetings import MeetingsServer, access_token  # noqa: E402
from postgres_nodes import SharedDatabaseNodes, required_env  # noqa: E402
from server_process import ServerProcess, executable_from_env  # noqa: E402

# --------------------------------------------------------------------------------------
# constants
# --------------------------------------------------------------------------------------

HTTP_TIMEOUT = 10.0  # s, per REST request
TMUX_TIMEOUT = 5.0  # s, per tmux command
POLL_INTERVAL = 0.1  # s, between two captures of the pane
MEASURE_INTERVAL = 0.02  # s, between two captures while measuring a latency
STARTUP_TIMEOUT = 10.0  # s, for `meet join` to show "connected over"
UI_TIMEOUT = 5.0  # s, for the pane to show the effect of a REST call or a key
EXIT_TIMEOUT = 10.0  # s, for the client to exit after `q`
LINGER_SECONDS = 5  # s, the wrapper sleeps this long after the client exits
CLIENT_GRACE = 3.0  # s, for the client to exit once its tmux session is killed
TIMINGS_FILE = HERE / "last-timings.txt"
TMUX_SOCKET = f"meet-e2e-{os.getpid()}"  # tmux -L: this run's private tmux server
NODE_GRACE_SECONDS = 30  # --presence-grace-seconds of the two nodes of the `two_nodes` fixture

#: (label, value) pairs measured by the tests; printed and written to TIMINGS_FILE at the end.
TIMINGS: list[tuple[str, float, str]] = []  # (label, value, unit)


def record_timing(label: str, value: float, unit: str) -> None:
    TIMINGS.append((label, value, unit))
    print(f"[timing] {label}: {_fmt(value, unit)}")


# --------------------------------------------------------------------------------------
# tools: skip the suite without them
# --------------------------------------------------------------------------------------


class Tools:
    def __init__(self, tmux: str, server_bin: str, meet_bin: str):
        self.tmux = tmux
        self.server_bin = server_bin
        self.meet_bin = meet_bin


@pytest.fixture(scope="session")
def tools() -> Iterator[Tools]:
    server_bin = executable_from_env(
        "MEETINGS_SERVER_BIN",
        "point it at the meetings server executable, e.g. MEETINGS_SERVER_BIN=.build/debug/meetings-server",
        skip_if_unset=True,
    )
    meet_bin = executable_from_env(
        "MEET_BIN", "point it at the meet client executable, e.g. MEET_BIN=.build/debug/meet", skip_if_unset=True
    )
    tmux = shutil.which("tmux")
    if tmux is None:
        pytest.skip("tmux is not installed (the suite drives the meet client in a tmux pane)")
    yield Tools(tmux, os.path.abspath(server_bin), os.path.abspath(meet_bin))
    # The private tmux server exits with its last session but leaves its socket file behind.
    socket = TMUX_SOCKET
    alive = subprocess.run([tmux, "-L", socket, "list-sessions"], capture_output=True, timeout=TMUX_TIMEOUT)
    if alive.returncode != 0:
        path = pathlib.Path(os.environ.get("TMUX_TMPDIR") or "/tmp") / f"tmux-{os.getuid()}" / socket
        with contextlib.suppress(OSError):
            if path.is_socket():
                path.unlink()


# --------------------------------------------------------------------------------------
# server process and REST
# --------------------------------------------------------------------------------------

SERVER = MeetingsServer("tui_e2e", log_prefix="meetings-server-tui-")


@pytest.fixture(scope="session")
def server(request, tools) -> Iterator[ServerProcess]:
    yield from SERVER.serve(tools.server_bin, request.session)  # keeps the log only if a test failed


class Api:
    """REST helpers bound to the running server; the ``api`` fixture."""

    def __init__(self, srv: ServerProcess):
        self.server = srv
        self.url = srv.url
        self.secret = srv.env["JWT_SECRET"].encode()
        self._http = requests.Session()
        self.observer = self.token("tui-e2e-observer", "Observer")  # reads snapshots; never joins

    def token(self, user_id: str, name: str | None = None) -> str:
        """A valid access token for one hour (non-ASCII characters of ``name`` kept as UTF-8)."""
        return access_token(self.secret, user_id, name, ensure_ascii=False)

    def rest(self, method: str, path: str, token: str | None = None, body: Any = None, expect: int | None = 200) -> Any:
        """One REST call; asserts the status (unless ``expect`` is None) and returns the JSON body."""
        headers = {"Authorization": f"Bearer {token}"} if token else {}
        resp = self._http.request(method, self.url + path, headers=headers, json=body, timeout=HTTP_TIMEOUT)
        if expect is not None:
            assert resp.status_code == expect, f"{method} {path} -> {resp.status_code} (expected {expect}): {resp.text[:500]}"
        return resp.json() if resp.content else None

    def create_meeting(self, host_token: str, title: str) -> str:
        snap = self.rest("POST", "/api/meetings", host_token, {"title": title}, expect=201)
        assert isinstance(snap, dict) and snap.get("id"), f"create meeting returned {snap!r}"
        return snap["id"]

    def room(self, title: str, host: tuple[str, str], *others: tuple[str, str]) -> tuple[str, dict[str, str]]:
        """A meeting created by ``host`` = (userId, name); the host and ``others`` joined via REST.
        Returns the meeting id and every user's token."""
        tokens = {uid: self.token(uid, name) for uid, name in (host, *others)}
        meeting_id = self.create_meeting(tokens[host[0]], title)
        for uid, _ in (host, *others):
            self.act(meeting_id, tokens[uid], "join")
        return meeting_id, tokens

    def act(self, meeting_id: str, token: str, action: str, body: Any = None, method: str = "POST") -> Any:
        """``POST /api/meetings/{id}/{action}``, e.g. ``act(id, bob, "hand/raise")``."""
        return self.rest(method, f"/api/meetings/{meeting_id}/{action}", token, body)

    def snapshot(self, meeting_id: str) -> dict:
        """``GET /api/meetings/{id}`` as a user who is not in the meeting."""
        return self.rest("GET", f"/api/meetings/{meeting_id}", self.observer)

    def wait_snapshot(self, meeting_id: str, predicate: Callable[[dict], bool], what: str,
                      timeout: float = 3.0, interval: float = POLL_INTERVAL) -> tuple[dict, float]:
        """Poll the snapshot every ``interval`` until ``predicate`` holds; returns it and the time taken."""
        start = time.monotonic()
        while True:
            snap = self.snapshot(meeting_id)
            if predicate(snap):
                return snap, time.monotonic() - start
            if time.monotonic() - start >= timeout:
                pytest.fail(f"the server's snapshot did not show {what} within {timeout} s; last snapshot:\n"
                            f"{json.dumps(snap, indent=1, ensure_ascii=False)[:3000]}", pytrace=False)
            time.sleep(interval)


@pytest.fixture(scope="session")
def api(server) -> Api:
    return Api(server)


NODES = SharedDatabaseNodes(log_prefix="meetings-node-tui-")  # the current two-node test's nodes


class TwoNodes:
    """The ``two_nodes`` fixture: REST helpers on node ``a`` and node ``b`` (``Api``; the node's
    ``ServerProcess`` is ``.server``, e.g. ``two_nodes.a.server.kill()``)."""

    def __init__(self, a: ServerProcess, b: ServerProcess):
        self.a = Api(a)
        self.b = Api(b)


@pytest.fixture
def two_nodes(request, tools) -> Iterator[TwoNodes]:
    """Node A and node B sharing a fresh PostgreSQL database (same JWT secret, rate limit 0,
    ``--presence-grace-seconds 30``); both stopped and the database dropped at the end of the test.
    Skipped unless ``MEETINGS_TEST_POSTGRES_URL`` is set."""
    binary, admin_url = required_env(
        "two-node tests need a PostgreSQL server, e.g. "
        "MEETINGS_TEST_POSTGRES_URL=$(scripts/postgres start $(mktemp -d))"
    )
    with NODES.start(request, binary, admin_url, grace_seconds=NODE_GRACE_SECONDS) as db:
        a, b = db.servers
        yield TwoNodes(a, b)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the tail of the server's log (of the nodes' logs, in a two-node test) to the report
    of a failing test."""
    outcome = yield
    report = outcome.get_result()
    if "server" in getattr(item, "fixturenames", ()):
        SERVER.add_log_tail(report)
    NODES.add_log_tails(item, report)


# --------------------------------------------------------------------------------------
# tmux
# --------------------------------------------------------------------------------------

_SESSION_NUMBERS = itertools.count(1)


def frame(text: str) -> str:
    """The pane's text with a ruler and line numbers, for failure messages."""
    lines = text.split("\n")
    width = max([display_width(line) for line in lines] + [10])
    out = ["    +" + "-" * width + "+"]
    out += [f"{index:3} |{line}" for index, line in enumerate(lines)]
    out.append("    +" + "-" * width + "+")
    return "\n".join(out)


def display_width(text: str) -> int:
    """Terminal columns of ``text`` (wide East Asian characters and emoji 2, combining marks 0)."""
    width = 0
    for char in text:
        if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf") or char in "\u200b\ufe0f":
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def _children(ppid: int) -> list[int]:
    """Pids whose parent is ``ppid`` (from /proc; empty where there is none)."""
    out = []
    with contextlib.suppress(OSError):
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            with contextlib.suppress(OSError, ValueError, IndexError):
                stat = pathlib.Path(f"/proc/{entry}/stat").read_text()
                if int(stat.rsplit(")", 1)[1].split()[1]) == ppid:
                    out.append(int(entry))
    return out


def _running(pid: int) -> bool:
    """The process exists and is not a zombie."""
    try:
        stat = pathlib.Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


class Pane:
    """One client run in a detached tmux session (one window, one pane) of a given size."""

    def __init__(self, tools: Tools, workdir: pathlib.Path, label: str):
        self.tmux_bin = tools.tmux
        self.socket = TMUX_SOCKET
        self.name = f"meet-e2e-{os.getpid()}-{next(_SESSION_NUMBERS)}"
        self.workdir = workdir
        self.label = label
        self.status_file = workdir / f"{self.name}.status"
        self.started_at: float | None = None
        self.last_text = ""
        self.client_binary = os.path.realpath(tools.meet_bin)
        self.pane_pid: int | None = None  # the wrapper shell
        self.killed = False

    # ---- tmux commands ---------------------------------------------------------------------

    def tmux(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run(
            [self.tmux_bin, "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            env=dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8"),
            timeout=TMUX_TIMEOUT,
        )
        if check and proc.returncode != 0:
            raise AssertionError(
                f"tmux {' '.join(args)} -> status {proc.returncode}: {proc.stderr.decode('utf-8', 'replace').strip()}"
                f"\nlast pane text:\n{frame(self.last_text)}\nclient exit status: {self.exit_status()}"
            )
        return proc

    def start(self, argv: list[str], env: dict[str, str], width: int = 100, height: int = 30) -> None:
        """Start ``argv`` with exactly ``env`` (plus PATH) in a new detached session ``width``×``height``."""
        script = self.workdir / f"{self.name}.sh"
        env_words = " ".join(shlex.quote(f"{k}={v}") for k, v in env.items())
        status = shlex.quote(str(self.status_file))
        script.write_text(
            "#!/bin/sh\n"
            f"env -i PATH=/usr/local/bin:/usr/bin:/bin {env_words} {shlex.join(argv)}\n"
            f"echo $? > {status}.tmp && mv {status}.tmp {status}\n"
            f"sleep {LINGER_SECONDS}\n"
        )
        self.started_at = time.monotonic()
        self.tmux("new-session", "-d", "-s", self.name, "-x", str(width), "-y", str(height),
                  "-c", str(self.workdir), f"sh {shlex.quote(str(script))}")
        with contextlib.suppress(Exception):
            out = self.tmux("display-message", "-p", "-t", f"={self.name}:", "#{pane_pid}")
            self.pane_pid = int(out.stdout.decode().strip())

    def client_pid(self) -> int | None:
        """The pid of the client while it runs (the wrapper shell's child running MEET_BIN)."""
        if self.pane_pid is None:
            return None
        for pid in _children(self.pane_pid):
            with contextlib.suppress(OSError):
                if os.path.realpath(f"/proc/{pid}/exe") == self.client_binary:
                    return pid
        return None

    def kill(self) -> None:
        """Kill the session (the client gets SIGHUP, which makes it leave and exit). A client still
        running CLIENT_GRACE seconds later is killed (SIGKILL) so that no run leaves one behind;
        a warning says so."""
        if self.killed:
            return
        self.killed = True
        pid = self.client_pid()
        with contextlib.suppress(Exception):
            self.tmux("kill-session", "-t", f"={self.name}", check=False)
        if pid is None:
            return
        deadline = time.monotonic() + CLIENT_GRACE
        while _running(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        if _running(pid):
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
            warnings.warn(f"[{self.label}] the client (pid {pid}) was still running {CLIENT_GRACE:.0f} s after its "
                          f"tmux session was killed (SIGHUP); killed it with SIGKILL", stacklevel=2)

    def capture(self) -> str:
        proc = self.tmux("capture-pane", "-p", "-t", f"={self.name}:")
        self.last_text = proc.stdout.decode("utf-8", "replace").rstrip("\n")
        return self.last_text

    def lines(self) -> list[str]:
        return self.capture().split("\n")

    def send_keys(self, *keys: str) -> None:
        self.tmux("send-keys", "-t", f"={self.name}:", *keys)

    def resize(self, width: int, height: int) -> None:
        self.tmux("resize-window", "-t", f"={self.name}:", "-x", str(width), "-y", str(height))

    def size(self) -> tuple[int, int]:
        out = self.tmux("display-message", "-p", "-t", f"={self.name}:", "#{pane_width} #{pane_height}")
        w, h = out.stdout.decode().split()
        return int(w), int(h)

    def exit_status(self) -> int | None:
        """The client's exit status, once it has exited."""
        try:
            return int(self.status_file.read_text().strip())
        except (OSError, ValueError):
            return None

    # ---- waiting ---------------------------------------------------------------------------

    def wait_for(self, predicate: Callable[[str], bool], what: str, timeout: float = UI_TIMEOUT,
                 interval: float = POLL_INTERVAL, since: float | None = None) -> tuple[str, float]:
        """Capture the pane every ``interval`` until ``predicate(text)`` holds; returns the text and
        the seconds since ``since`` (default: now). Fails with the pane's text after ``timeout``."""
        start = time.monotonic() if since is None else since
        deadline = time.monotonic() + timeout
        while True:
            text = self.capture()
            if predicate(text):
                return text, time.monotonic() - start
            if time.monotonic() >= deadline:
                pytest.fail(
                    f"[{self.label}] the pane did not show {what} within {timeout} s.\n"
                    f"pane ({self.name}) shows:\n{frame(text)}\nclient exit status: {self.exit_status()}",
                    pytrace=False,
                )
            time.sleep(interval)

    def measure(self, act: Callable[[], object], predicate: Callable[[str], bool], what: str,
                timeout: float = UI_TIMEOUT) -> tuple[str, float]:
        """Run ``act`` and return the pane's text and the seconds from just before ``act`` (a
        ``tmux send-keys`` or a REST call, whose own time is included) to the pane's output that
        made ``predicate`` true. The output is timed by a tmux control-mode client: tmux reports
        each piece of the pane's output (``%output``) the moment it reads it from the client, so
        the time does not depend on how often the pane is captured. A capture after each output
        checks the predicate; the time is that of the last output read before that capture."""
        assert not predicate(self.capture()), f"[{self.label}] the pane already shows {what} before the action"
        with OutputWatch(self) as watch:
            start = time.monotonic()
            act()
            deadline = time.monotonic() + timeout
            while True:
                stamp = watch.next_output(deadline)
                if stamp is None:
                    pytest.fail(
                        f"[{self.label}] the pane did not show {what} within {timeout} s.\n"
                        f"pane ({self.name}) shows:\n{frame(self.capture())}\nclient exit status: {self.exit_status()}",
                        pytrace=False,
                    )
                stamp = watch.latest(stamp)
                text = self.capture()
                if predicate(text):
                    return text, max(0.0, stamp - start)

    def wait_text(self, *needles: str, timeout: float = UI_TIMEOUT, interval: float = POLL_INTERVAL) -> str:
        text, _ = self.wait_for(lambda t: all(n in t for n in needles), " and ".join(map(repr, needles)),
                                timeout=timeout, interval=interval)
        return text

    def wait_exit(self, timeout: float = EXIT_TIMEOUT) -> int:
        deadline = time.monotonic() + timeout
        while (status := self.exit_status()) is None:
            if time.monotonic() >= deadline:
                pytest.fail(f"[{self.label}] the client did not exit within {timeout} s; pane shows:\n"
                            f"{frame(self.capture())}", pytrace=False)
            time.sleep(POLL_INTERVAL)
        return status


class OutputWatch:
    """A tmux control-mode client attached to a pane's session (read-only, ignoring its size, so
    it changes nothing on screen) whose reader thread stamps every ``%output`` notification with
    ``time.monotonic()`` as it arrives."""

    def __init__(self, pane: Pane):
        self.pane = pane
        self.stamps: "queue.Queue[float]" = queue.Queue()
        self.proc: subprocess.Popen | None = None
        self.thread: threading.Thread | None = None

    def __enter__(self) -> "OutputWatch":
        self.proc = subprocess.Popen(
            [self.pane.tmux_bin, "-L", self.pane.socket, "-f", "/dev/null", "-C", "attach-session",
             "-t", f"={self.pane.name}", "-f", "read-only,ignore-size"],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
            env=dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8"),
        )
        ready = threading.Event()

        def read() -> None:
            assert self.proc is not None and self.proc.stdout is not None
            for line in self.proc.stdout:
                if line.startswith(b"%end") or line.startswith(b"%error"):
                    ready.set()  # the answer to attaching: from here on, output is the pane's
                elif line.startswith(b"%output "):
                    self.stamps.put(time.monotonic())

        self.thread = threading.Thread(target=read, daemon=True)
        self.thread.start()
        if not ready.wait(TMUX_TIMEOUT):
            raise AssertionError(f"[{self.pane.label}] tmux control mode did not attach to {self.pane.name}")
        return self

    def next_output(self, deadline: float) -> float | None:
        """The time of the next output, or None at the deadline."""
        try:
            return self.stamps.get(timeout=max(0.0, deadline - time.monotonic()))
        except queue.Empty:
            return None

    def latest(self, stamp: float) -> float:
        """``stamp`` or the time of any output already read after it."""
        while True:
            try:
                stamp = self.stamps.get_nowait()
            except queue.Empty:
                return stamp

    def __exit__(self, *exc) -> None:
        if self.proc is not None:
            with contextlib.suppress(Exception):
                assert self.proc.stdin is not None
                self.proc.stdin.close()  # a control client detaches when its input ends
                self.proc.wait(TMUX_TIMEOUT)
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()


class Tui:
    """Starts clients in tmux; the ``tui`` fixture. Every session it started is killed at the end
    of the test (the tests also kill theirs in a ``finally``).

    Also what the tests need from here without importing this module (two suites' ``conftest``
    modules would clash): the timeouts, ``frame``, ``display_width`` and ``record``.
    """

    STARTUP_TIMEOUT = STARTUP_TIMEOUT
    UI_TIMEOUT = UI_TIMEOUT
    MEASURE_INTERVAL = MEASURE_INTERVAL
    frame = staticmethod(frame)
    display_width = staticmethod(display_width)
    record = staticmethod(record_timing)

    def __init__(self, tools: Tools, workdir: pathlib.Path):
        self.tools = tools
        self.workdir = workdir
        self.config_home = workdir / "xdg-config"  # stays empty: no user config is read
        self.config_home.mkdir()
        self.panes: list[Pane] = []

    def env(self, **extra: str) -> dict[str, str]:
        return {
            "TERM": "xterm-256color",
            "LANG": "C.UTF-8",
            "HOME": str(self.workdir),
            "XDG_CONFIG_HOME": str(self.config_home),
            "USER": "tester",
            **extra,
        }

    def token_file(self, token: str, user: str) -> pathlib.Path:
        path = self.workdir / f"{user}.token"
        path.write_text(token + "\n")
        path.chmod(0o600)
        return path

    @contextlib.contextmanager
    def run(self, argv: list[str], label: str, width: int = 100, height: int = 30, **env: str) -> Iterator[Pane]:
        pane = Pane(self.tools, self.workdir, label)
        self.panes.append(pane)
        try:
            pane.start(argv, self.env(**env), width, height)
            yield pane
        finally:
            pane.kill()

    def join(self, api: Api, meeting_id: str, token: str, user: str, *flags: str,
             width: int = 100, height: int = 30, **env: str):
        """``meet join`` as ``user`` over websocket (a context manager yielding the Pane); ``env``
        adds to the client's environment."""
        return self.join_servers([api.url], meeting_id, token, user, *flags, width=width, height=height, **env)

    def join_servers(self, servers: list[str], meeting_id: str, token: str, user: str, *flags: str,
                     width: int = 100, height: int = 30, **env: str):
        """``meet join`` with one ``--server`` per URL of ``servers`` (in that order), as ``join``."""
        argv = [self.tools.meet_bin, "join", meeting_id]
        for url in servers:
            argv += ["--server", url]
        argv += ["--transport", "websocket", "--token-file", str(self.token_file(token, user)), *flags]
        return self.run(argv, f"meet join as {user}", width, height, **env)

    def demo(self, *flags: str, width: int = 100, height: int = 30):
        return self.run([self.tools.meet_bin, "demo", *flags], "meet demo", width, height)

    def latency_log(self, path: pathlib.Path) -> None:
        """Record the lines of a client's ``MEET_LATENCY_LOG`` (``event NAME µs``, ``key µs``):
        from the socket handing an event over (or the key being read) to the frame that shows it
        being written, inside ``meet``."""
        for line in path.read_text().splitlines():
            words = line.split()
            if words[0] == "event":
                record_timing(f"event: socket to screen inside meet [{words[1]}]", int(words[2]) / 1000, "ms")
            elif words[0] == "key":
                record_timing("key: read to screen inside meet", int(words[1]) / 1000, "ms")

    def kill_all(self) -> None:
        for pane in self.panes:
            pane.kill()


@pytest.fixture
def tui(tools) -> Iterator[Tui]:
    with tempfile.TemporaryDirectory(prefix="meet-tui-e2e-") as tmp:
        t = Tui(tools, pathlib.Path(tmp))
        try:
            yield t
        finally:
            t.kill_all()


# --------------------------------------------------------------------------------------
# timings report
# --------------------------------------------------------------------------------------


def _fmt(value: float, unit: str) -> str:
    return f"{value:.0f} {unit}" if unit == "ms" else f"{value:.3f} {unit}"


def _timing_lines() -> list[str]:
    lines = [f"{label}: {_fmt(value, unit)}" for label, value, unit in TIMINGS]
    groups: dict[tuple[str, str], list[float]] = {}
    for label, value, unit in TIMINGS:
        groups.setdefault((label.split(" [")[0], unit), []).append(value)
    for (base, unit), values in groups.items():
        if len(values) > 1:
            lines.append(f"{base}: median {_fmt(statistics.median(values), unit)}, "
                         f"max {_fmt(max(values), unit)} over {len(values)} samples")
    return lines


def pytest_sessionfinish(session, exitstatus):
    if not TIMINGS:
        return
    stamp = time.strftime("%Y-%m-%d %H:%M:%S")
    text = f"# meet TUI end-to-end timings, {stamp} (pytest Tests/tui_e2e, exit status {int(exitstatus)})\n"
    text += "\n".join(_timing_lines()) + "\n"
    with contextlib.suppress(OSError):
        TIMINGS_FILE.write_text(text)


def pytest_terminal_summary(terminalreporter):
    if not TIMINGS:
        return
    terminalreporter.write_sep("-", "meet TUI timings")
    for line in _timing_lines():
        terminalreporter.write_line(line)
    terminalreporter.write_line(f"(written to {TIMINGS_FILE})")
