"""No memory kept once a connection is gone: 3,000 Socket.IO connections over WebSocket (upgrade,
JWT, connect) opened at once and reset (TCP RST), five rounds, on a server of its own.

After each round the test waits until the server's descriptors are back to where they were and
its RSS has settled, and takes that as the round's plateau. A connection that leaves memory
behind shows as a plateau that climbs round after round (the issue measured about 7.6 KB kept
per connection per round, +8 % a round); every later plateau must stay within 10 % of the first.
"""

from __future__ import annotations

import asyncio
import base64
import json
import os
import pathlib
import resource
import secrets
import socket
import struct
import sys
import time

import pytest

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "pysupport"))

from meetings import access_token, server_argv  # noqa: E402
from server_process import ServerProcess, executable_from_env, serve  # noqa: E402

CONNECTIONS = 3_000
ROUNDS = 5
CONCURRENCY = 64  # handshakes in flight at once
SETTLE_TIMEOUT = 60.0  # s, for descriptors and RSS to settle after a round


@pytest.fixture
def storm_server(request):
    binary = executable_from_env(
        "MEETINGS_SERVER_BIN", "point it at the meetings server executable", skip_if_unset=True
    )
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    need = CONNECTIONS + 500
    assert hard >= need, f"ulimit -Hn is {hard}; {CONNECTIONS:,} connections need at least {need} descriptors"
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, need), hard))  # the server inherits it
    srv = ServerProcess(server_argv(binary), env={"JWT_SECRET": secrets.token_hex(24)}, log_prefix="storm-")
    yield from serve(srv, "connection storm", request.session)


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise AssertionError("no VmRSS")


def descriptors(pid: int) -> int:
    return len(os.listdir(f"/proc/{pid}/fd"))


def masked_text(text: str) -> bytes:
    payload = text.encode()
    mask = os.urandom(4)
    length = len(payload)
    head = bytes([0x81, 0x80 | length]) if length < 126 else bytes([0x81, 0x80 | 126]) + struct.pack(">H", length)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


async def read_frame(reader: asyncio.StreamReader) -> str:
    first, second = await reader.readexactly(2)
    length = second & 0x7F
    if length == 126:
        (length,) = struct.unpack(">H", await reader.readexactly(2))
    elif length == 127:
        (length,) = struct.unpack(">Q", await reader.readexactly(8))
    payload = await reader.readexactly(length)
    assert first & 0x0F == 1, f"expected a text frame, got opcode {first & 0x0F}: {payload[:80]!r}"
    return payload.decode()


async def connect(host: str, port: int, token: str) -> asyncio.StreamWriter:
    reader, writer = await asyncio.open_connection(host, port)
    key = base64.b64encode(os.urandom(16)).decode()
    writer.write(
        (
            f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {host}:{port}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = await reader.readuntil(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 101"), head
    assert (await read_frame(reader)).startswith("0{"), "no Engine.IO open packet"
    writer.write(masked_text("40" + json.dumps({"token": token}, separators=(",", ":"))))
    connected = await read_frame(reader)
    assert connected.startswith('40{"sid"'), f"Socket.IO connect refused: {connected}"
    return writer


async def open_and_reset(host: str, port: int, tokens: list[str]) -> None:
    gate = asyncio.Semaphore(CONCURRENCY)

    async def one(token: str) -> asyncio.StreamWriter:
        async with gate:
            return await asyncio.wait_for(connect(host, port, token), 30)

    writers = await asyncio.gather(*(one(token) for token in tokens))
    for writer in writers:
        # SO_LINGER with a zero timeout: close sends RST, as a vanished client's kernel would.
        writer.get_extra_info("socket").setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        writer.transport.abort()
    await asyncio.sleep(0)


def settle(pid: int, baseline_fds: int) -> int:
    """RSS (KiB) once the descriptors are back to the baseline and RSS moved < 1 % in 2 s."""
    deadline = time.monotonic() + SETTLE_TIMEOUT
    while descriptors(pid) > baseline_fds + 5:
        assert time.monotonic() < deadline, f"descriptors stay at {descriptors(pid)} (baseline {baseline_fds})"
        time.sleep(0.2)
    previous = rss_kib(pid)
    while True:
        time.sleep(2)
        current = rss_kib(pid)
        if abs(current - previous) < previous * 0.01 or time.monotonic() > deadline:
            return current
        previous = current


def test_memory_returns_after_connection_storms(storm_server):
    srv = storm_server
    pid = srv.proc.pid
    secret = srv.env["JWT_SECRET"].encode()
    tokens = [access_token(secret, f"storm-{i}", f"Storm {i}") for i in range(CONNECTIONS)]
    baseline_fds = descriptors(pid)
    plateaus = []
    for round_number in range(ROUNDS):
        started = time.monotonic()
        asyncio.run(open_and_reset(srv.host, srv.port, tokens))
        opened = time.monotonic() - started
        plateaus.append(settle(pid, baseline_fds))
        print(f"round {round_number + 1}: {CONNECTIONS:,} connections in {opened:.1f} s, RSS plateau {plateaus[-1] / 1024:.1f} MiB")
    first = plateaus[0]
    grown = [p for p in plateaus[1:] if p > first * 1.10]
    assert not grown, f"RSS plateaus (MiB) {[round(p / 1024, 1) for p in plateaus]}: later rounds over 110 % of the first"
