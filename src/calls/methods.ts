// The call WS methods: schemas from src/protocol/methods/calls.ts, use cases in calls.ts
// (joining, leaving, state) and signaling.ts (transports, producers, consumers).
import { callMethods as c } from "../protocol/methods/calls.ts";
import { type MethodDef, bind } from "../core/module.ts";
import type { Calls } from "./calls.ts";
import * as s from "./signaling.ts";

export function callMethodDefs(calls: Calls): MethodDef[] {
  return [
    bind("call.join", (x, p) => calls.join(x.userId, p.chatId)),
    bind("call.decline", (x, p) => calls.decline(x.userId, p.callId)),
    bind("call.leave", (x, p) => calls.leave(x.userId, p.callId)),
    bind("call.set_state", (x, p) => calls.setState(x.userId, p.callId, p)),
    bind("call.transport.create", (x, p) => s.createTransport(calls, x.userId, p)),
    bind("call.transport.connect", (x, p) => s.connectTransport(calls, x.userId, p)),
    bind("call.restart_ice", (x, p) => s.restartIce(calls, x.userId, p)),
    bind("call.produce", (x, p) => s.produce(calls, x.userId, p)),
    bind("call.producer.pause", (x, p) => s.changeProducer(calls, x.userId, p.producerId, "pause")),
    bind("call.producer.resume", (x, p) => s.changeProducer(calls, x.userId, p.producerId, "resume")),
    bind("call.producer.close", (x, p) => s.changeProducer(calls, x.userId, p.producerId, "close")),
    bind("call.consume", (x, p) => s.consume(calls, x.userId, p)),
    bind("call.consumer.resume", (x, p) => s.changeConsumer(calls, x.userId, p.consumerId, "resume")),
    bind("call.consumer.pause", (x, p) => s.changeConsumer(calls, x.userId, p.consumerId, "pause")),
    bind("call.history", (x, p) => calls.history(x.userId, p)),
    bind("call.set_preferred_layers", (x, p) => s.setPreferredLayers(calls, x.userId, p)),
  ];
}
