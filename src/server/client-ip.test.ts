import { describe, expect, test } from "bun:test";
import { clientIp, isTrusted, isValidProxyEntry, normalizeIp } from "./client-ip.ts";

const req = (headers: Record<string, string> = {}) => new Request("http://x/", { headers });

describe("normalizeIp", () => {
  test("IPv4, IPv6, mapped, ports and garbage", () => {
    expect(normalizeIp("10.1.2.3")).toBe("10.1.2.3");
    expect(normalizeIp("::ffff:10.1.2.3")).toBe("10.1.2.3");
    expect(normalizeIp("::ffff:a01:203")).toBe("10.1.2.3");
    expect(normalizeIp("2001:DB8:0:0:0:0:0:1")).toBe("2001:db8::1");
    expect(normalizeIp("::1")).toBe("::1");
    expect(normalizeIp("fe80::1%eth0")).toBe("fe80::1");
    expect(normalizeIp("[2001:db8::5]:443")).toBe("2001:db8::5");
    expect(normalizeIp("192.0.2.7:8080")).toBe("192.0.2.7");
    for (const bad of ["", "256.1.1.1", "1.2.3", "1::2::3", "hello", "1.2.3.4.5", "12345::", "1:2:3:4:5:6:7:8:9"]) {
      expect(normalizeIp(bad)).toBeNull();
    }
  });
});

describe("trusted proxies", () => {
  const trusted = ["10.0.0.0/8", "192.168.1.1", "fd00::/8", "::ffff:172.16.0.0/108"];
  test("CIDR and single address matching across families", () => {
    expect(isTrusted("10.200.3.4", trusted)).toBe(true);
    expect(isTrusted("::ffff:10.200.3.4", trusted)).toBe(true);
    expect(isTrusted("11.0.0.1", trusted)).toBe(false);
    expect(isTrusted("192.168.1.1", trusted)).toBe(true);
    expect(isTrusted("192.168.1.2", trusted)).toBe(false);
    expect(isTrusted("fd12:3456::1", trusted)).toBe(true);
    expect(isTrusted("fe80::1", trusted)).toBe(false);
    expect(isTrusted("172.31.255.255", trusted)).toBe(true);
    expect(isTrusted("172.32.0.0", trusted)).toBe(false);
    expect(isValidProxyEntry("10.0.0.0/33")).toBe(false);
    expect(isValidProxyEntry("::/0")).toBe(true);
  });
});

describe("clientIp", () => {
  const trusted = ["10.0.0.0/8", "::1"];
  test("headers are ignored from an untrusted peer", () => {
    const r = req({ "x-forwarded-for": "1.1.1.1", "x-real-ip": "2.2.2.2" });
    expect(clientIp(r, "203.0.113.9", trusted)).toBe("203.0.113.9");
    expect(clientIp(r, "203.0.113.9", [])).toBe("203.0.113.9");
  });
  test("a trusted peer's X-Forwarded-For yields the rightmost untrusted hop", () => {
    const r = req({ "x-forwarded-for": "6.6.6.6, 198.51.100.4, 10.0.0.7" });
    expect(clientIp(r, "10.0.0.2", trusted)).toBe("198.51.100.4");
    expect(clientIp(r, "::ffff:10.0.0.2", trusted)).toBe("198.51.100.4");
    expect(clientIp(r, "::1", trusted)).toBe("198.51.100.4");
  });
  test("all hops trusted → leftmost; garbage hop → peer; X-Real-IP as fallback", () => {
    expect(clientIp(req({ "x-forwarded-for": "10.1.1.1, 10.2.2.2" }), "10.0.0.2", trusted)).toBe("10.1.1.1");
    expect(clientIp(req({ "x-forwarded-for": "1.1.1.1, nonsense" }), "10.0.0.2", trusted)).toBe("10.0.0.2");
    expect(clientIp(req({ "x-real-ip": "2001:db8::9" }), "10.0.0.2", trusted)).toBe("2001:db8::9");
    expect(clientIp(req({ "x-real-ip": "junk" }), "10.0.0.2", trusted)).toBe("10.0.0.2");
    expect(clientIp(req(), "::ffff:10.0.0.2", trusted)).toBe("10.0.0.2");
  });
});
