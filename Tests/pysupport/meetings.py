"""The meetings server under test, and its tokens: shared by ``Tests/meetings_interop`` and ``Tests/tui_e2e``.

* ``sign_jwt`` / ``access_token``: HS256 JWTs signed here with the session's secret (no JWT
  package is needed).
* ``MeetingsServer``: one per suite (its ``conftest``). ``serve`` is the body of the suite's
  session fixture; it starts the server once per test session as::

      JWT_SECRET=<random> <binary> serve --port 0 --database-url :memory: --rate-limit-per-second 0

  through ``ServerProcess``/``serve`` of ``server_process.py`` (the log is kept only if a test
  failed). ``attach_log_tail`` is the body of the suite's ``pytest_runtest_makereport`` hook
  wrapper: it adds the tail of the server's log to the report of a failing test.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from collections.abc import Iterator
from typing import Any

import pytest

from server_process import ServerProcess, serve

# --------------------------------------------------------------------------------------
# JWTs
# --------------------------------------------------------------------------------------


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def sign_jwt(claims: dict, secret: bytes, alg: str = "HS256", *, ensure_ascii: bool = True) -> str:
    """Encode ``claims`` as a compact JWT.

    ``alg="HS256"`` signs with ``secret``; ``alg="none"`` produces an unsigned token
    (``header.payload.``), which a server must refuse. ``ensure_ascii=False`` keeps non-ASCII
    characters of the claims as UTF-8 in the payload instead of ``\\uXXXX`` escapes.
    """
    header = {"alg": alg, "typ": "JWT"}
    signing_input = (
        _b64url(json.dumps(header, separators=(",", ":")).encode())
        + "."
        + _b64url(json.dumps(claims, separators=(",", ":"), ensure_ascii=ensure_ascii).encode())
    )
    if alg == "HS256":
        signature = _b64url(hmac.new(secret, signing_input.encode("ascii"), hashlib.sha256).digest())
    elif alg == "none":
        signature = ""
    else:
        raise ValueError(f"unsupported alg {alg!r}")
    return f"{signing_input}.{signature}"


def access_token(
    secret: bytes,
    user_id: str,
    name: str | None = None,
    *,
    type: str = "access",  # noqa: A002 - the claim is called "type"
    ttl: float = 3600,
    alg: str = "HS256",
    ensure_ascii: bool = True,
) -> str:
    """A JWT for ``user_id`` (claims ``userId``, ``type``, ``iat``, ``exp`` and, if given, ``name``);
    by default a valid access token for one hour. A negative ``ttl`` gives an expired token."""
    now = int(time.time())
    claims: dict[str, Any] = {"userId": user_id, "type": type, "iat": now, "exp": now + int(ttl)}
    if name is not None:
        claims["name"] = name
    return sign_jwt(claims, secret, alg=alg, ensure_ascii=ensure_ascii)


# --------------------------------------------------------------------------------------
# server process
# --------------------------------------------------------------------------------------


def server_argv(binary: str) -> list[str]:
    """How the suites run the meetings server: any free port, in-memory database, no rate limit."""
    return [binary, "serve", "--port", "0", "--database-url", ":memory:", "--rate-limit-per-second", "0"]


class MeetingsServer:
    """The meetings server of one suite; ``tag`` names it in messages (see ``serve`` of
    ``server_process.py``) and its log file is ``<log_prefix><random>.log``.

    ``current`` is the running ``ServerProcess`` (None before the session fixture started it and
    after it stopped it), for the failure report hook.
    """

    def __init__(self, tag: str, log_prefix: str):
        self.tag = tag
        self.log_prefix = log_prefix
        self.current: ServerProcess | None = None

    def serve(self, binary: str, session: pytest.Session) -> Iterator[ServerProcess]:
        """Body of the suite's session fixture (``yield from``): start ``binary`` with a random
        ``JWT_SECRET`` (48 bytes, >= 32 required; tokens read it from ``srv.env``), yield the
        ``ServerProcess``, stop it. The log is kept only if a test of ``session`` failed."""
        srv = ServerProcess(server_argv(binary), env={"JWT_SECRET": secrets.token_hex(24)},
                            log_prefix=self.log_prefix)
        self.current = srv
        yield from serve(srv, self.tag, session)
        self.current = None

    def attach_log_tail(self, limit: int = 3000) -> Iterator[None]:
        """Body of the suite's ``pytest_runtest_makereport`` hook wrapper (``yield from``): attach
        the last ``limit`` bytes of the server's log to the report of a failing test."""
        outcome = yield
        self.add_log_tail(outcome.get_result(), limit)

    def add_log_tail(self, report: pytest.TestReport, limit: int = 3000) -> None:
        """Attach the last ``limit`` bytes of the server's log to ``report`` if it failed (for a
        hook wrapper that does more than ``attach_log_tail``)."""
        if report.failed and self.current is not None:
            report.sections.append(("meetings-server log (tail)", self.current.log_tail(limit)))
