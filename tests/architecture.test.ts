// The layer rules of docs/architecture.md ("Layers that check themselves"), checked by
// reading every import in src/ and web/src/: static `import … from`, `import "…"`,
// `export … from`, `import type`, and `import("…")` with a literal specifier.
//
// The rules (a test file is `*.test.ts(x)` or `*.e2e.ts`; test support is `*testing*.ts`,
// `src/storage/contract/`, `src/bus/contract.ts`):
//   protocol   src/protocol/ (not its tests) imports nothing of the project outside itself.
//   domain     a domain folder (every src/<folder>/ that is not infrastructure, see
//              `infrastructure` below) imports neither elysia, drizzle-orm, bun:sqlite nor
//              src/server/, src/storage/sqlite/, tests/, scripts/ (test files and test
//              support exempt).
//   product    no file in src/ or web/src/ but a test file imports tests/ or scripts/
//              (test support inside src/ counts: product code can reach it there).
//   web        web/src/ (not its tests) imports from src/ only src/protocol/, src/client/
//              and the pure shared modules in `webShared`.
//   cycle      no import cycle between top-level units of src/ (a folder, or a top-level
//              file such as main.ts), counting product files only (no tests, no test
//              support). Reported as "A ↔ B" for every direct edge that lies on a cycle.
//
// RATCHET: `known` below lists every violation that existed when this test was written
// (issue 12). The test fails on a violation that is not listed AND on a listed one that no
// longer occurs, so the list can only shrink: fix a violation, delete its line. Issue 12
// removes the list entirely. Never add a line to make a new violation pass. Domains take
// Deps, DomainModule, MethodDef and the request context from the neutral src/core/.
import { describe, expect, test } from "bun:test";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, relative } from "node:path";

const root = join(import.meta.dir, "..");

const infrastructure = new Set(["protocol", "server", "storage", "bus", "events", "cli", "config", "log", "metrics", "net", "tls", "secrets", "client"]);
/** Shared modules the browser bundle may import besides src/protocol/ and src/client/ (no server state, no Bun/Node APIs). */
const webShared = new Set(["src/messages/emoji.ts"]);
const forbiddenPackages = [/^elysia($|\/)/, /^@elysiajs\//, /^drizzle-orm($|\/)/, /^bun:sqlite$/];
const forbiddenDomainPaths = ["src/server/", "src/storage/sqlite/", "tests/", "scripts/"];

/** Violations known on 2026-12-02. Shrink only. "rule: from → target" or "cycle: A ↔ B". */
const known: readonly string[] = [
  // other domain → server/framework imports (HTTP routes and embedded assets inside domain folders)
  "domain: src/accounts/routes.ts → elysia",
  "domain: src/accounts/routes.ts → src/server/client-ip.ts",
  "domain: src/accounts/routes.ts → src/server/body.ts",
  "domain: src/calls/mediasoup.ts → src/server/embedded.ts",
  "domain: src/media/image/native.ts → src/server/embedded.ts",
  // folder-level import cycles among src/ top-level units
  "cycle: chats ↔ presence",
  "cycle: chats ↔ drafts",
  "cycle: chats ↔ messages",
  "cycle: drafts ↔ messages",
  "cycle: events ↔ server",
  // added when media, link previews and push landed (2026-12-02): HTTP routes inside their
  // domain folders, and the cycles among those domains
  "domain: src/media/backup.ts → bun:sqlite",
  "domain: src/media/routes.ts → elysia",
  "domain: src/media/routes.ts → src/server/body.ts",
  "domain: src/media/routes.ts → src/server/request-url.ts",
  "domain: src/push/routes.ts → elysia",
  "domain: src/push/routes.ts → src/server/body.ts",
  "cycle: chats ↔ media",
  "cycle: messages ↔ previews",
  "cycle: presence ↔ push",
  "cycle: media ↔ previews",
  "cycle: chats ↔ push",
  "cycle: messages ↔ push",
  // the browser bundle takes the server's limits module (issue 12: keep it out of the bundle)
  "web: web/src/chats/member-pages.ts → src/limits.ts",
  "web: web/src/voice/limits.ts → src/limits.ts", // the server's voice bounds (landed with media)
];

// ---------------------------------------------------------------- reading imports

type Edge = { from: string; spec: string; target: string }; // target: repo-relative path or package name

function walk(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(join(root, dir))) {
    if (name === "node_modules" || name === "dist" || name.startsWith(".")) continue;
    const rel = `${dir}/${name}`;
    if (statSync(join(root, rel)).isDirectory()) walk(rel, out);
    else if (/\.(ts|tsx|mts)$/.test(name) && !name.endsWith(".d.ts")) out.push(rel);
  }
  return out;
}

/** Comments out of the way (strings kept): an import in a comment is not an import. */
function stripComments(code: string): string {
  let out = "";
  let i = 0;
  let quote: string | null = null;
  while (i < code.length) {
    const c = code[i]!;
    if (quote) {
      out += c;
      if (c === "\\") out += code[++i] ?? "";
      else if (c === quote) quote = null;
      i++;
    } else if (c === '"' || c === "'" || c === "`") {
      quote = c;
      out += c;
      i++;
    } else if (c === "/" && code[i + 1] === "/") {
      while (i < code.length && code[i] !== "\n") i++;
    } else if (c === "/" && code[i + 1] === "*") {
      const end = code.indexOf("*/", i + 2);
      i = end < 0 ? code.length : end + 2;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

const staticImport = /(?:^|[;\s}])(?:import|export)\s+(?:type\s+)?(?:[\w$*{}\s,]*?\s*from\s*)?["']([^"'\n]+)["']/g;
const dynamicImport = /\bimport\s*\(\s*["']([^"'\n]+)["']\s*\)/g;

export function importsOf(code: string): string[] {
  const text = stripComments(code);
  const specs: string[] = [];
  for (const m of text.matchAll(staticImport)) specs.push(m[1]!);
  for (const m of text.matchAll(dynamicImport)) specs.push(m[1]!);
  return specs;
}

function edgesOf(file: string): Edge[] {
  return importsOf(readFileSync(join(root, file), "utf8")).map((spec) => ({
    from: file,
    spec,
    target: spec.startsWith(".") ? normalize(relative(root, join(root, dirname(file), spec))) : spec,
  }));
}

const isTest = (f: string) => /\.(test|e2e)\.tsx?$/.test(f);
const isTestSupport = (f: string) => /(^|[-./])testing([-.]|$)/.test(f.split("/").pop()!) || f.startsWith("src/storage/contract/") || f === "src/bus/contract.ts";
/** src/<folder>/… → folder; src/<file>.ts → the file's name without extension. */
const unitOf = (f: string) => f.split("/")[1]!.replace(/\.tsx?$/, "");
const inProject = (t: string) => !t.includes(":") && /^(src|web|tests|scripts|bench)\//.test(t) || t === "build.ts";

// ---------------------------------------------------------------- the rules

type Violation = { key: string; message: string };

export function violations(files: string[]): Violation[] {
  const found: Violation[] = [];
  const add = (key: string, message: string) => found.push({ key, message });
  const edges = files.flatMap(edgesOf);

  for (const e of edges) {
    const src = e.from.startsWith("src/");
    const folder = src && e.from.split("/").length > 2 ? e.from.split("/")[1]! : null;
    const test = isTest(e.from);
    if (folder === "protocol" && !test && inProject(e.target) && !e.target.startsWith("src/protocol/")) {
      add(`protocol: ${e.from} → ${e.target}`, `${e.from} imports "${e.spec}": src/protocol/ must not import anything of the project outside itself (it is the wire contract the web client shares)`);
    }
    if (folder && !infrastructure.has(folder) && !test && !isTestSupport(e.from)) {
      const pkg = forbiddenPackages.some((r) => r.test(e.target));
      const path = forbiddenDomainPaths.find((p) => e.target.startsWith(p));
      if (pkg || path) add(`domain: ${e.from} → ${e.target}`, `${e.from} imports "${e.spec}": domain folder src/${folder}/ must not depend on ${pkg ? "a framework or database package" : path} (use cases see storage through the port and the server through the neutral module types)`);
    }
    if (!test && (e.target.startsWith("tests/") || e.target.startsWith("scripts/"))) {
      add(`product: ${e.from} → ${e.target}`, `${e.from} imports "${e.spec}": product code (and test support inside src/) must never import ${e.target.split("/")[0]}/`);
    }
    if (e.from.startsWith("web/src/") && !test && e.target.startsWith("src/") && !e.target.startsWith("src/protocol/") && !e.target.startsWith("src/client/") && !webShared.has(e.target)) {
      add(`web: ${e.from} → ${e.target}`, `${e.from} imports "${e.spec}": the web client may take from src/ only protocol/, client/ and the pure shared modules listed in webShared — ${e.target} is server code`);
    }
  }

  // Folder-level cycles among product files of src/.
  const graph = new Map<string, Map<string, Edge>>(); // unit → unit → one example edge
  for (const e of edges) {
    if (!e.from.startsWith("src/") || !e.target.startsWith("src/") || isTest(e.from) || isTestSupport(e.from) || isTestSupport(e.target)) continue;
    const a = unitOf(e.from);
    const b = unitOf(e.target);
    if (a === b) continue;
    if (!graph.has(a)) graph.set(a, new Map());
    if (!graph.get(a)!.has(b)) graph.get(a)!.set(b, e);
  }
  const reach = (from: string, to: string) => {
    const seen = new Set<string>([from]);
    const stack = [from];
    while (stack.length) {
      const n = stack.pop()!;
      if (n === to) return true;
      for (const m of graph.get(n)?.keys() ?? []) if (!seen.has(m)) (seen.add(m), stack.push(m));
    }
    return false;
  };
  const pairs = new Map<string, string[]>();
  for (const [a, outs] of graph) {
    for (const [b, e] of outs) {
      if (!reach(b, a)) continue;
      const [x, y] = [a, b].sort() as [string, string];
      const key = `cycle: ${x} ↔ ${y}`;
      if (!pairs.has(key)) pairs.set(key, []);
      pairs.get(key)!.push(`${e.from} → ${e.target}`);
    }
  }
  for (const [key, via] of pairs) add(key, `${key.slice(7)}: the top-level units of src/ import each other (directly or around a cycle), via ${via.join(" and ")}`);

  const seen = new Set<string>();
  return found.filter((v) => (seen.has(v.key) ? false : (seen.add(v.key), true)));
}

// ---------------------------------------------------------------- the test

describe("architecture: layer rules (ratchet)", () => {
  const files = [...walk("src"), ...walk("web/src")].sort();
  const found = violations(files);
  const foundKeys = new Set(found.map((v) => v.key));
  const knownSet = new Set(known);

  test("the import reader sees every kind of import and none in comments", () => {
    const specs = importsOf(`import a from "./a.ts";\nimport type { B } from "./b.ts";\nimport {\n  c,\n  d,\n} from "../c.ts";\nimport "./side.ts";\nexport { e } from "./e.ts";\nexport * from "./f.ts";\nconst g = await import("./g.ts");\n// import h from "./h.ts";\n/* import i from "./i.ts"; */\nconst s = "import j from './j.ts'";`);
    expect(specs.sort()).toEqual(["../c.ts", "./a.ts", "./b.ts", "./e.ts", "./f.ts", "./g.ts", "./side.ts"]);
  });

  test("it reads the real tree", () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain("src/protocol/errors.ts");
    expect(files.some((f) => f.startsWith("web/src/"))).toBe(true);
  });

  test("no violation beyond the known list", () => {
    const fresh = found.filter((v) => !knownSet.has(v.key));
    if (fresh.length) console.error(`New layer violations (docs/architecture.md, "Layer rules"):\n${fresh.map((v) => `  ✗ ${v.key}\n      ${v.message}`).join("\n")}`);
    expect(fresh.map((v) => v.key)).toEqual([]);
  });

  test("every known violation still occurs (the list only shrinks: delete fixed lines)", () => {
    const gone = known.filter((k) => !foundKeys.has(k));
    if (gone.length) console.error(`Fixed, so delete from the known list in tests/architecture.test.ts:\n${gone.map((k) => `  ✓ ${k}`).join("\n")}`);
    expect(gone).toEqual([]);
  });

  test("test support lives in tests/support/, not beside product code", () => {
    // A *testing*.ts file inside src/ is reachable from product code by a plain import;
    // under tests/ the product rule forbids that import. Contract suites stay beside their
    // port: each adapter's own test runs them.
    const strays = files.filter((f) => f.startsWith("src/") && /(^|[-./])testing([-.]|$)/.test(f.split("/").pop()!));
    expect(strays).toEqual([]);
  });

  test("the known list has no duplicates", () => {
    expect(known.length).toBe(knownSet.size);
  });
});
