// ICE servers handed to call clients in call.join. Hearth's SFU is reachable directly
// (ICE-lite on one port), so none are needed on a LAN; STUN/TURN come from config for
// clients behind strict NATs. With calls.turnSecret, each user gets short-lived TURN
// credentials (the TURN REST API that coturn's use-auth-secret implements) instead of a
// shared static password.
import { createHmac } from "node:crypto";
import type { Config } from "../config/schema.ts";
import { limits } from "../limits.ts";

export interface IceServer {
  urls: string[];
  username?: string;
  credential?: string;
}

export function iceServersFor(calls: Config["calls"], userId: string, now: number): IceServer[] {
  const urls = calls.iceServers.map((u) => u.trim()).filter((u) => u !== "");
  const stun = urls.filter((u) => u.startsWith("stun:") || u.startsWith("stuns:"));
  const turn = urls.filter((u) => u.startsWith("turn:") || u.startsWith("turns:"));
  const out: IceServer[] = [];
  if (stun.length > 0) out.push({ urls: stun });
  if (turn.length > 0) out.push({ urls: turn, ...turnCredentials(calls, userId, now) });
  return out;
}

function turnCredentials(calls: Config["calls"], userId: string, now: number): { username: string; credential: string } {
  if (calls.turnSecret) {
    const expiresSec = Math.floor((now + limits.callTurnCredentialTtlMs) / 1000);
    const username = `${expiresSec}:${userId}`;
    return { username, credential: createHmac("sha1", calls.turnSecret).update(username).digest("base64") };
  }
  return { username: calls.turnUsername, credential: calls.turnCredential };
}
