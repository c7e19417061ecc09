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
  /** This WebSocket connection (per-connection state such as client.visibility). */
  connectionId: string;
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

/** Verifies a WS hello's access token: live session, enabled user. Provided by accounts/. */
export type Authenticate = (accessToken: string) => Promise<{ userId: string; sessionId: string }>;

/**
 * What a domain folder (accounts/, chats/, calls/ …) contributes to the server:
 * WS methods, a part of the `welcome` snapshot, and HTTP routes (an Elysia plugin).
 * src/main.ts lists the modules; nothing else knows them all.
 */
export interface DomainModule {
  name: string;
  methods: MethodDef<any, any>[];
  /** Keyed into welcome.snapshot[name]; must read a consistent view for this user. */
  snapshot?: (userId: string) => Promise<unknown>;
  /**
   * A connection of the user became open (after welcome); the returned function runs when
   * it closes. For per-connection state such as presence; must not throw.
   */
  connected?: (c: { userId: string; sessionId: string; connectionId: string }) => (() => void) | void;
  // biome-ignore lint: Elysia instance types are too deep to name here
  routes?: (app: any) => any;
  /**
   * Shutdown work (stop workers, timers), run once by the server's lifecycle after the
   * sockets are closed and before storage closes; must not throw.
   */
  stop?: (reason: string) => void | Promise<void>;
}
