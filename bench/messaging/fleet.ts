// Load processes for bench/messaging.ts: each runs load.ts and answers one JSON line per
// command, in order.
import { join } from "node:path";

export interface Fleet {
  /** The same command to every process. */
  all(cmd: object): Promise<any[]>;
  /** Items dealt out evenly; each process gets the command built from its share. */
  split<T>(items: T[], make: (part: T[]) => object): Promise<any[]>;
  stop(): Promise<void>;
}

function worker() {
  const proc = Bun.spawn([process.execPath, join(import.meta.dir, "load.ts")], { stdin: "pipe", stdout: "pipe", stderr: "inherit" });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  const decoder = new TextDecoder();
  let buf = "";
  const nextLine = async (): Promise<string> => {
    for (;;) {
      const nl = buf.indexOf("\n");
      if (nl >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        return line;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error("load process exited");
      buf += decoder.decode(value);
    }
  };
  let queue: Promise<unknown> = Promise.resolve();
  const ask = (cmd: object): Promise<any> => {
    const answer = queue.then(async () => {
      proc.stdin.write(`${JSON.stringify(cmd)}\n`);
      proc.stdin.flush();
      return JSON.parse(await nextLine());
    });
    queue = answer.catch(() => {});
    return answer;
  };
  return { proc, ask };
}

export async function startFleet(n: number): Promise<Fleet> {
  const workers = Array.from({ length: n }, worker);
  return {
    all: (cmd) => Promise.all(workers.map((w) => w.ask(cmd))),
    split(items, make) {
      const per = Math.ceil(items.length / workers.length);
      return Promise.all(workers.map((w, i) => w.ask(make(items.slice(i * per, (i + 1) * per)))));
    },
    async stop() {
      for (const w of workers) w.proc.kill();
      await Promise.all(workers.map((w) => w.proc.exited));
    },
  };
}
