import { expect, test } from "vitest";
import { type MdNode, parseMarkdown, plainText, safeUrl } from "./markdown.ts";

const flat = (nodes: MdNode[]): string[] => nodes.flatMap((n) => ("c" in n ? [n.t, ...flat(n.c)] : [`${n.t}:${n.v}`]));

test("the subset: bold, italic, strike, code, fenced code, links, mentions", () => {
  expect(parseMarkdown("a **b** _c_ *d* ~~e~~ `f`")).toEqual([
    { t: "text", v: "a " }, { t: "b", c: [{ t: "text", v: "b" }] }, { t: "text", v: " " },
    { t: "i", c: [{ t: "text", v: "c" }] }, { t: "text", v: " " }, { t: "i", c: [{ t: "text", v: "d" }] },
    { t: "text", v: " " }, { t: "s", c: [{ t: "text", v: "e" }] }, { t: "text", v: " " }, { t: "code", v: "f" },
  ]);
  expect(parseMarkdown("x\n```js\nlet a = **1**;\n```\ny")).toEqual([
    { t: "text", v: "x\n" }, { t: "pre", v: "let a = **1**;" }, { t: "text", v: "\ny" },
  ]);
  expect(parseMarkdown("see https://example.org/a?b=1. ok")).toEqual([
    { t: "text", v: "see " }, { t: "link", href: "https://example.org/a?b=1", c: [{ t: "text", v: "https://example.org/a?b=1" }] }, { t: "text", v: ". ok" },
  ]);
  expect(flat(parseMarkdown("[**site**](https://x.org) hi @bob."))).toEqual(["link", "b", "text:site", "text: hi ", "mention:@bob", "text:."]);
  expect(flat(parseMarkdown("snake_case_name and a*b"))).toEqual(["text:snake_case_name and a*b"]);
});

test("hostile input stays text: HTML, script, javascript: and data: links, tricks in link syntax", () => {
  const payloads = [
    '<img src=x onerror="window.__xss=1">',
    "<script>window.__xss=1</script>",
    "[click](javascript:window.__xss=1)",
    "[click](JaVaScRiPt:alert(1))",
    "[x](data:text/html,<script>alert(1)</script>)",
    "[x](  javascript:alert(1))",
    "[a](https://ok.org)(javascript:alert(1))",
    "**<b onclick=alert(1)>x</b>**",
  ];
  for (const p of payloads) {
    const nodes = parseMarkdown(p);
    const links = JSON.stringify(nodes).match(/"href":"([^"]*)"/g) ?? [];
    for (const l of links) expect(l).toMatch(/"href":"https:\/\//);
    expect(plainText(p).length).toBeGreaterThan(0);
  }
  expect(safeUrl("javascript:alert(1)")).toBeNull();
  expect(safeUrl("vbscript:x")).toBeNull();
  expect(safeUrl("mailto:a@b.org")).toBe("mailto:a@b.org");
});

test("deep nesting and long unclosed markers stay cheap and bounded", () => {
  const deep = "**".repeat(20) + "x" + "**".repeat(20);
  expect(plainText(deep)).toContain("x");
  const long = "**a".repeat(20_000);
  expect(plainText(long).length).toBeGreaterThan(0);
});
