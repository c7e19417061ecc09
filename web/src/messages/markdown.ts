// The markdown subset of messages (**bold**, _italic_ / *italic*, ~~strike~~, `code`,
// fenced code, [links](https://…), bare https:// links, @mentions) parsed into a small
// tree. Markdown.tsx turns the tree into DOM nodes with text content only — user text is
// never parsed as HTML, and only http(s)/mailto links survive, so nothing can execute.

export type MdNode =
  | { t: "text"; v: string }
  | { t: "b" | "i" | "s"; c: MdNode[] }
  | { t: "code"; v: string }
  | { t: "pre"; v: string }
  | { t: "link"; href: string; c: MdNode[] }
  | { t: "mention"; v: string };

const DEPTH_MAX = 4;
const SPAN_MAX = 2000; // bounds the lazy matches: a long unclosed marker cannot go quadratic

/** A link target we are willing to open, normalized; null for javascript:, data: and the like. */
export function safeUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  return url.protocol === "http:" || url.protocol === "https:" || url.protocol === "mailto:" ? url.href : null;
}

export function parseMarkdown(text: string): MdNode[] {
  const out: MdNode[] = [];
  const fence = /```(?:[a-z0-9+-]*\n)?([\s\S]*?)```/gi;
  let last = 0;
  for (const m of text.matchAll(fence)) {
    if (m.index! > last) out.push(...parseInline(text.slice(last, m.index), 0));
    out.push({ t: "pre", v: m[1]!.replace(/\n$/, "") });
    last = m.index! + m[0].length;
  }
  if (last < text.length) out.push(...parseInline(text.slice(last), 0));
  return out;
}

type Rule = { re: RegExp; make: (m: RegExpExecArray, depth: number) => MdNode | null; wordStart?: boolean };

const rules: Rule[] = [
  { re: /`([^`\n]+)`/y, make: (m) => ({ t: "code", v: m[1]! }) },
  { re: new RegExp(`\\*\\*([^\\n]{1,${SPAN_MAX}}?)\\*\\*`, "y"), make: (m, d) => ({ t: "b", c: parseInline(m[1]!, d + 1) }) },
  { re: new RegExp(`~~([^\\n]{1,${SPAN_MAX}}?)~~`, "y"), make: (m, d) => ({ t: "s", c: parseInline(m[1]!, d + 1) }) },
  { re: new RegExp(`_([^_\\n]{1,${SPAN_MAX}}?)_(?![\\p{L}\\p{N}])`, "yu"), make: (m, d) => ({ t: "i", c: parseInline(m[1]!, d + 1) }), wordStart: true },
  { re: new RegExp(`\\*([^*\\n\\s][^*\\n]{0,${SPAN_MAX}}?)\\*`, "y"), make: (m, d) => ({ t: "i", c: parseInline(m[1]!, d + 1) }) },
  {
    re: /\[([^\]\n]{1,500})\]\(([^)\s]{1,2000})\)/y,
    make: (m, d) => {
      const href = safeUrl(m[2]!);
      return href ? { t: "link", href, c: parseInline(m[1]!, d + 1) } : null;
    },
  },
  {
    re: /https?:\/\/[^\s<>]{1,2000}/y,
    make: (m) => {
      const raw = m[0].replace(/[.,!?;:'")\]]+$/, "");
      const href = safeUrl(raw);
      m[0] = raw; // trailing punctuation stays text
      return href ? { t: "link", href, c: [{ t: "text", v: raw }] } : null;
    },
    wordStart: true,
  },
  { re: /@[\p{L}\p{N}_.]{1,64}/uy, make: (m) => ({ t: "mention", v: m[0].replace(/\.+$/, "") }), wordStart: true },
];

const wordChar = /[\p{L}\p{N}_]/u;

function parseInline(s: string, depth: number): MdNode[] {
  if (depth > DEPTH_MAX) return s ? [{ t: "text", v: s }] : [];
  const out: MdNode[] = [];
  let buf = "";
  let i = 0;
  outer: while (i < s.length) {
    for (const rule of rules) {
      if (rule.wordStart && i > 0 && wordChar.test(s[i - 1]!)) continue;
      rule.re.lastIndex = i;
      const m = rule.re.exec(s);
      if (!m) continue;
      const node = rule.make(m, depth);
      if (!node) continue;
      if (node.t === "mention") m[0] = node.v;
      if (buf) out.push({ t: "text", v: buf });
      buf = "";
      out.push(node);
      i += m[0].length;
      continue outer;
    }
    buf += s[i];
    i++;
  }
  if (buf) out.push({ t: "text", v: buf });
  return out;
}

/** Plain text of a message for previews and notifications (markers dropped). */
export function plainText(text: string): string {
  const walk = (nodes: MdNode[]): string =>
    nodes.map((n) => ("c" in n ? walk(n.c) : n.v)).join("");
  return walk(parseMarkdown(text)).replace(/\s+/g, " ").trim();
}
