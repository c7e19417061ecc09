// The baseline for the fan-out benchmark: a bare Bun.serve WebSocket server. Every
// socket subscribes to one topic; every binary frame received is published to it as is
// (one publish → every subscriber, batched by Bun). No auth, no storage, no per-user ids.
//   bun bench/messaging/raw-server.ts  → prints the port on stdout
const server = Bun.serve({
  port: 0,
  hostname: "127.0.0.1",
  fetch(req, srv) {
    return srv.upgrade(req) ? undefined : new Response("ws only", { status: 400 });
  },
  websocket: {
    perMessageDeflate: false,
    open(ws) {
      ws.subscribe("g");
    },
    message(_ws, msg) {
      server.publish("g", msg as Uint8Array); // to every socket, the sender included (as Hearth does)
    },
  },
});
console.log(server.port);
