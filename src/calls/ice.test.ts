import { describe, expect, test } from "bun:test";
import { createHmac } from "node:crypto";
import { loadConfig } from "../config/load.ts";
import { limits } from "../limits.ts";
import { iceServersFor } from "./ice.ts";

const calls = (set: string[]) => loadConfig({ flags: { set } }).calls;

describe("ICE servers for call clients", () => {
  test("none configured: none handed out", () => {
    expect(iceServersFor(calls([]), "u1", 0)).toEqual([]);
  });

  test("STUN and TURN URLs are grouped; static TURN credentials go with TURN only", () => {
    const c = calls(["calls.iceServers=stun:stun.example.org:3478,turn:turn.example.org:3478?transport=udp", "calls.turnUsername=hearth", "calls.turnCredential=pw"]);
    expect(iceServersFor(c, "u1", 0)).toEqual([
      { urls: ["stun:stun.example.org:3478"] },
      { urls: ["turn:turn.example.org:3478?transport=udp"], username: "hearth", credential: "pw" },
    ]);
  });

  test("a TURN secret gives per-user credentials that expire (TURN REST API)", () => {
    const c = calls(["calls.iceServers=turns:turn.example.org:5349", "calls.turnSecret=s3cret", "calls.turnUsername=ignored"]);
    const now = 1_700_000_000_000;
    const [server] = iceServersFor(c, "u42", now);
    const expires = Math.floor((now + limits.callTurnCredentialTtlMs) / 1000);
    expect(server!.username).toBe(`${expires}:u42`);
    expect(server!.credential).toBe(createHmac("sha1", "s3cret").update(`${expires}:u42`).digest("base64"));
  });
});
