import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cleanPath, createWebAssets, type WebAssets } from "./static.ts";

// Created at load time: the describe blocks below are built from these paths.
const base = mkdtempSync(join(tmpdir(), "hearth-static-"));
const dist = join(base, "dist");

beforeAll(() => {
  mkdirSync(join(dist, "assets"), { recursive: true });
  writeFileSync(join(dist, "index.html"), "<!doctype html><title>Hearth</title>");
  writeFileSync(join(dist, "assets", "index-abc123.js"), "console.log(1)");
  writeFileSync(join(dist, "sw.js"), "self.x=1");
  writeFileSync(join(dist, "manifest.webmanifest"), "{}");
  writeFileSync(join(dist, "icon.svg"), "<svg/>");
  writeFileSync(join(base, "secret.txt"), "top secret"); // outside the served root
});

afterAll(() => rmSync(base, { recursive: true, force: true }));

function sources(): [string, WebAssets][] {
  const manifest = {
    "/index.html": join(dist, "index.html"),
    "/assets/index-abc123.js": join(dist, "assets", "index-abc123.js"),
    "/sw.js": join(dist, "sw.js"),
  };
  return [
    ["directory", createWebAssets({ dir: dist })],
    ["manifest", createWebAssets({ manifest })],
  ];
}

for (const [name, assets] of sources()) {
  describe(`web assets from a ${name}`, () => {
    test("/ serves index.html, revalidated on every load", async () => {
      const res = assets("/")!;
      expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("no-cache");
      expect(await res.text()).toContain("<title>Hearth</title>");
    });

    test("hashed assets are immutable with the right type", async () => {
      const res = assets("/assets/index-abc123.js")!;
      expect(res.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
      expect(res.headers.get("cache-control")).toContain("immutable");
      expect(await res.text()).toBe("console.log(1)");
    });

    test("the service worker is never cached", () => {
      expect(assets("/sw.js")!.headers.get("cache-control")).toBe("no-cache");
    });

    test("client routes fall back to index.html", async () => {
      expect(await assets("/chats/123")!.text()).toContain("<title>Hearth</title>");
    });

    test("server routes and missing files are not answered", () => {
      for (const p of ["/api/auth/info", "/api", "/ws", "/healthz", "/readyz", "/metrics", "/metrics/x"]) expect(assets(p)).toBeNull();
      expect(assets("/assets/missing-000.js")).toBeNull();
    });

    test("path traversal cannot leave the root", () => {
      for (const p of ["/../secret.txt", "/%2e%2e/secret.txt", "/assets/%2E%2E/%2E%2E/secret.txt", "/..%2fsecret.txt", "/%5c..%5csecret.txt", "/%00", "/%E0%A4%A"]) {
        expect(assets(p)).toBeNull();
      }
    });
  });
}

test("cleanPath normalizes and refuses escapes", () => {
  expect(cleanPath("/")).toBe("/index.html");
  expect(cleanPath("/a//b/./c")).toBe("/a/b/c");
  expect(cleanPath("/a/../b")).toBeNull();
  expect(cleanPath("relative")).toBeNull();
});

test("an unbuilt web client answers 503 with a hint, not a crash", async () => {
  const assets = createWebAssets({ dir: join(base, "nope") });
  const res = assets("/")!;
  expect(res.status).toBe(503);
  expect(await res.text()).toContain("setup");
});
