"""The baseline of meet-bench: python-socketio 5.18.1 on aiohttp with uvloop, serving the same
bench handlers and the same JWT check as `meetings-server serve --bench-handlers`.

    JWT_SECRET=... python socketio_server.py --port 3400

- CONNECT needs ``{"token": <HS256 JWT>}`` signed with JWT_SECRET, ``type`` "access" and an
  unexpired ``exp``; anything else is refused with CONNECT_ERROR.
- ``join(room)`` enters ``bench:<room>`` and acks.
- ``bcast(room, payload)`` adds ``te`` (CLOCK_MONOTONIC, microseconds) and emits ``evt`` with the
  payload to ``bench:<room>``, the sender included.

Prints ``listening on HOST:PORT`` once it accepts connections.
"""
import argparse
import asyncio
import base64
import hashlib
import hmac
import json
import os
import sys
import time

import socketio
import uvloop
from aiohttp import web


def b64url_decode(text):
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def verify(token, secret):
    """Returns the claims of a valid HS256 access token, or raises ValueError."""
    if not isinstance(token, str) or token.count(".") != 2:
        raise ValueError("malformed token")
    header, claims, signature = token.split(".")
    expected = base64.urlsafe_b64encode(hmac.new(secret, f"{header}.{claims}".encode(), hashlib.sha256).digest()).rstrip(b"=")
    if not hmac.compare_digest(expected, signature.encode()):
        raise ValueError("bad signature")
    if json.loads(b64url_decode(header)).get("alg") != "HS256":
        raise ValueError("alg must be HS256")
    body = json.loads(b64url_decode(claims))
    if body.get("type") != "access" or not isinstance(body.get("userId"), str):
        raise ValueError("not an access token")
    if "exp" in body and body["exp"] < time.time():
        raise ValueError("expired")
    return body


def make_app(secret):
    sio = socketio.AsyncServer(async_mode="aiohttp", transports=["websocket"], logger=False, engineio_logger=False)

    @sio.event
    async def connect(sid, environ, auth):
        try:
            claims = verify((auth or {}).get("token"), secret)
        except (ValueError, KeyError, json.JSONDecodeError):
            raise socketio.exceptions.ConnectionRefusedError({"code": "invalid_token"})
        await sio.save_session(sid, {"userId": claims["userId"]})

    @sio.event
    async def join(sid, room):
        if not isinstance(room, str) or not 0 < len(room.encode()) <= 100:
            return {"error": "join takes a room name of 1 to 100 bytes"}
        await sio.enter_room(sid, "bench:" + room)

    @sio.event
    async def bcast(sid, room, payload):
        if not isinstance(room, str) or not isinstance(payload, dict):
            return
        payload["te"] = time.monotonic_ns() // 1000
        await sio.emit("evt", payload, room="bench:" + room)

    app = web.Application()
    sio.attach(app)
    return app


async def serve(host, port, secret):
    runner = web.AppRunner(make_app(secret), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, host, port, backlog=4096)
    await site.start()
    bound = site._server.sockets[0].getsockname()[1]
    print(f"listening on {host}:{bound}", flush=True)
    await asyncio.Event().wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=3400)
    arguments = parser.parse_args()
    secret = os.environ.get("JWT_SECRET", "")
    if len(secret.encode()) < 32:
        sys.exit(f"JWT_SECRET must be at least 32 bytes; got {len(secret.encode())}. Generate one with: openssl rand -hex 32")
    uvloop.install()
    asyncio.run(serve(arguments.host, arguments.port, secret.encode()))


if __name__ == "__main__":
    main()
