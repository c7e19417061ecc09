// One HTTP byte range (RFC 9110 §14): "bytes=a-b", "bytes=a-", "bytes=-n". Several
// ranges or a malformed header are answered with the whole file, as the RFC allows.
export type Range = { kind: "full" } | { kind: "part"; start: number; end: number } | { kind: "unsatisfiable" };

export function byteRange(header: string | null, size: number): Range {
  if (!header) return { kind: "full" };
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === "" && m[2] === "")) return { kind: "full" };
  if (m[1] === "") {
    const n = Number(m[2]);
    if (n === 0) return { kind: "unsatisfiable" };
    return { kind: "part", start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === "" ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return { kind: "unsatisfiable" };
  return { kind: "part", start, end };
}
