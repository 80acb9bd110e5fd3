"""python-socketio 5.18.1 AsyncServer on aiohttp: the reference peer for our Swift client.

Run: python py_server.py PORT   (prints "listening on 127.0.0.1:PORT" once ready)
Handlers follow shared/docs/socketio-protocol.md section 6.4.
"""
import asyncio
import os
import signal
import sys

import socketio
from aiohttp import web

# It ends with the test that started it: a SIGTERM ends it at once (the signal may arrive
# blocked from the parent's thread, so unblock it first), and so does its parent's end, even
# by SIGKILL, which no handler sees.
signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})
signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
PARENT = os.getppid()

sio = socketio.AsyncServer(async_mode='aiohttp', cors_allowed_origins='*',
                           ping_interval=1, ping_timeout=2,     # whole seconds (python truncates)
                           max_http_buffer_size=1_000_000)
app = web.Application()
sio.attach(app)


@sio.event
async def connect(sid, environ, auth):
    if not auth or auth.get('token') != 'secret':
        raise socketio.exceptions.ConnectionRefusedError('bad token', {'code': 401})
    # python-socketio sends this before its reply to the CONNECT: a client must keep it and
    # deliver it right after the connect, as socket.io-client does.
    await sio.emit('hello', {'from': 'connect handler'}, to=sid)


@sio.on('echo')
async def echo(sid, *args):
    return args


@sio.on('bin')
async def binary(sid, data):
    await sio.emit('bin-back', {'raw': data, 'len': len(data)}, to=sid)
    return data


@sio.on('join')
async def join(sid, room):
    await sio.enter_room(sid, room)
    await sio.emit('room-msg', {'room': room, 'joined': sid}, room=room)
    return 'joined ' + room


@sio.on('ask-client')
async def ask_client(sid, q):
    answer = await sio.call('question', q, to=sid, timeout=5)
    return {'client-said': answer}


@sio.on('connect', namespace='/admin')
async def admin_connect(sid, environ, auth):
    return None


@sio.on('whoami', namespace='/admin')
async def whoami(sid):
    return '/admin'


async def watch_parent():
    while os.getppid() == PARENT:
        await asyncio.sleep(0.5)
    os._exit(0)


async def announce(app):
    app['watch_parent'] = asyncio.create_task(watch_parent())
    print(f'listening on 127.0.0.1:{port}', flush=True)


port = int(sys.argv[1]) if len(sys.argv) > 1 else 5001
app.on_startup.append(announce)
# A stopped server closes its connections at once (the reconnection tests restart it).
web.run_app(app, host='127.0.0.1', port=port, print=None, shutdown_timeout=0.5, handle_signals=False)
