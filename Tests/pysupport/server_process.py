"""The server under test of a pytest suite: started once per session, stopped at its end.

The server must print exactly one line ``listening on 127.0.0.1:PORT`` on stdout once it is
ready; its stdout and stderr go to a temporary log file, whose tail is shown when it fails to
start. Used by every python suite (``Tests/pysupport/meetings.py`` and
``postgres_nodes.py`` build on it).
"""

from __future__ import annotations

import contextlib
import os
import queue
import re
import subprocess
import tempfile
import threading
from collections.abc import Iterator, Mapping, Sequence

import pytest

SERVER_START_TIMEOUT = 60.0  # s, to read the "listening on" line
SERVER_STOP_TIMEOUT = 5.0  # s, between terminate() and kill()

_LISTEN_RE = re.compile(r"^listening on (\d{1,3}(?:\.\d{1,3}){3}):(\d+)$")


class ServerProcess:
    """A server run as ``argv`` with ``env`` added to the inherited environment.

    Its log file is ``<log_prefix><random>.log`` in the temporary directory; stdout lines are
    logged with a ``[stdout]`` prefix, stderr as is.
    """

    def __init__(self, argv: Sequence[str], *, env: Mapping[str, str] | None = None, log_prefix: str):
        self.argv = list(argv)
        self.env = dict(env or {})
        self.log = tempfile.NamedTemporaryFile(prefix=log_prefix, suffix=".log", delete=False)
        self.proc: subprocess.Popen | None = None
        self.host = "127.0.0.1"
        self.port: int | None = None
        self._lines: queue.Queue = queue.Queue()
        self._reader: threading.Thread | None = None

    @property
    def binary(self) -> str:
        return self.argv[0]

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def log_tail(self, limit: int = 4000) -> str:
        """The last ``limit`` bytes of the log file, decoded ("" if it cannot be read)."""
        try:
            with open(self.log.name, "rb") as f:
                data = f.read()
        except OSError:
            return ""
        return data[-limit:].decode("utf-8", "replace")

    def _pump_stdout(self):
        # Drain stdout for the life of the process so the server can never block on a full
        # pipe; every line goes to the queue (the first one is the "listening on" line).
        assert self.proc is not None and self.proc.stdout is not None
        for raw in iter(self.proc.stdout.readline, b""):
            self._lines.put(raw.decode("utf-8", "replace"))
            try:
                self.log.write(b"[stdout] " + raw)
                self.log.flush()
            except (OSError, ValueError):
                pass
        self._lines.put(None)  # EOF

    def _fail(self, message: str):
        self.stop()
        pytest.fail(f"{message}\nserver log ({self.log.name}):\n{self.log_tail()}", pytrace=False)

    def start(self):
        """Start the server and wait for its ``listening on`` line; fails the test otherwise."""
        self.proc = subprocess.Popen(
            self.argv,
            env=dict(os.environ, **self.env),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=self.log,
        )
        self._reader = threading.Thread(target=self._pump_stdout, daemon=True)
        self._reader.start()
        try:
            first = self._lines.get(timeout=SERVER_START_TIMEOUT)
        except queue.Empty:
            self._fail(
                f"{self.binary!r} did not print 'listening on 127.0.0.1:PORT' "
                f"within {SERVER_START_TIMEOUT:.0f} s"
            )
        if first is None:
            rc = self.proc.wait(timeout=SERVER_STOP_TIMEOUT)
            self._fail(f"{self.binary!r} exited (status {rc}) before printing its 'listening on' line")
        m = _LISTEN_RE.match(first.strip())
        if not m:
            self._fail(f"unexpected first stdout line {first!r} (expected 'listening on 127.0.0.1:PORT')")
        self.host, self.port = m.group(1), int(m.group(2))
        assert self.port > 0, f"server reported port {self.port} (must be the bound port, not 0)"

    def kill(self):
        """SIGKILL the server (no shutdown of any kind) and reap it; ``stop`` then only cleans up."""
        assert self.proc is not None and self.proc.poll() is None, f"{self.binary!r} is not running"
        self.proc.kill()
        self.proc.wait(timeout=SERVER_STOP_TIMEOUT)

    def stop(self):
        """Terminate the server (kill it if it is still running after SERVER_STOP_TIMEOUT)."""
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=SERVER_STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=SERVER_STOP_TIMEOUT)
        if self._reader is not None:
            self._reader.join(timeout=2)
        # Close the pipe only once the reader thread is done with it (closing a buffered pipe
        # that another thread is blocked reading would block too, e.g. if a grandchild holds it).
        if self.proc.stdout is not None and (self._reader is None or not self._reader.is_alive()):
            self.proc.stdout.close()
        try:
            self.log.close()
        except OSError:
            pass


def executable_from_env(var: str, hint: str, *, skip_if_unset: bool = False) -> str:
    """The executable named by the environment variable ``var``.

    If ``var`` is unset, the test fails, or is skipped with ``skip_if_unset``, with the message
    ``"<var> is not set: <hint>"``; if it names no executable file, the test fails.
    """
    binary = os.environ.get(var)
    if not binary:
        message = f"{var} is not set: {hint}"
        if skip_if_unset:
            pytest.skip(message)
        pytest.fail(message, pytrace=False)
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        pytest.fail(f"{var}={binary!r} is not an executable file", pytrace=False)
    return binary


def serve(srv: ServerProcess, tag: str, session: pytest.Session | None = None) -> Iterator[ServerProcess]:
    """Body of a session fixture (``yield from serve(...)``): start ``srv``, yield it, stop it.

    An exit status other than 0 or SIGTERM's is printed with the log's tail, under ``[tag]``
    (not fatal for the tests, but worth seeing, e.g. a crash on SIGTERM). The log file is kept,
    except when ``session`` is given and none of its tests failed.
    """
    srv.start()
    try:
        yield srv
    finally:
        srv.stop()
        if srv.proc is not None and srv.proc.returncode not in (0, -15, 143):
            print(
                f"\n[{tag}] server exited with status {srv.proc.returncode}; "
                f"log: {srv.log.name}\n{srv.log_tail(2000)}"
            )
        elif session is not None and session.testsfailed == 0:
            with contextlib.suppress(OSError):
                os.unlink(srv.log.name)
