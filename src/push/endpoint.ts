// Which push endpoints the server will POST to. A subscription's endpoint comes from a
// client, so it is an SSRF vector: https only, bounded length, no credentials in the URL,
// and the address it resolves to must be public (unicast) — checked at subscribe for IP
// literals and at every send for the resolved address (transport.ts pins it). Hosts in
// push.allowPrivateHosts are exempt (a private push service; the tests' stand-in).
import ipaddr from "ipaddr.js";
import { invalidField } from "../errors.ts";
import { limits } from "../limits.ts";
import { fromB64u } from "./b64.ts";
import { AUTH_BYTES, UA_PUBLIC_BYTES } from "./ece.ts";

export interface EndpointPolicy {
  allowPrivateHosts: ReadonlySet<string>;
}

/** Lower-case host without IPv6 brackets. */
export const bareHost = (u: URL) => u.hostname.toLowerCase().replace(/^\[(.*)\]$/, "$1");

/** True when the address may be contacted: public unicast, or the host is allowlisted. */
export function addressAllowed(address: string, host: string, policy: EndpointPolicy): boolean {
  if (policy.allowPrivateHosts.has(host) || policy.allowPrivateHosts.has(address)) return true;
  if (!ipaddr.isValid(address)) return false;
  let ip = ipaddr.parse(address);
  if (ip.kind() === "ipv6" && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
  return ip.range() === "unicast";
}

export function checkEndpoint(endpoint: string, policy: EndpointPolicy): URL {
  if (endpoint.length > limits.pushEndpointCharsMax) throw invalidField("endpoint", `at most ${limits.pushEndpointCharsMax} characters`);
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw invalidField("endpoint", "not a URL");
  }
  if (url.protocol !== "https:") throw invalidField("endpoint", "must be an https URL");
  if (url.username || url.password) throw invalidField("endpoint", "must not carry credentials");
  const host = bareHost(url);
  const literal = ipaddr.isValid(host);
  if ((literal || host === "localhost" || host.endsWith(".localhost") || host.endsWith(".local")) && !addressAllowed(literal ? host : "127.0.0.1", host, policy)) {
    throw invalidField("endpoint", "a loopback, private or link-local address is not a push service");
  }
  return url;
}

export async function checkKeys(keys: { p256dh: string; auth: string }): Promise<{ p256dh: Uint8Array; auth: Uint8Array }> {
  const p256dh = fromB64u(keys.p256dh);
  const bad = () => invalidField("keys.p256dh", "must be base64url of a 65-byte uncompressed P-256 point");
  if (!p256dh || p256dh.length !== UA_PUBLIC_BYTES || p256dh[0] !== 4) throw bad();
  try {
    await crypto.subtle.importKey("raw", new Uint8Array(p256dh), { name: "ECDH", namedCurve: "P-256" }, false, []);
  } catch {
    throw bad(); // 65 bytes, but not a point on the curve
  }
  const auth = fromB64u(keys.auth);
  if (!auth || auth.length !== AUTH_BYTES) throw invalidField("keys.auth", "must be base64url of 16 bytes");
  return { p256dh, auth };
}
