"""RFC 6455 §7.4: the close code the server's WebSocket sends for each kind of bad frame.

A raw WebSocket on a plain socket (no client library would send these frames): the handshake
of an Engine.IO v4 WebSocket, the open packet, then one bad frame; the server must answer with
a close frame carrying the code, then close the connection.
"""

from __future__ import annotations

import base64
import os
import socket
import struct

import pytest
from server_process import ServerProcess, executable_from_env  # on the path by conftest.py

MAX_PAYLOAD = 100_000  # maxHttpBufferSize of the interop server binary (conftest.MAX_PAYLOAD)


def open_websocket(server) -> tuple[socket.socket, "FrameReader"]:
    sock = socket.create_connection((server.host, server.port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET /socket.io/?EIO=4&transport=websocket HTTP/1.1\r\nHost: {server.host}:{server.port}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = b""
    while b"\r\n\r\n" not in head:
        chunk = sock.recv(4096)
        assert chunk, f"closed during the handshake: {head!r}"
        head += chunk
    status, _, rest = head.partition(b"\r\n\r\n")
    assert status.startswith(b"HTTP/1.1 101"), status
    reader = FrameReader(sock, rest)
    opcode, payload = reader.next()
    assert (opcode, payload[:1]) == (1, b"0"), (opcode, payload)  # the Engine.IO open packet
    return sock, reader


def frame(opcode: int, payload: bytes, *, masked: bool = True, fin: bool = True, rsv: int = 0) -> bytes:
    first = (0x80 if fin else 0) | (rsv << 4) | opcode
    length = len(payload)
    if length < 126:
        header = bytes([first, (0x80 if masked else 0) | length])
    elif length < 65536:
        header = bytes([first, (0x80 if masked else 0) | 126]) + struct.pack(">H", length)
    else:
        header = bytes([first, (0x80 if masked else 0) | 127]) + struct.pack(">Q", length)
    if not masked:
        return header + payload
    mask = os.urandom(4)
    return header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


class FrameReader:
    def __init__(self, sock: socket.socket, buffered: bytes = b""):
        self.sock, self.buffer = sock, buffered

    def take(self, count: int) -> bytes:
        while len(self.buffer) < count:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError(f"closed with {len(self.buffer)} of {count} bytes")
            self.buffer += chunk
        out, self.buffer = self.buffer[:count], self.buffer[count:]
        return out

    def next(self) -> tuple[int, bytes]:
        first, second = self.take(2)
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack(">H", self.take(2))
        elif length == 127:
            (length,) = struct.unpack(">Q", self.take(8))
        return first & 0x0F, self.take(length)


def close_code_after(server, bad: bytes) -> int:
    """Sends `bad` on a fresh WebSocket; the code of the server's close frame."""
    sock, reader = open_websocket(server)
    try:
        sock.sendall(bad)
        while True:
            opcode, payload = reader.next()
            if opcode == 8:
                assert len(payload) >= 2, "a close frame without a code"
                return struct.unpack(">H", payload[:2])[0]
    finally:
        sock.close()


def test_invalid_utf8_in_a_text_frame_is_1007(server):
    assert close_code_after(server, frame(1, b"4\xff\xfe")) == 1007


def test_invalid_utf8_split_across_continuation_frames_is_1007(server):
    bad = frame(1, b"4\xe2\x82", fin=False) + frame(0, b"\x28")
    assert close_code_after(server, bad) == 1007


def test_a_reserved_opcode_is_1002(server):
    assert close_code_after(server, frame(3, b"x")) == 1002


def test_reserved_bits_without_an_extension_are_1002(server):
    assert close_code_after(server, frame(1, b"4hello", rsv=4)) == 1002


def test_a_message_over_max_payload_is_1009(server):
    assert close_code_after(server, frame(1, b"4" + b"x" * MAX_PAYLOAD)) == 1009


def test_an_unmasked_client_frame_is_1002(server):
    """RFC 6455 §5.1: a server MUST close the connection upon a frame that is not masked."""
    assert close_code_after(server, frame(1, b'40{"token":"secret"}', masked=False)) == 1002


def test_a_server_shutting_down_closes_with_1001():
    """RFC 6455 §7.4.1: 1001, going away, when the server goes down (SIGTERM, graceful)."""
    binary = executable_from_env("INTEROP_SERVER_BIN", "point it at the Swift interop server executable")
    srv = ServerProcess([binary, "--port", "0"], log_prefix="socketio-interop-server-shutdown-")
    srv.start()
    try:
        sock, reader = open_websocket(srv)
        try:
            srv.proc.terminate()
            while True:
                opcode, payload = reader.next()
                if opcode == 8:
                    assert struct.unpack(">H", payload[:2])[0] == 1001, payload
                    break
        finally:
            sock.close()
    finally:
        srv.stop()


def test_a_valid_message_still_works(server):
    """The control: the same handshake and framing, a good Socket.IO CONNECT, answered."""
    sock, reader = open_websocket(server)
    try:
        sock.sendall(frame(1, b'40{"token":"secret"}'))
        opcode, payload = reader.next()
        assert (opcode, payload[:3]) == (1, b'40{'), payload
    finally:
        sock.close()
