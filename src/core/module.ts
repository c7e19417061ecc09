// The server side of `req` frames: each domain module contributes MethodDefs
// (name "noun.verb", a TypeBox params schema from src/protocol/methods/<domain>.ts,
// and a handler). src/events/connection.ts validates params against the schema,
// checks rate limits, and calls the handler with the caller's identity. Handlers
// authorize every call themselves (scoping queries to ctx.userId).
import type { Static, TSchema } from "@sinclair/typebox";
import { methods, type MethodName, type ParamsOf, type ResultOf } from "../protocol/methods/index.ts";
import type { Logger } from "../log/port.ts";

/** A member's missed changes of one chat: the events, or a fresh entry when too far behind (chat.difference's result). */
export type ChatDifference = ResultOf<"chat.difference">;

export interface CallContext {
  userId: string;
  sessionId: string;
  /** This WebSocket connection (per-connection state such as client.visibility). */
  connectionId: string;
  requestId: string;
  ip: string;
  log: Logger;
}

/** A served method as dispatch sees it: the name, the params schema to validate against, the handler. */
export interface MethodDef {
  name: string;
  params: TSchema;
  handler: (ctx: CallContext, params: never) => Promise<unknown>;
}

/**
 * Serves protocol method `name` with `handler`: the name is written once, the params
 * schema comes from the catalog (src/protocol/methods/), and the handler's params AND
 * result are typed from it, so a handler answering the wrong shape does not compile.
 */
/**
 * A method outside the protocol catalog, with its own schema: only test support serves
 * such methods (probe.*), so production's list stays exactly the catalog.
 */
export function unlistedMethod<P extends TSchema, R>(name: string, params: P, handler: (ctx: CallContext, params: Static<P>) => Promise<R>): MethodDef {
  return { name, params, handler: handler as MethodDef["handler"] };
}

export function bind<M extends MethodName>(name: M, handler: (ctx: CallContext, params: ParamsOf<M>) => Promise<ResultOf<M>>): MethodDef {
  return { name, params: methods[name].params, handler: handler as MethodDef["handler"] };
}

/** Who a WS hello's access token speaks for. */
export interface Identity {
  userId: string;
  sessionId: string;
}

/** Provided by accounts/. */
export interface Authenticate {
  /** Verifies a hello's access token: signature and expiry, live session, enabled user. */
  token(accessToken: string): Promise<Identity>;
  /**
   * The session and the user again, without the token: hello's second look, after it
   * subscribed (a verified token cannot change, so only storage needs reading twice).
   */
  live(identity: Identity): Promise<void>;
}

/**
 * What a domain folder (accounts/, chats/, calls/ …) contributes to the server:
 * WS methods, a part of the `welcome` snapshot, and HTTP routes (an Elysia plugin).
 * src/compose.ts lists the modules; nothing else knows them all.
 */
export interface DomainModule {
  name: string;
  methods: MethodDef[];
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
   * Background work of a serving process (sweepers, GC), started by src/serve.ts once the
   * server listens — never by the CLI commands that compose the same modules. `stop` ends it.
   */
  start?: () => void;
  /**
   * Shutdown work (stop workers, timers), run once by the server's lifecycle after the
   * sockets are closed and before storage closes; must not throw.
   */
  stop?: (reason: string) => void | Promise<void>;
  /**
   * The chat-log difference for a member (chats/ provides it; chat.difference serves the
   * same): what a resume sends per chat. Null when the user is not a member.
   */
  chatDifference?: (userId: string, chatId: string, afterPos: number) => Promise<ChatDifference | null>;
}
