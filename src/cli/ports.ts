// Is a listening port free, held by a Hearth server, or held by something else? Binding
// answers the first; /healthz answers the second. Used by `hearth doctor` (reports) and
// by `hearth serve` before it creates anything (refuses in one line).
import type { Config } from "../config/schema.ts";
import { FatalError } from "../errors.ts";
import { limits } from "../limits.ts";
import { httpsPort } from "../tls/port.ts";

export type PortState = { kind: "free" } | { kind: "hearth" } | { kind: "other" } | { kind: "error"; reason: string };

export interface Listener {
  name: string; // config key, e.g. "server.port"
  host: string;
  port: number;
  scheme: "http" | "https";
}

/** The ports `hearth serve` will listen on with this configuration (0 = any free one, never checked). */
export function listeners(config: Config): Listener[] {
  const out: Listener[] = [{ name: "server.port", host: config.server.host, port: config.server.port, scheme: "http" }];
  if (config.tls.mode !== "off") out.push({ name: "tls.port", host: config.server.host, port: httpsPort(config), scheme: "https" });
  return out.filter((l) => l.port !== 0);
}

export async function portState({ host, port, scheme }: Listener): Promise<PortState> {
  try {
    Bun.listen({ hostname: host, port, socket: { data() {} } }).stop(true);
    return { kind: "free" };
  } catch (err) {
    const code = (err as { code?: string }).code ?? "";
    if (code !== "EADDRINUSE") return { kind: "error", reason: code || (err as Error).message };
  }
  const probeHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const init = { signal: AbortSignal.timeout(limits.portProbeTimeoutMs), tls: { rejectUnauthorized: false } };
  const hearth = await fetch(`${scheme}://${probeHost}:${port}/healthz`, init).then((res) => res.ok, () => false);
  return { kind: hearth ? "hearth" : "other" };
}

export const inUseText = (l: Listener, state: PortState): string =>
  state.kind === "hearth"
    ? `${l.host}:${l.port} (${l.name}) is in use — is Hearth already running? (/healthz answered)`
    : state.kind === "other"
      ? `${l.host}:${l.port} (${l.name}) is in use by another program; stop it or choose another ${l.name}`
      : `cannot listen on ${l.host}:${l.port} (${l.name}): ${state.kind === "error" ? state.reason : state.kind}`;

/** Before serve creates anything (TLS keys, database), make sure it will be able to listen. */
export async function assertPortsFree(config: Config): Promise<void> {
  for (const l of listeners(config)) {
    const state = await portState(l);
    if (state.kind !== "free") throw new FatalError(inUseText(l, state));
  }
}
