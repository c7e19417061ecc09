// The server side of `req` frames: each domain module contributes MethodDefs
// (name "noun.verb", a TypeBox params schema from src/protocol/methods/<domain>.ts,
// and a handler). src/events/connection.ts validates params against the schema,
// checks rate limits, and calls the handler with the caller's identity. Handlers
// authorize every call themselves (scoping queries to ctx.userId).
import type { TSchema, Static } from "@sinclair/typebox";
import type { Logger } from "../log/port.ts";

export interface CallContext {
  userId: string;
  sessionId: string;
  requestId: string;
  ip: string;
  log: Logger;
}

export interface MethodDef<P extends TSchema = TSchema, R = unknown> {
  name: string;
  params: P;
  handler: (ctx: CallContext, params: Static<P>) => Promise<R>;
}

export const method = <P extends TSchema, R>(def: MethodDef<P, R>): MethodDef<P, R> => def;
