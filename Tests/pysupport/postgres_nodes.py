"""Meetings-server nodes sharing one fresh PostgreSQL database: shared by ``Tests/nodes_interop`` and ``Tests/tui_e2e``.

With ``DATABASE_URL=postgres://…`` several server processes ("nodes") share one database (see
``Tests/nodes_interop/conftest.py`` for what that means for events and presence).

* ``required_env``: ``(MEETINGS_SERVER_BIN, MEETINGS_TEST_POSTGRES_URL)``; the test is skipped
  (with a hint) unless both are set. ``MEETINGS_TEST_POSTGRES_URL`` is an admin URL such as
  ``postgres://postgres@127.0.0.1:PORT/postgres``, as printed by ``scripts/postgres start DIR``
  (``scripts/test`` exports it).
* ``SharedDatabaseNodes``: one per suite (its ``conftest``). ``start`` is a context manager for
  the body of the suite's (function-scoped) fixture: it creates a fresh database
  ``nodes_<random>`` with ``psql``, starts the nodes one after the other as::

      JWT_SECRET=<random, the same for every node> <binary> serve --port 0 \\
          --database-url postgres://…/nodes_<random> --rate-limit-per-second 0 \\
          --presence-grace-seconds <grace>

  through ``ServerProcess`` (``server_process.py``), and on exit stops them (a node the test
  killed is only reaped) and drops the database. ``add_log_tails`` belongs in the suite's
  ``pytest_runtest_makereport`` hook wrapper: it attaches the tails of the nodes' logs to the
  report of a failing test, whose logs are then kept (the others are removed).
"""

from __future__ import annotations

import contextlib
import os
import pathlib
import secrets
import shutil
import subprocess
import tempfile
import urllib.parse
from collections.abc import Iterator, Sequence
from typing import NamedTuple

import pytest

from server_process import ServerProcess

PSQL_TIMEOUT = 20.0  # s, per psql command


def required_env(hint: str) -> tuple[str, str]:
    """``(binary, admin_url)`` from ``MEETINGS_SERVER_BIN`` and ``MEETINGS_TEST_POSTGRES_URL``;
    skips the test (with ``hint``) unless both are set, fails if the binary is not executable or
    ``psql`` is not installed."""
    binary = os.environ.get("MEETINGS_SERVER_BIN")
    admin_url = os.environ.get("MEETINGS_TEST_POSTGRES_URL")
    missing = [n for n, v in (("MEETINGS_SERVER_BIN", binary), ("MEETINGS_TEST_POSTGRES_URL", admin_url)) if not v]
    if missing:
        pytest.skip(f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} not set: {hint}")
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        pytest.fail(f"MEETINGS_SERVER_BIN={binary!r} is not an executable file", pytrace=False)
    if shutil.which("psql") is None:
        pytest.fail("psql is not installed (apt-get install postgresql-client)", pytrace=False)
    return binary, admin_url


def psql(admin_url: str, sql: str) -> None:
    """Run one SQL command with ``psql``; fails the test if it fails or takes too long."""
    try:
        res = subprocess.run(
            ["psql", admin_url, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],
            capture_output=True, text=True, timeout=PSQL_TIMEOUT, stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired:
        pytest.fail(f"psql {sql!r} did not finish within {PSQL_TIMEOUT:.0f} s", pytrace=False)
    if res.returncode != 0:
        pytest.fail(f"psql {sql!r} failed (status {res.returncode}): {res.stderr.strip()}", pytrace=False)


def database_url(admin_url: str, name: str) -> str:
    """``admin_url`` with its database (the path) replaced by ``name``."""
    parts = urllib.parse.urlsplit(admin_url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


class SharedDatabase(NamedTuple):
    """What ``SharedDatabaseNodes.start`` yields: the running nodes (in the order of ``names``),
    their shared ``JWT_SECRET`` and the database's URL."""

    servers: list[ServerProcess]
    secret: str
    database_url: str


class SharedDatabaseNodes:
    """The nodes of one suite's current test; ``running`` is ``[(name, ServerProcess)]`` while a
    test runs, for the failure report hook."""

    def __init__(self, log_prefix: str = "meetings-node-"):
        self.log_prefix = log_prefix
        self.running: list[tuple[str, ServerProcess]] = []

    @contextlib.contextmanager
    def start(self, request: pytest.FixtureRequest, binary: str, admin_url: str, *, grace_seconds: int,
              names: Sequence[str] = ("A", "B")) -> Iterator[SharedDatabase]:
        """A fresh database and one node per name (see the module's docstring); everything is
        stopped and dropped on exit, pass or fail."""
        db = f"nodes_{secrets.token_hex(6)}"
        url = database_url(admin_url, db)
        psql(admin_url, f"CREATE DATABASE {db}")
        secret = secrets.token_hex(24)  # 48 bytes, the same for every node
        argv = [binary, "serve", "--port", "0", "--database-url", url,
                "--rate-limit-per-second", "0", "--presence-grace-seconds", str(grace_seconds)]
        servers: list[ServerProcess] = []
        try:
            for name in names:
                # One after the other: the first node of a database starts presence over, the
                # next ones see it alive and keep it.
                srv = ServerProcess(argv, env={"JWT_SECRET": secret}, log_prefix=f"{self.log_prefix}{name.lower()}-")
                servers.append(srv)
                self.running.append((name, srv))
                srv.start()
            yield SharedDatabase(servers, secret, url)
        finally:
            for srv in servers:
                srv.stop()
            self.running.clear()
            failed = getattr(request.node, "_nodes_failed", False)
            for name, srv in zip(names, servers):
                rc = srv.proc.returncode if srv.proc is not None else None
                if rc not in (None, 0, -15, 143, -9):  # -9: the test killed it
                    print(f"\n[node {name}] exited with status {rc}; log: {srv.log.name}\n{srv.log_tail(2000)}")
                elif not failed:
                    with contextlib.suppress(OSError):
                        os.unlink(srv.log.name)
            psql(admin_url, f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")

    def add_log_tails(self, item: pytest.Item, report: pytest.TestReport, limit: int = 3000) -> None:
        """For the suite's ``pytest_runtest_makereport`` hook wrapper: if ``report`` failed,
        attach the tails of the running nodes' logs to it and keep the logs."""
        if report.failed and self.running:
            item._nodes_failed = True
            for name, srv in self.running:
                report.sections.append((f"node {name} log ({srv.log.name}, tail)", srv.log_tail(limit)))


REPO = pathlib.Path(__file__).resolve().parents[2]


class ThrowawayPostgres:
    """A PostgreSQL server of a test's own (``scripts/postgres`` in a temporary directory directly
    under /tmp, which the postgres account can reach when we are root); the test may stop it and
    start it again on the same port while servers run. ``listen`` adds addresses to listen on."""

    def __init__(self, listen: str | None = None):
        self.directory = tempfile.mkdtemp(prefix="meetings-pg-")
        self.env = dict(os.environ, POSTGRES_LISTEN=listen) if listen else None
        self.url = ""

    def start(self) -> str:
        self.url = subprocess.run([str(REPO / "scripts" / "postgres"), "start", self.directory], check=True,
                                  capture_output=True, text=True, timeout=60, env=self.env).stdout.strip()
        return self.url

    def stop(self) -> None:
        subprocess.run([str(REPO / "scripts" / "postgres"), "stop", self.directory], check=True, timeout=60)

    def remove(self) -> None:
        """Stop it and delete its files."""
        self.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
