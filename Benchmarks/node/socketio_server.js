// The Node baseline of meet-bench: socket.io (4.8.x, the ws engine) serving the same bench
// handlers and the same JWT check as `meetings-server serve --bench-handlers` and
// Benchmarks/baseline/socketio_server.py.
//
//     JWT_SECRET=... NODE_PATH=<a node_modules holding socket.io> node socketio_server.js --port 3500
//
// scripts/bench runs it when MEET_BENCH_NODE_MODULES names such a node_modules (npm is not
// reachable here; build one from the public socketio/socket.io repository, see
// Benchmarks/README.md). Nothing of socket.io is kept in this repository.
//
// - CONNECT needs {"token": <HS256 JWT>} signed with JWT_SECRET, type "access", a string userId
//   and an unexpired exp; anything else is refused with CONNECT_ERROR {code: "invalid_token"}.
// - join(room) enters "bench:<room>" and acks.
// - bcast(room, payload) adds te (CLOCK_MONOTONIC, microseconds: libuv's hrtime is that clock)
//   and emits evt with the payload to "bench:<room>", the sender included.
//
// Prints "listening on HOST:PORT" once it accepts connections.
"use strict";
const crypto = require("crypto");
const http = require("http");
const { Server } = require("socket.io");

function option(name, fallback) {
  const index = process.argv.indexOf(name);
  return index >= 0 && index + 1 < process.argv.length ? process.argv[index + 1] : fallback;
}

function decodeJSON(part) {
  return JSON.parse(Buffer.from(part, "base64url").toString("utf8"));
}

/** The claims of a valid HS256 access token; throws otherwise. */
function verify(token, secret) {
  if (typeof token !== "string") throw new Error("no token");
  const parts = token.split(".");
  if (parts.length !== 3) throw new Error("malformed token");
  const expected = crypto.createHmac("sha256", secret).update(`${parts[0]}.${parts[1]}`).digest();
  const given = Buffer.from(parts[2], "base64url");
  if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) throw new Error("bad signature");
  if (decodeJSON(parts[0]).alg !== "HS256") throw new Error("alg must be HS256");
  const claims = decodeJSON(parts[1]);
  if (claims.type !== "access" || typeof claims.userId !== "string") throw new Error("not an access token");
  if (claims.exp !== undefined && claims.exp < Date.now() / 1000) throw new Error("expired");
  return claims;
}

function main() {
  const secret = process.env.JWT_SECRET || "";
  if (Buffer.byteLength(secret) < 32) {
    console.error(`JWT_SECRET must be at least 32 bytes; got ${Buffer.byteLength(secret)}. Generate one with: openssl rand -hex 32`);
    process.exit(2);
  }
  const host = option("--host", "127.0.0.1");
  const port = Number(option("--port", "3500"));
  const server = http.createServer();
  const io = new Server(server, { transports: ["websocket"], serveClient: false });

  io.use((socket, next) => {
    try {
      socket.data.userId = verify((socket.handshake.auth || {}).token, secret).userId;
      next();
    } catch (error) {
      const refusal = new Error("invalid_token");
      refusal.data = { code: "invalid_token" };
      next(refusal);
    }
  });

  io.on("connection", (socket) => {
    socket.on("join", (room, ack) => {
      if (typeof room !== "string" || Buffer.byteLength(room) === 0 || Buffer.byteLength(room) > 100) {
        if (typeof ack === "function") ack({ error: "join takes a room name of 1 to 100 bytes" });
        return;
      }
      socket.join("bench:" + room);
      if (typeof ack === "function") ack();
    });
    socket.on("bcast", (room, payload) => {
      if (typeof room !== "string" || payload === null || typeof payload !== "object" || Array.isArray(payload)) return;
      payload.te = Number(process.hrtime.bigint() / 1000n);
      io.to("bench:" + room).emit("evt", payload);
    });
  });

  server.listen({ host, port, backlog: 4096 }, () => {
    console.log(`listening on ${host}:${server.address().port}`);
  });
  const stop = () => io.close(() => process.exit(0));
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main();
