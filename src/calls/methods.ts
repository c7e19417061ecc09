// The call WS methods: schemas from src/protocol/methods/calls.ts, use cases in calls.ts
// (joining, leaving, state) and signaling.ts (transports, producers, consumers).
import { callMethods as c } from "../protocol/methods/calls.ts";
import { type MethodDef, method } from "../core/module.ts";
import type { Calls } from "./calls.ts";
import * as s from "./signaling.ts";

export function callMethodDefs(calls: Calls): MethodDef<any, any>[] {
  return [
    method({ name: "call.join", params: c["call.join"].params, handler: (x, p) => calls.join(x.userId, p.chatId) }),
    method({ name: "call.decline", params: c["call.decline"].params, handler: (x, p) => calls.decline(x.userId, p.callId) }),
    method({ name: "call.leave", params: c["call.leave"].params, handler: (x, p) => calls.leave(x.userId, p.callId) }),
    method({ name: "call.setState", params: c["call.setState"].params, handler: (x, p) => calls.setState(x.userId, p.callId, p) }),
    method({ name: "call.transport.create", params: c["call.transport.create"].params, handler: (x, p) => s.createTransport(calls, x.userId, p) }),
    method({ name: "call.transport.connect", params: c["call.transport.connect"].params, handler: (x, p) => s.connectTransport(calls, x.userId, p) }),
    method({ name: "call.restartIce", params: c["call.restartIce"].params, handler: (x, p) => s.restartIce(calls, x.userId, p) }),
    method({ name: "call.produce", params: c["call.produce"].params, handler: (x, p) => s.produce(calls, x.userId, p) }),
    method({ name: "call.producer.pause", params: c["call.producer.pause"].params, handler: (x, p) => s.changeProducer(calls, x.userId, p.producerId, "pause") }),
    method({ name: "call.producer.resume", params: c["call.producer.resume"].params, handler: (x, p) => s.changeProducer(calls, x.userId, p.producerId, "resume") }),
    method({ name: "call.producer.close", params: c["call.producer.close"].params, handler: (x, p) => s.changeProducer(calls, x.userId, p.producerId, "close") }),
    method({ name: "call.consume", params: c["call.consume"].params, handler: (x, p) => s.consume(calls, x.userId, p) }),
    method({ name: "call.consumer.resume", params: c["call.consumer.resume"].params, handler: (x, p) => s.changeConsumer(calls, x.userId, p.consumerId, "resume") }),
    method({ name: "call.consumer.pause", params: c["call.consumer.pause"].params, handler: (x, p) => s.changeConsumer(calls, x.userId, p.consumerId, "pause") }),
    method({ name: "call.history", params: c["call.history"].params, handler: (x, p) => calls.history(x.userId, p) }),
    method({ name: "call.setPreferredLayers", params: c["call.setPreferredLayers"].params, handler: (x, p) => s.setPreferredLayers(calls, x.userId, p) }),
  ];
}
