// What a page's <head> says about it: Open Graph (og:title, og:description, og:image,
// og:site_name), twitter:* as fallbacks, then <title> and <meta name=description>.
// Only the head is parsed (the fetcher stops reading at </head>); entities are decoded,
// whitespace collapsed, control characters dropped, every string cut to its limit.
import { limits } from "../limits.ts";

export interface HeadMeta {
  title?: string;
  description?: string;
  siteName?: string;
  imageUrl?: string; // absolute http(s), resolved against the page URL
}

const KEYS = {
  title: ["og:title", "twitter:title"],
  description: ["og:description", "twitter:description", "description"],
  siteName: ["og:site_name", "application-name"],
  image: ["og:image:secure_url", "og:image", "og:image:url", "twitter:image", "twitter:image:src"],
} as const;

/** Decodes the bytes as the page says (Content-Type or <meta charset>), UTF-8 otherwise; cuts at </head>. */
export function headText(body: Uint8Array, contentType: string): string {
  const sniff = Buffer.from(body.subarray(0, 2048)).toString("latin1");
  const label = /charset\s*=\s*["']?([\w-]+)/i.exec(contentType)?.[1] ?? /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(sniff)?.[1] ?? "utf-8";
  let text: string;
  try {
    text = new TextDecoder(label).decode(body);
  } catch {
    text = new TextDecoder("utf-8").decode(body);
  }
  const end = text.search(/<\/head|<body/i);
  return end >= 0 ? text.slice(0, end) : text;
}

export async function parseHead(head: string, pageUrl: URL): Promise<HeadMeta | null> {
  const meta = new Map<string, string>();
  let title = "";
  let inTitle = false;
  const rewriter = new HTMLRewriter()
    .on("meta", {
      element(e) {
        const key = (e.getAttribute("property") ?? e.getAttribute("name") ?? "").trim().toLowerCase();
        const content = e.getAttribute("content");
        if (key && content !== null && !meta.has(key)) meta.set(key, content.slice(0, 16 * 1024));
      },
    })
    .on("title", {
      element(e) {
        inTitle = !title;
        e.onEndTag(() => void (inTitle = false));
      },
      text(t) {
        if (inTitle && title.length < 16 * 1024) title += t.text;
      },
    });
  await rewriter.transform(new Response(head)).text();
  const pick = (keys: readonly string[]) => keys.map((k) => meta.get(k)).find((v) => v !== undefined && clean(v, 1) !== "");
  const out: HeadMeta = {};
  const t = clean(pick(KEYS.title) ?? title, limits.previewTitleLengthMax);
  const d = clean(pick(KEYS.description) ?? "", limits.previewDescriptionLengthMax);
  const s = clean(pick(KEYS.siteName) ?? "", limits.previewSiteNameLengthMax);
  if (t) out.title = t;
  if (d) out.description = d;
  if (s) out.siteName = s;
  const image = imageUrl(pick(KEYS.image), pageUrl);
  if (image) out.imageUrl = image;
  return out.title || out.description ? out : null;
}

function imageUrl(raw: string | undefined, base: URL): string | undefined {
  if (!raw) return undefined;
  try {
    const u = new URL(decodeEntities(raw.trim()), base);
    return (u.protocol === "http:" || u.protocol === "https:") && u.href.length <= limits.previewUrlLengthMax ? u.href : undefined;
  } catch {
    return undefined;
  }
}

/** Entities decoded, whitespace collapsed, controls dropped, at most `max` code points (… when cut). */
export function clean(raw: string, max: number): string {
  const text = decodeEntities(raw)
    // biome-ignore lint: control characters are what this removes
    .replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  const points = [...text];
  return points.length <= max ? text : `${points.slice(0, max - 1).join("").trimEnd()}…`;
}

const NAMED: Record<string, string> = {
  amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " ", hellip: "…", mdash: "—", ndash: "–",
  laquo: "«", raquo: "»", lsquo: "‘", rsquo: "’", ldquo: "“", rdquo: "”", middot: "·", bull: "•",
  copy: "©", reg: "®", trade: "™", euro: "€", pound: "£", deg: "°", times: "×", shy: "",
};

export function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]{1,6}|#[0-9]{1,7}|[a-z]{2,8});?/gi, (whole, body: string) => {
    if (body[0] === "#") {
      const n = body[1] === "x" || body[1] === "X" ? Number.parseInt(body.slice(2), 16) : Number.parseInt(body.slice(1), 10);
      return n > 0 && n <= 0x10ffff && (n < 0xd800 || n > 0xdfff) ? String.fromCodePoint(n) : "\ufffd";
    }
    return NAMED[body.toLowerCase()] ?? whole;
  });
}
