// The HTTPS listener's port. A random plain port (server.port = 0, as in tests) means a
// random HTTPS port too: a fixed 8443 beside a random plain port would only collide.
import type { Config } from "../config/schema.ts";

export function httpsPort(config: Config): number {
  return config.server.port === 0 ? 0 : config.tls.port;
}
