// WebSocket requests leave log lines with request ids, like HTTP requests do.
import { expect, test } from "bun:test";
import { connectClient, createTestUser, startTestServer } from "./support/harness.ts";

test("every WS request is logged with its request id, method, user and outcome", async () => {
  const logLines: string[] = [];
  const t = await startTestServer({ logLines });
  try {
    const tokens = await createTestUser(t, "lena");
    const client = await connectClient(t, tokens);
    await client.request("me.get", {});
    await expect(client.request("no.such", {})).rejects.toMatchObject({ code: "unknown_method" });
    client.close();
    const lines = logLines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r.msg === "ws request");
    const ok = lines.find((r) => r.method === "me.get");
    const failed = lines.find((r) => r.method === "no.such");
    expect(ok).toMatchObject({ level: "debug", userId: tokens.userId });
    expect(failed).toMatchObject({ level: "info", code: "unknown_method", userId: tokens.userId });
    for (const r of [ok!, failed!]) expect(r.requestId).toMatch(/^[0-9A-Za-z]{20,}$/);
    expect(ok!.requestId).not.toBe(failed!.requestId);
  } finally {
    await t.stop();
  }
});
