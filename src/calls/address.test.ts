import { describe, expect, test } from "bun:test";
import type { NetworkInterfaceInfo } from "node:os";
import { announcedAddress, lanAddress } from "./address.ts";

const v4 = (address: string, internal = false): NetworkInterfaceInfo => ({
  address, family: "IPv4", internal, netmask: "255.255.255.0", mac: "00:00:00:00:00:00", cidr: `${address}/24`,
});
const v6 = (address: string): NetworkInterfaceInfo => ({
  address, family: "IPv6", internal: false, netmask: "ffff::", mac: "00:00:00:00:00:00", cidr: `${address}/64`, scopeid: 0,
});

describe("LAN address detection", () => {
  test("prefers a private IPv4 over a public one, skips loopback, link-local and IPv6", () => {
    const ifaces = { lo: [v4("127.0.0.1", true)], wan: [v4("203.0.113.7"), v6("fe80::1")], ll: [v4("169.254.3.3")], eth0: [v4("192.168.1.20")] };
    expect(lanAddress(ifaces)).toBe("192.168.1.20");
  });

  test("falls back to a public IPv4, then to nothing", () => {
    expect(lanAddress({ wan: [v4("203.0.113.7")] })).toBe("203.0.113.7");
    expect(lanAddress({ lo: [v4("127.0.0.1", true)] })).toBeNull();
  });

  test("a configured address wins; loopback when nothing else exists", () => {
    expect(announcedAddress(" media.example.org ", { eth0: [v4("10.0.0.5")] })).toBe("media.example.org");
    expect(announcedAddress("", { eth0: [v4("10.0.0.5")] })).toBe("10.0.0.5");
    expect(announcedAddress("", {})).toBe("127.0.0.1");
  });
});
