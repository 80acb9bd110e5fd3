"""python-socketio AsyncClient (5.18.1) against our Swift Socket.IO v5 interop server.

Run:
    INTEROP_SERVER_BIN=/work/main/.build/debug/socketio-interop-server \
        .venv/bin/python -m pytest -q Tests/interop

The server (``Examples/InteropServer``) mirrors the python server of
docs/socketio-protocol.md §6.4, plus ``broadcast`` and ``big`` handlers and a
maxHttpBufferSize of 100000 bytes. Each client test runs three times, with
``transports`` = ['websocket'], ['polling'] and ['polling', 'websocket'] (upgrade);
the parametrization comes from ``pytest_generate_tests`` in conftest.py.
"""

from __future__ import annotations

import asyncio
import json

import requests
import socketio

# The python client maps ack arguments as: no arg -> None, one arg -> that value,
# several args -> a tuple (socketio/async_client.py AsyncClient.call).


# --------------------------------------------------------------------------------------
# 1. refused auth
# --------------------------------------------------------------------------------------


def test_refused_auth(interop, transports):
    async def main():
        sio, rec = interop.client()
        try:
            error = None
            try:
                await interop.connect(sio, transports, auth=interop.BAD_AUTH)
            except socketio.exceptions.ConnectionError as exc:
                error = exc
            assert error is not None, "connect with auth {'token': 'wrong'} should have been refused"
            assert not sio.connected
            (data,) = await rec.get("connect_error")
            assert data == {"message": "bad token", "data": {"code": 401}}
            assert rec.pending("connect_error") == [], "connect_error must fire exactly once"
        finally:
            await interop.close(sio)

    interop.run(main)


# --------------------------------------------------------------------------------------
# 2. accepted auth, two namespaces in one connect call, transport check
# --------------------------------------------------------------------------------------


def test_auth_ok_two_namespaces(interop, transports):
    async def main():
        sio, rec = interop.client()
        try:
            await interop.connect(sio, transports, namespaces=["/", "/admin"])
            assert sio.connected
            assert set(sio.namespaces) == {"/", "/admin"}
            sid_main, sid_admin = sio.get_sid("/"), sio.get_sid("/admin")
            assert isinstance(sid_main, str) and sid_main
            assert isinstance(sid_admin, str) and sid_admin
            assert sid_main != sid_admin, "each namespace gets its own Socket.IO sid"
            assert sid_main != sio.eio.sid, "the Socket.IO sid must differ from the Engine.IO sid"

            expected = interop.expected_transport(transports)
            assert await interop.wait_transport(sio, expected, timeout=3.0) == expected
            if transports == ["polling"]:
                await asyncio.sleep(0.3)  # a polling-only client must never upgrade
                assert sio.transport() == "polling"
            assert rec.pending("disconnect") == []
        finally:
            await interop.close(sio)

    interop.run(main)


# --------------------------------------------------------------------------------------
# 3. acks with several args (and the 0- and 1-arg shapes)
# --------------------------------------------------------------------------------------


def test_echo_ack_args(interop, transports):
    async def main():
        sio, rec = interop.client()
        try:
            await interop.connect(sio, transports)
            # several ack args -> tuple
            res = await sio.call("echo", ("a", 1, {"x": [True, None]}), timeout=5)
            assert type(res) is tuple
            assert res == ("a", 1, {"x": [True, None]})
            # one arg -> the bare value; a list is ONE array argument
            assert await sio.call("echo", "solo", timeout=5) == "solo"
            assert await sio.call("echo", [1, 2.5, "three"], timeout=5) == [1, 2.5, "three"]
            # no arg -> empty ack `43N[]` -> None
            assert await sio.call("echo", timeout=5) is None
            # unicode survives (multi-byte UTF-8, incl. astral plane; polling counts bytes != chars)
            text = "héllo wörld ✓ 𝄞 日本"
            assert await sio.call("echo", (text, {"k": text}), timeout=5) == (text, {"k": text})
        finally:
            await interop.close(sio)

    interop.run(main)


# --------------------------------------------------------------------------------------
# 4. binary event, binary ack, binary nested in an object
# --------------------------------------------------------------------------------------


def test_binary(interop, transports):
    async def main():
        sio, rec = interop.client()
        try:
            await interop.connect(sio, transports)
            blob = bytes(range(256)) * 4
            ack = await sio.call("bin", blob, timeout=5)
            assert type(ack) is bytes
            assert ack == blob
            (ev,) = await rec.get("bin-back")
            assert set(ev) == {"raw", "len"}
            assert type(ev["raw"]) is bytes
            assert ev["raw"] == blob
            assert ev["len"] == 1024

            nested = {"a": {"b": [b"\x01\x02"]}}
            back = await sio.call("echo", nested, timeout=5)
            assert back == nested
            assert type(back["a"]["b"][0]) is bytes
        finally:
            await interop.close(sio)

    interop.run(main)


# --------------------------------------------------------------------------------------
# 5. rooms: join, room broadcast excluding the sender
# --------------------------------------------------------------------------------------


def test_rooms_broadcast_excludes_sender(interop, transports):
    async def main():
        a, rec_a = interop.client()
        b, rec_b = interop.client()
        try:
            await interop.connect(a, transports)
            await interop.connect(b, transports)
            sid_a, sid_b = a.get_sid("/"), b.get_sid("/")

            assert await a.call("join", "room1", timeout=5) == "joined room1"
            assert await rec_a.get("room-msg") == ({"room": "room1", "joined": sid_a},)

            assert await b.call("join", "room1", timeout=5) == "joined room1"
            # emitted to everyone in the room, B included (B joined before the emit)
            assert await rec_b.get("room-msg") == ({"room": "room1", "joined": sid_b},)
            assert await rec_a.get("room-msg") == ({"room": "room1", "joined": sid_b},)

            assert await a.call("broadcast", ("room1", "hi"), timeout=5) == "sent"
            assert await rec_b.get("room-broadcast", timeout=5) == ("hi",)
            await asyncio.sleep(0.5)
            assert rec_a.pending("room-broadcast") == [], "the sender must be excluded from the broadcast"
            assert rec_b.pending("room-broadcast") == [], "B must receive the broadcast exactly once"
            assert rec_a.pending("room-msg") == [] and rec_b.pending("room-msg") == []
        finally:
            await interop.close(a)
            await interop.close(b)

    interop.run(main)


# --------------------------------------------------------------------------------------
# 6. server -> client event with ack
# --------------------------------------------------------------------------------------


def test_server_to_client_ack(interop, transports):
    async def main():
        sio, rec = interop.client()  # its 'question' handler returns q.upper()
        try:
            await interop.connect(sio, transports)
            assert await sio.call("ask-client", "hello", timeout=5) == {"client-said": "HELLO"}
        finally:
            await interop.close(sio)

    interop.run(main)


# --------------------------------------------------------------------------------------
# 7. payload limit (maxHttpBufferSize = 100000 bytes)
# --------------------------------------------------------------------------------------

_BIG_OVERHEAD = len('42["big",""]')  # Engine.IO type + Socket.IO type + JSON framing (ack id not counted)


def big_string(packet_size: int) -> str:
    """ASCII string s such that the Engine.IO packet ``42["big","<s>"]`` is ``packet_size`` bytes.

    (python-socketio inserts an ack id, ``42<id>[...]``, which adds a few bytes.)
    """
    s = "x" * (packet_size - _BIG_OVERHEAD)
    assert len(('42' + json.dumps(["big", s], separators=(",", ":"))).encode()) == packet_size
    return s


def test_payload_limit(interop, transports):
    async def main():
        sio, rec = interop.client()
        try:
            await interop.connect(sio, transports)
            expected = interop.expected_transport(transports)
            assert await interop.wait_transport(sio, expected, timeout=3.0) == expected

            # just under the limit: accepted
            s = big_string(99_990)
            assert await sio.call("big", s, timeout=10) == len(s) == 99_978

            # just over the limit
            s = big_string(100_100)
            acked = asyncio.Event()
            await sio.emit("big", s, callback=lambda *args: acked.set())
            if sio.transport() == "websocket":
                # the server must close the WebSocket (Node: close code 1009)
                reason = await rec.get("disconnect", timeout=5)
                assert not acked.is_set(), "the server acked a message larger than maxPayload"
                assert not sio.connected, f"still connected after disconnect {reason}"
            else:
                # polling: the POST gets 413; python-engineio's write loop then gives up silently
                # (its read loop keeps waiting on the GET): either a disconnect or no ack.
                waiter = asyncio.ensure_future(acked.wait())
                disc = asyncio.ensure_future(rec.get("disconnect", timeout=3))
                done, pending = await asyncio.wait({waiter, disc}, timeout=3, return_when=asyncio.FIRST_COMPLETED)
                for t in pending:
                    t.cancel()
                await asyncio.gather(*pending, return_exceptions=True)
                assert not acked.is_set(), "the server acked a POST larger than maxPayload (expected HTTP 413)"
                # After the 413 the client's write loop is gone, so a graceful close (POST `1`) is
                # impossible; don't spend the default timeout on it. The raw 413 behaviour is
                # checked by test_polling_413_keeps_session_raw.
                await interop.close(sio, timeout=1)
        finally:
            await interop.close(sio)

    interop.run(main)


def test_polling_413_keeps_session_raw(interop):
    """Raw polling (requests): an oversized POST gets 413 and the Engine.IO session survives.

    Not parametrized over client transports: it speaks HTTP long-polling directly.
    """
    base = f"{interop.url}/socket.io/?EIO=4&transport=polling"
    text = {"Content-Type": "text/plain;charset=UTF-8"}
    t = 10  # s, per request

    r = requests.get(base, timeout=t)
    assert r.status_code == 200, r.text
    assert r.text.startswith("0{"), r.text
    handshake = json.loads(r.text.split("\x1e")[0][1:])
    sid = handshake["sid"]
    assert isinstance(sid, str) and sid
    assert handshake["upgrades"] == ["websocket"]
    assert handshake["maxPayload"] == interop.MAX_PAYLOAD
    url = f"{base}&sid={sid}"
    try:
        r = requests.post(url, data='40{"token":"secret"}'.encode(), headers=text, timeout=t)
        assert (r.status_code, r.text) == (200, "ok")
        r = requests.get(url, timeout=t)
        assert r.status_code == 200
        assert r.text.startswith('40{"sid"'), r.text

        body = ('42' + json.dumps(["big", big_string(100_100)], separators=(",", ":"))).encode()
        assert len(body) == 100_100
        r = requests.post(url, data=body, headers=text, timeout=t)
        assert r.status_code == 413, f"oversized POST: expected 413, got {r.status_code} {r.text[:200]!r}"

        r = requests.post(url, data='421["echo","still-alive"]'.encode(), headers=text, timeout=t)
        assert (r.status_code, r.text) == (200, "ok"), "session did not survive the 413"
        r = requests.get(url, timeout=t)
        assert r.status_code == 200
        assert '431["still-alive"]' in r.text.split("\x1e"), r.text
        # engine defaults of the interop binary (checked last: not the point of this test)
        assert (handshake["pingInterval"], handshake["pingTimeout"]) == (25000, 20000)
    finally:
        try:
            requests.post(url, data=b"1", headers=text, timeout=t)
        except requests.RequestException:
            pass


# --------------------------------------------------------------------------------------
# extra checks (kept after the main list so that -x reports the main ones first)
# --------------------------------------------------------------------------------------


def test_admin_namespace_accepts_any_auth(interop, transports):
    """The auth middleware guards '/' only: '/admin' alone accepts a wrong token."""

    async def main():
        sio, rec = interop.client()
        try:
            await interop.connect(sio, transports, auth=interop.BAD_AUTH, namespaces=["/admin"])
            assert set(sio.namespaces) == {"/admin"}
            assert sio.get_sid("/admin")
            assert rec.pending("connect_error") == []
        finally:
            await interop.close(sio)

    interop.run(main)


def test_binary_edge_cases(interop, transports):
    """Several attachments in one packet, a zero-length buffer, binary at depth >= 3 and in arrays."""

    async def main():
        sio, rec = interop.client()
        try:
            await interop.connect(sio, transports)
            args = (b"", {"k": [b"\x00", {"deep": {"er": b"\xff\xfe\x1e"}}]}, "text", [b"\x1e" * 3, 7])
            assert await sio.call("echo", args, timeout=5) == args
            assert await sio.call("bin", b"", timeout=5) == b""
            (ev,) = await rec.get("bin-back")
            assert ev == {"raw": b"", "len": 0}
        finally:
            await interop.close(sio)

    interop.run(main)


def test_client_disconnect_is_prompt(interop, transports):
    """A graceful client close finishes quickly (over polling the server must answer the
    pending GET as soon as the client POSTs `41`/`1`; docs §7 #12: < 1 s)."""

    async def main():
        sio, rec = interop.client()
        try:
            await interop.connect(sio, transports, namespaces=["/", "/admin"])
            assert await sio.call("echo", "x", timeout=5) == "x"
            loop = asyncio.get_running_loop()
            started = loop.time()
            await asyncio.wait_for(sio.disconnect(), 5)
            elapsed = loop.time() - started
            assert elapsed < 1.0, f"client disconnect took {elapsed:.2f} s"
            assert not sio.connected
            assert sio.eio.state == "disconnected"
        finally:
            await interop.close(sio)

    interop.run(main)
