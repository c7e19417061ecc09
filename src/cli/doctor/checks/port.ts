import { type Check, fail, ok, warn } from "../check.ts";

const PROBE_TIMEOUT_MS = 2000;

/** Binding tells whether the port is free; /healthz tells whether Hearth is the one holding it. */
export const portCheck: Check = async ({ config }) => {
  const { host, port } = config.server;
  const where = `${host}:${port}`;
  if (port === 0) return [ok("server port", "0: a free port is picked at start")];
  try {
    const listener = Bun.listen({ hostname: host, port, socket: { data() {} } });
    listener.stop(true);
    return [ok("server port", `${where} is free`)];
  } catch (err) {
    const code = (err as { code?: string }).code ?? "";
    if (code !== "EADDRINUSE") return [fail("server port", `cannot bind ${where}: ${code || (err as Error).message}`)];
  }
  const probeHost = host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host.includes(":") ? `[${host}]` : host;
  const hearth = await fetch(`http://${probeHost}:${port}/healthz`, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) })
    .then((res) => res.ok)
    .catch(() => false);
  return hearth
    ? [warn("server port", `${where} in use — is Hearth already running? (/healthz answered)`)]
    : [fail("server port", `${where} is in use by another program; stop it or choose --port`)];
};
