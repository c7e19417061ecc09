// Link previews through the real composition root (src/main.ts serve, system resolver,
// no stubs): a page on port 80 of a spare loopback address, admitted by
// previews.allowHosts, previews over WebSocket with its image served from /media. Binding
// port 80 needs root (or CAP_NET_BIND_SERVICE); elsewhere this file says so and skips.
import { afterAll, beforeAll, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connectClient, createTestUser, type ServerProcess, startServerProcess } from "./support/harness.ts";

setDefaultTimeout(60_000);

const HOST = "127.0.0.77";
let page: ReturnType<typeof Bun.serve> | null = null;
let why = "";
try {
  page = Bun.serve({
    hostname: HOST,
    port: 80,
    fetch: (req) =>
      new URL(req.url).pathname === "/icon.png"
        ? new Response(Bun.file(join(import.meta.dir, "../web/public/icon-192.png")), { headers: { "content-type": "image/png" } })
        : new Response(`<html><head><title>Family album</title><meta property="og:image" content="/icon.png"></head></html>`, { headers: { "content-type": "text/html" } }),
  });
} catch (err) {
  why = `cannot bind ${HOST}:80 (${(err as Error).message}); run as root to cover the production path`;
  console.log(`previews-process: skipped — ${why}`);
}

let dir = "";
let server: ServerProcess | null = null;
beforeAll(async () => {
  if (!page) return;
  dir = mkdtempSync(join(tmpdir(), "prev-process-"));
  const args = ["--set", "tls.mode=off", "--set", "mdns.enabled=false", "--set", "accounts.registration=open", "--set", `previews.allowHosts=${HOST}`];
  server = await startServerProcess(dir, { args });
});
afterAll(async () => {
  await server?.stop();
  page?.stop(true);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test.skipIf(!page)("serve: preview.get fetches through the system resolver and stores the re-encoded image", async () => {
  const s = server!;
  const tokens = await createTestUser(s);
  const client = await connectClient(s, tokens);
  try {
    const { preview } = (await client.request("preview.get", { url: `http://${HOST}/album` })) as { preview: any };
    expect(preview).toEqual({ url: `http://${HOST}/album`, title: "Family album", image: { id: expect.any(String), width: 192, height: 192, placeholder: expect.any(String) } });
    const res = await fetch(`${s.url}/media/${preview.image.id}`, { headers: { authorization: `Bearer ${tokens.accessToken}` } });
    expect([res.status, res.headers.get("content-type")]).toEqual([200, "image/webp"]);
    // Not allowlisted: the server itself on loopback is refused.
    expect(await client.request("preview.get", { url: `http://127.0.0.1/` })).toEqual({ preview: null });
  } finally {
    client.close();
  }
});
