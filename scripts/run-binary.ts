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
export async function startBinary(exe: string, cwd: string, extra: string[] = []): Promise<RunningBinary> {
  const proc = Bun.spawn([exe, "serve", ...(await sandboxFlags()), ...extra], {
    cwd,
    stdin: "ignore",
    stdout: "ignore",
    stderr: "pipe",
    env: { PATH: "/usr/bin:/bin", HOME: cwd },
  });
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
    for (const line of lines) {
      log.push(line);
      if (!line.includes('"msg":"listening"')) continue;
      // Keep draining stderr so a chatty server never blocks on a full pipe.
      void (async () => {
        for (;;) if ((await reader.read()).done) return;
      })();
      return { proc, url: (JSON.parse(line) as { url: string }).url, log };
    }
  }
}
