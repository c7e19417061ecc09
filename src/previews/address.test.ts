// The address classifier as a table: every non-public range is refused, with the
// IPv4-mapped IPv6 forms unwrapped; the allowlist admits named hosts and CIDRs only.
import { describe, expect, test } from "bun:test";
import { addressRefusal, checkAllowEntry, parseAllowList, refuseAddresses } from "./address.ts";

const table: [string, string | null][] = [
  // public unicast
  ["8.8.8.8", null],
  ["1.1.1.1", null],
  ["93.184.216.34", null],
  ["2606:4700:4700::1111", null],
  ["2a00:1450:4001:80b::200e", null],
  ["::ffff:8.8.8.8", null], // mapped public IPv4 is the public IPv4
  // IPv4 special ranges
  ["0.0.0.0", "unspecified"],
  ["0.1.2.3", "unspecified"], // 0.0.0.0/8
  ["10.0.0.1", "private"],
  ["172.16.0.1", "private"],
  ["172.31.255.255", "private"],
  ["192.168.1.1", "private"],
  ["100.64.0.1", "carrierGradeNat"],
  ["100.127.255.254", "carrierGradeNat"],
  ["127.0.0.1", "loopback"],
  ["127.255.255.254", "loopback"],
  ["169.254.169.254", "linkLocal"], // cloud metadata
  ["192.0.0.8", "reserved"],
  ["192.0.2.1", "reserved"], // TEST-NET-1
  ["198.51.100.7", "reserved"], // TEST-NET-2
  ["203.0.113.9", "reserved"], // TEST-NET-3
  ["198.18.0.1", "reserved"], // benchmarking
  ["224.0.0.1", "multicast"],
  ["239.255.255.250", "multicast"],
  ["240.0.0.1", "reserved"],
  ["255.255.255.255", "broadcast"],
  // IPv6 special ranges
  ["::", "unspecified"],
  ["::1", "loopback"],
  ["[::1]", "loopback"], // as a URL host
  ["fe80::1", "linkLocal"],
  ["fc00::1", "uniqueLocal"],
  ["fd12:3456:789a::1", "uniqueLocal"],
  ["ff02::1", "multicast"],
  ["2001:db8::1", "reserved"], // documentation
  ["64:ff9b::a00:1", "rfc6052"], // NAT64 of 10.0.0.1
  ["2002:7f00:1::1", "6to4"], // 6to4 of 127.0.0.1
  ["2001:0:4136:e378::1", "teredo"],
  ["fec0::1", "deprecatedSiteLocal"],
  ["::7f00:1", "not_global"], // IPv4-compatible ::127.0.0.1
  ["4000::1", "not_global"], // outside 2000::/3
  // IPv4-mapped IPv6: unwrapped, then classified as the IPv4 address
  ["::ffff:127.0.0.1", "loopback"],
  ["::ffff:7f00:1", "loopback"],
  ["::ffff:10.0.0.1", "private"],
  ["::ffff:169.254.169.254", "linkLocal"],
  ["[::ffff:127.0.0.1]", "loopback"],
  ["::ffff:0.0.0.0", "unspecified"],
  // not canonical addresses at all
  ["127.1", "invalid"],
  ["0x7f000001", "invalid"],
  ["localhost", "invalid"],
  ["", "invalid"],
];

describe("addressRefusal", () => {
  for (const [address, want] of table) {
    test(`${address || "(empty)"} → ${want ?? "public"}`, () => expect(addressRefusal(address)).toBe(want));
  }
});

describe("refuseAddresses (every address must pass; the allowlist)", () => {
  const none = parseAllowList([]);
  test("one private address among public ones refuses the name", () => {
    expect(refuseAddresses(none, "mixed.example", ["8.8.8.8", "10.0.0.1"])).toBe("private:10.0.0.1");
    expect(refuseAddresses(none, "ok.example", ["8.8.8.8", "2606:4700:4700::1111"])).toBeNull();
    expect(refuseAddresses(none, "empty.example", [])).toBe("no_address");
  });
  test("an allowlisted host may resolve to internal addresses; other names may not", () => {
    const list = parseAllowList(["Intranet.Example", "10.1.0.0/16", "192.168.5.5"]);
    expect(refuseAddresses(list, "intranet.example", ["127.0.0.1"])).toBeNull();
    expect(refuseAddresses(list, "intranet.example.", ["10.9.9.9"])).toBeNull();
    expect(refuseAddresses(list, "other.example", ["127.0.0.1"])).toBe("loopback:127.0.0.1");
    expect(refuseAddresses(list, "wiki.example", ["10.1.2.3"])).toBeNull(); // inside the CIDR
    expect(refuseAddresses(list, "wiki.example", ["::ffff:10.1.2.3"])).toBeNull(); // mapped form too
    expect(refuseAddresses(list, "wiki.example", ["10.2.0.1"])).toBe("private:10.2.0.1");
    expect(refuseAddresses(list, "printer.example", ["192.168.5.5"])).toBeNull(); // a bare address is a /32
    expect(refuseAddresses(list, "printer.example", ["192.168.5.6"])).toBe("private:192.168.5.6");
  });
  test("allowlist entries are checked", () => {
    expect(checkAllowEntry("intranet.example")).toBeNull();
    expect(checkAllowEntry("10.0.0.0/8")).toBeNull();
    expect(checkAllowEntry("fd00::/8")).toBeNull();
    expect(checkAllowEntry("10.0.0.0/40")).toContain("not a CIDR");
    expect(checkAllowEntry("http://x")).toContain("is not");
    expect(checkAllowEntry("x_y.example")).toContain("not a host name");
    expect(checkAllowEntry("bad host")).toContain("not a host name");
  });
});
