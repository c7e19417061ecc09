import { describe, expect, test } from "bun:test";
import { isJsonContentType, jsonOnly } from "./body.ts";
import { isLocalClient, isLoopbackIp } from "./client-ip.ts";
import { requestPath, requestUrl } from "./request-url.ts";
import { appCsp } from "./security-headers.ts";

/** A Request whose url is what Bun makes of a bad Host (no origin), which `new Request` itself refuses to build. */
const withUrl = (url: string, init: RequestInit = {}) => {
  const r = new Request("http://placeholder/", init);
  Object.defineProperty(r, "url", { value: url });
  return r;
};

describe("request URL, read totally", () => {
  test("a url with no origin (no or a malformed Host) is null; its path is still known", () => {
    for (const [url, path] of [["/p?q=1", "/p"], ["http://[::1/a/b?x", "/a/b"], ["http://x:99999/c", "/c"], ["", "/"], ["garbage", "/"], ["//evil/x", "/evil/x"]] as const) {
      const r = withUrl(url);
      expect(requestUrl(r)).toBeNull();
      expect(requestPath(r)).toBe(path);
    }
    const ok = new Request("http://127.0.0.1:8080/chats/x?token=secret");
    expect(requestUrl(ok)?.host).toBe("127.0.0.1:8080");
    expect(requestPath(ok)).toBe("/chats/x");
  });
});

describe("JSON content types", () => {
  test("application/json with parameters; not other types or charsets", () => {
    for (const ok of ["application/json", "Application/JSON", "application/json; charset=utf-8", 'application/json;charset="UTF-8"', "application/json; foo=bar"]) expect([ok, isJsonContentType(ok)]).toEqual([ok, true]);
    for (const no of [null, "", "text/plain", "text/plain;charset=UTF-8", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/jsonx", "application/json; charset=latin1", "application/ld+json"]) expect([no, isJsonContentType(no)]).toEqual([no, false]);
  });

  test("the /api/ rule: a body must be JSON; bodiless requests and other paths are left alone", () => {
    const req = (method: string, headers: Record<string, string>) => new Request("http://h/api/auth/login", { method, headers });
    expect(jsonOnly(req("POST", { "content-type": "text/plain", "content-length": "3" }), "/api/auth/login")?.code).toBe("unsupported_media_type");
    expect(jsonOnly(req("POST", { "transfer-encoding": "chunked" }), "/api/auth/login")?.code).toBe("unsupported_media_type");
    expect(jsonOnly(req("POST", { "content-type": "text/plain" }), "/api/auth/logout")?.code).toBe("unsupported_media_type");
    expect(jsonOnly(req("POST", {}), "/api/auth/logout")).toBeNull();
    expect(jsonOnly(req("POST", { "content-type": "application/json" }), "/api/auth/login")).toBeNull();
    expect(jsonOnly(req("GET", { "content-type": "text/plain" }), "/api/auth/info")).toBeNull();
    expect(jsonOnly(req("POST", { "content-type": "text/plain" }), "/apiary")).toBeNull();
  });
});

describe("loopback clients", () => {
  test("127/8 and ::1, mapped IPv4 folded; nothing else", () => {
    for (const ip of ["127.0.0.1", "127.9.8.7", "::1", "::ffff:127.0.0.1", "[::1]:80"]) expect([ip, isLoopbackIp(ip)]).toEqual([ip, true]);
    for (const ip of ["192.0.2.2", "10.0.0.1", "::2", "::", "0.0.0.0", "unknown", "", "::ffff:10.0.0.1", "128.0.0.1"]) expect([ip, isLoopbackIp(ip)]).toEqual([ip, false]);
  });

  test("a local proxy forwarding for an outside client is not local", () => {
    expect(isLocalClient("127.0.0.1", "127.0.0.1")).toBe(true);
    expect(isLocalClient("127.0.0.1", "203.0.113.7")).toBe(false);
    expect(isLocalClient("192.0.2.2", "127.0.0.1")).toBe(false);
  });
});

describe("the web client's CSP", () => {
  test("its own origin plus its WebSocket; a host that is not plain is never echoed", () => {
    expect(appCsp(new URL("https://hearth.local:8443/"))).toContain("connect-src 'self' wss://hearth.local:8443;");
    expect(appCsp(new URL("http://[::1]:8080/"))).toContain("connect-src 'self' ws://[::1]:8080;");
    const weird = appCsp(new URL("http://a;img-src:8080/"));
    expect(weird).toContain("connect-src 'self';");
    expect(weird).not.toContain("img-src *");
    expect(weird.match(/img-src/g)).toHaveLength(1);
  });
});
