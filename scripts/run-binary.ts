// Starting a built executable the way the binary test and the cold-start benchmark do:
// inside a directory of its own, on loopback and free ports, without LAN announcements,
// reading its JSON log until it says where it listens.
import type { Subprocess } from "bun";

export async function sandboxFlags(): Promise<string[]> {
  const { schema } = await import("../src/config/schema.ts");
  const flags = ["--host", "127.0.0.1", "--port", "0", "--set", "log.format=json"];
  if ("mdns" in schema) flags.push("--set", "mdns.enabled=false"); // an HTTPS listener follows port 0 too
  return flags;
}

export interface RunningBinary {
  proc: Subprocess<"ignore", "ignore", "pipe">;
  url: string;
  log: string[];
}

/** Spawns `exe serve` in `cwd` and resolves once its "listening" log line names the URL. */
export function startBinary(exe: string, cwd: string, extra: string[] = []): Promise<RunningBinary> {
  return startHearth([exe], cwd, extra, { PATH: "/usr/bin:/bin", HOME: cwd });
}

/** Same for any command line that runs the CLI, e.g. [bun, "/repo/src/main.ts"]. */
export async function startHearth(cmd: string[], cwd: string, extra: string[] = [], env: Record<string, string | undefined> = process.env): Promise<RunningBinary> {
  const proc = Bun.spawn([...cmd, "serve", ...(await sandboxFlags()), ...extra], { cwd, stdin: "ignore", stdout: "ignore", stderr: "pipe", env });
  const log: string[] = [];
  const reader = proc.stderr.getReader();
  const dec = new TextDecoder();
  let buf = "";
  for (;;) {
    const { done, value } = await reader.read();
    if (done) throw new Error(`hearth exited before listening:\n${log.join("\n")}`);
    buf += dec.decode(value, { stream: true });
    const lines = buf.split("\n");
    buf = lines.pop()!;
    for (const [i, line] of lines.entries()) {
      log.push(line);
      if (!line.includes('"msg":"listening"')) continue;
      log.push(...lines.slice(i + 1)); // lines that came in the same chunk
      // Keep collecting stderr (later lines, e.g. the owner claim link, land in `log`),
      // so a chatty server never blocks on a full pipe either.
      void (async () => {
        for (;;) {
          const next = await reader.read();
          if (next.done) return;
          buf += dec.decode(next.value, { stream: true });
          const more = buf.split("\n");
          buf = more.pop()!;
          log.push(...more);
        }
      })();
      return { proc, url: (JSON.parse(line) as { url: string }).url, log };
    }
  }
}
