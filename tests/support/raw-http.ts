// Test support for the HTTP edge: a real `hearth serve` child process with TLS on (the
// default local CA) on random ports, raw TCP/TLS exchanges that send bytes no HTTP client
// would, and a strict parser for what comes back (status line, header lines, framing),
// so "every answer is well-formed HTTP" can be asserted for pipelined responses.
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanEnv, freePort, repoRoot } from "./cli.ts";

export interface ServerProcess {
  plainPort: number;
  httpsPort: number;
  pid: number;
  /** Still running? */
  alive(): boolean;
  /** Resident set size in bytes, from /proc. */
  rss(): number;
  /** Every log line so far (JSON). */
  logLines(): string[];
  stop(): Promise<number>;
}

/**
 * `hearth serve` on 127.0.0.1 (or `host`), TLS local CA on, mDNS off, JSON logs at `logLevel`
 * (default warn, so a long run is not a flood of access lines). Ports are picked free
 * beforehand: the "listening" line that names random ones is an info line.
 */
export async function spawnServer(opts: { host?: string; set?: string[]; logLevel?: string; data?: string } = {}): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), "hearth-edge-"));
  const data = opts.data ?? join(dir, "data");
  const [plainPort, httpsPort] = [freePort(), freePort()];
  const sets = ["mdns.enabled=false", `tls.port=${httpsPort}`, ...(opts.set ?? [])].flatMap((s) => ["--set", s]);
  const child = Bun.spawn([process.execPath, join(repoRoot, "src/main.ts"), "serve", "--host", opts.host ?? "127.0.0.1", "--port", String(plainPort), "--data", data, ...sets], {
    cwd: repoRoot,
    env: cleanEnv({ HEARTH_LOG_FORMAT: "json", HEARTH_LOG_LEVEL: opts.logLevel ?? "warn" }),
    stdout: "ignore",
    stderr: "pipe",
  });
  const lines: string[] = [];
  // Drain stderr for the whole run: a full pipe would stall the server.
  void (async () => {
    const decoder = new TextDecoder();
    let partial = "";
    for await (const chunk of child.stderr as unknown as AsyncIterable<Uint8Array>) {
      partial += decoder.decode(chunk, { stream: true });
      const parts = partial.split("\n");
      partial = parts.pop()!;
      lines.push(...parts);
    }
  })();
  const up = async (port: number, tls: boolean) => {
    const scheme = tls ? "https" : "http";
    return fetch(`${scheme}://127.0.0.1:${port}/healthz`, { tls: { rejectUnauthorized: false } }).then((r) => r.ok, () => false);
  };
  const deadline = Date.now() + 20_000;
  while (!((await up(plainPort, false)) && (await up(httpsPort, true)))) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill();
      throw new Error(`server did not start (${child.exitCode}):\n${lines.join("\n")}`);
    }
    await Bun.sleep(50);
  }
  return {
    plainPort,
    httpsPort,
    pid: child.pid,
    alive: () => child.exitCode === null && child.signalCode === null,
    rss: () => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))![1]) * 1024,
    logLines: () => lines,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      const code = await child.exited;
      rmSync(dir, { recursive: true, force: true });
      return code;
    },
  };
}

export interface Target {
  port: number;
  tls: boolean;
  host?: string;
}

/**
 * Sends `bytes` on a fresh connection and collects everything until the server closes
 * it, or until `done(received)` says enough arrived (then we close), or `timeoutMs`.
 */
export function exchange(t: Target, bytes: Uint8Array | string, done?: (got: Buffer) => boolean, timeoutMs = 10_000): Promise<{ got: Buffer; closedByServer: boolean; timedOut: boolean }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    let pending = typeof bytes === "string" ? Buffer.from(bytes, "latin1") : Buffer.from(bytes);
    const finish = (closedByServer: boolean, timedOut = false) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ got: Buffer.concat(chunks, size), closedByServer, timedOut });
    };
    const timer = setTimeout(() => {
      finish(false, true);
      socket?.end();
    }, timeoutMs);
    let socket: { write(b: Buffer): number; end(): void } | undefined;
    const flush = (s: { write(b: Buffer): number }) => {
      while (pending.length > 0) {
        const n = s.write(pending);
        if (n <= 0) return;
        pending = pending.subarray(n);
      }
    };
    Bun.connect({
      hostname: t.host ?? "127.0.0.1",
      port: t.port,
      tls: t.tls ? { rejectUnauthorized: false } : undefined,
      socket: {
        open(s) {
          socket = s;
          flush(s);
        },
        drain(s) {
          flush(s);
        },
        data(s, d) {
          chunks.push(Buffer.from(d));
          size += d.byteLength;
          if (done?.(Buffer.concat(chunks, size))) {
            finish(false);
            s.end();
          }
        },
        close() {
          finish(true);
        },
        error() {
          finish(true);
        },
        connectError(_s, err) {
          if (!settled) {
            settled = true;
            clearTimeout(timer);
            reject(err);
          }
        },
      },
    }).catch((err) => {
      if (!settled) {
        settled = true;
        clearTimeout(timer);
        reject(err);
      }
    });
  });
}

export interface ParsedResponse {
  status: number;
  headers: Map<string, string>;
  body: Buffer<ArrayBufferLike>;
}

export interface ParseResult {
  responses: ParsedResponse[];
  /** What could not be parsed as (the start of) a response; null when everything was well-formed. */
  error: string | null;
  /** Bytes left after the last complete response (a response cut short, if the stream ended). */
  rest: number;
}

const STATUS_LINE = /^HTTP\/1\.[01] ([1-5]\d\d) [\x20-\x7e]*$/;
const HEADER_LINE = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+):[ \t]*([\x20-\x7e\x80-\xff\t]*)$/;

/**
 * Parses a stream of responses. `methods[i]` is the method of the i-th request (HEAD
 * answers carry no body). At `ended`, a response without a length runs to the end.
 */
export function parseResponses(buf: Buffer, methods: readonly string[], ended: boolean): ParseResult {
  const responses: ParsedResponse[] = [];
  let pos = 0;
  for (;;) {
    if (pos === buf.length) return { responses, error: null, rest: 0 };
    const headEnd = buf.indexOf("\r\n\r\n", pos, "latin1");
    if (headEnd < 0) return cut(responses, buf, pos, ended, "a response head without its end");
    const lines = buf.toString("latin1", pos, headEnd).split("\r\n");
    const m = STATUS_LINE.exec(lines[0]!);
    if (!m) return { responses, error: `bad status line ${JSON.stringify(lines[0]!.slice(0, 120))}`, rest: buf.length - pos };
    const status = Number(m[1]);
    const headers = new Map<string, string>();
    for (const line of lines.slice(1)) {
      const h = HEADER_LINE.exec(line);
      if (!h) return { responses, error: `bad header line ${JSON.stringify(line.slice(0, 120))}`, rest: buf.length - pos };
      const name = h[1]!.toLowerCase();
      if (name === "content-length" && headers.has(name)) return { responses, error: "two Content-Length headers", rest: buf.length - pos };
      headers.set(name, h[2]!.trim());
    }
    let at = headEnd + 4;
    const method = methods[responses.length] ?? "GET";
    const interim = status >= 100 && status < 200 && status !== 101;
    const bodiless = interim || status === 101 || status === 204 || status === 304 || method === "HEAD";
    let body: Buffer<ArrayBufferLike> = Buffer.alloc(0);
    if (!bodiless) {
      const te = headers.get("transfer-encoding");
      const cl = headers.get("content-length");
      if (te !== undefined) {
        if (te.toLowerCase() !== "chunked") return { responses, error: `transfer-encoding ${te}`, rest: buf.length - pos };
        const chunked = readChunked(buf, at);
        if (chunked === "incomplete") return cut(responses, buf, pos, ended, "a chunked body cut short");
        if (typeof chunked === "string") return { responses, error: chunked, rest: buf.length - pos };
        body = chunked.body;
        at = chunked.end;
      } else if (cl !== undefined) {
        if (!/^\d+$/.test(cl)) return { responses, error: `content-length ${cl}`, rest: buf.length - pos };
        const n = Number(cl);
        if (buf.length < at + n) return cut(responses, buf, pos, ended, "a body shorter than its Content-Length");
        body = buf.subarray(at, at + n);
        at += n;
      } else {
        if (!ended) return { responses, error: null, rest: buf.length - pos }; // runs to the close
        body = buf.subarray(at);
        at = buf.length;
      }
    }
    if (!interim) responses.push({ status, headers, body });
    pos = at;
    if (status === 101) return { responses, error: null, rest: 0 }; // the rest is another protocol
  }
}

function cut(responses: ParsedResponse[], buf: Buffer, pos: number, ended: boolean, what: string): ParseResult {
  return { responses, error: ended ? `${what} when the connection closed` : null, rest: buf.length - pos };
}

function readChunked(buf: Buffer, start: number): { body: Buffer; end: number } | "incomplete" | string {
  const parts: Buffer[] = [];
  let at = start;
  for (;;) {
    const lineEnd = buf.indexOf("\r\n", at, "latin1");
    if (lineEnd < 0) return "incomplete";
    const sizeText = buf.toString("latin1", at, lineEnd).split(";")[0]!.trim();
    if (!/^[0-9a-fA-F]{1,8}$/.test(sizeText)) return `bad chunk size ${JSON.stringify(sizeText)}`;
    const size = Number.parseInt(sizeText, 16);
    at = lineEnd + 2;
    if (size === 0) {
      const trailerEnd = buf.indexOf("\r\n", at, "latin1");
      if (trailerEnd < 0) return "incomplete";
      if (trailerEnd !== at) return "chunk trailers are not expected";
      return { body: Buffer.concat(parts), end: at + 2 };
    }
    if (buf.length < at + size + 2) return "incomplete";
    parts.push(buf.subarray(at, at + size));
    if (buf.toString("latin1", at + size, at + size + 2) !== "\r\n") return "chunk without its CRLF";
    at += size + 2;
  }
}

/** One request → its one parsed response (throws if the answer is not exactly one well-formed response). */
export async function rawRequest(t: Target, request: string): Promise<ParsedResponse> {
  const method = request.slice(0, request.indexOf(" "));
  const { got } = await exchange(t, request, (b) => parseResponses(b, [method], false).responses.length > 0);
  const parsed = parseResponses(got, [method], true);
  if (parsed.error || parsed.responses.length !== 1) throw new Error(`not one well-formed response (${parsed.error}): ${JSON.stringify(got.toString("latin1").slice(0, 300))}`);
  return parsed.responses[0]!;
}

export const jsonOf = (r: ParsedResponse) => JSON.parse(r.body.toString("utf8")) as { error?: { code: string; message: string; data?: Record<string, unknown> } } & Record<string, unknown>;
