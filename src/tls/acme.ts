// Mode acme: placeholder until the ACME client lands (next commit).
import type { Config } from "../config/schema.ts";
import { FatalError } from "../errors.ts";
import type { Logger } from "../log/port.ts";
import type { TlsSource } from "./source.ts";

export async function startAcme(_config: Config, _log: Logger, _now: () => number): Promise<TlsSource> {
  throw new FatalError("tls.mode acme is not available in this build yet; use local-ca, own or off");
}
