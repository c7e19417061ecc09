// What the HTTPS listener needs from a TLS mode: the current certificate chain and key,
// a signal when they change (the listener then restarts with them), and a periodic check
// that renews or re-issues. One shape for local-ca, acme and own.
import { limits } from "../limits.ts";
import type { Logger } from "../log/port.ts";

export type TlsMode = "local-ca" | "acme" | "own";

export interface TlsMaterial {
  /** PEM: the server certificate followed by its chain. */
  cert: string;
  key: string;
}

/** The HTTPS listener lends its port to an ACME TLS-ALPN-01 responder for the length of a challenge. */
export interface PortLease {
  host: string;
  /** Stops the HTTPS listener; resolves with the port it held (or will use). */
  pause(): Promise<number>;
  /** Starts it again with the current certificate. */
  resume(): void;
}

export interface TlsSource {
  readonly mode: TlsMode;
  /** null until a certificate exists (ACME before its first issuance). */
  material(): TlsMaterial | null;
  onChange(listener: (m: TlsMaterial) => void): void;
  /** local-ca: the CA certificate (PEM) that devices install; null in other modes. */
  caPem(): string | null;
  /** Strict-Transport-Security is sent only with publicly trusted or admin-provided certificates. */
  readonly hsts: boolean;
  /** ACME HTTP-01: the key authorization for a pending token, else null. */
  acmeHttpAnswer(token: string): string | null;
  /** Runs the periodic check now (start-up, timer, tests). */
  check(): Promise<void>;
  stop(): void;
  /** Called by the HTTPS listener when it starts (acme tls-alpn-01 borrows its port). */
  attachListener(lease: PortLease): void;
  /** What start-up created or renewed, logged once the server listens (a refused start stays one line). */
  readonly startNotes: readonly string[];
}

export interface SourceCore {
  mode: TlsMode;
  hsts: boolean;
  log: Logger;
  /** Returns new material when it changed, else null. Throws on failure (logged, retried next tick). */
  refresh(): Promise<TlsMaterial | null>;
  caPem?: () => string | null;
  attachListener?: (lease: PortLease) => void;
  acmeHttpAnswer?: (token: string) => string | null;
  intervalMs?: number;
  startNotes?: string[];
}

/** Wraps a refresh function into a TlsSource with listeners and an unref'd timer. */
export function createSource(core: SourceCore, initial: TlsMaterial | null): TlsSource {
  let current = initial;
  const listeners: ((m: TlsMaterial) => void)[] = [];
  let running: Promise<void> | null = null;
  const check = () => {
    running ??= core
      .refresh()
      .then((next) => {
        if (!next) return;
        current = next;
        for (const l of listeners) l(next);
      })
      .catch((err) => core.log.error("TLS certificate check failed; will retry", { mode: core.mode, err }))
      .finally(() => {
        running = null;
      });
    return running;
  };
  const timer = setInterval(() => void check(), core.intervalMs ?? limits.tlsAddressCheckIntervalMs);
  timer.unref();
  return {
    mode: core.mode,
    hsts: core.hsts,
    material: () => current,
    onChange: (l) => void listeners.push(l),
    caPem: () => core.caPem?.() ?? null,
    acmeHttpAnswer: (t) => core.acmeHttpAnswer?.(t) ?? null,
    check,
    stop: () => clearInterval(timer),
    attachListener: (lease) => core.attachListener?.(lease),
    startNotes: core.startNotes ?? [],
  };
}
