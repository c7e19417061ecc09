// Whether a URL may be fetched for a preview at all, before any name is resolved:
// http or https, the default port (80/443), no credentials, a bounded length. Checked for
// the URL someone typed and again for every redirect target.
import { limits } from "../limits.ts";

export type TargetRefusal = "malformed" | "scheme" | "port" | "credentials" | "too_long";

export function checkTarget(raw: string | URL): { url: URL } | { refused: TargetRefusal } {
  const text = typeof raw === "string" ? raw : raw.href;
  if (text.length > limits.previewUrlLengthMax) return { refused: "too_long" };
  let url: URL;
  try {
    url = typeof raw === "string" ? new URL(raw) : raw;
  } catch {
    return { refused: "malformed" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { refused: "scheme" };
  if (!url.hostname) return { refused: "malformed" };
  // WHATWG URL drops the scheme's default port, so any port left here is another one.
  if (url.port !== "") return { refused: "port" };
  if (url.username !== "" || url.password !== "") return { refused: "credentials" };
  return { url };
}

/** The port a checked URL connects to. */
export const portOf = (url: URL) => (url.protocol === "https:" ? 443 : 80);

/** The host as a resolver or the classifier takes it: IPv6 literals without brackets. */
export const bareHost = (url: URL) => url.hostname.replace(/^\[(.*)\]$/, "$1");
