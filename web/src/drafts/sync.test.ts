import { describe, expect, test } from "vitest";
import { DraftSync, type DraftPort, draftLine } from "./sync.ts";

const memory = (initial: Record<string, string> = {}): DraftPort & { saved: Record<string, string> } => {
  const port = { saved: { ...initial }, load: () => ({ ...port.saved }), store: (p: Record<string, string>) => void (port.saved = { ...p }) };
  return port;
};
const failing = (code: string) => Object.assign(new Error(code), { code });

describe("draft sync", () => {
  test("the latest text per chat is saved once; saved texts are forgotten, also in the port", async () => {
    const port = memory();
    const d = new DraftSync(port);
    d.edit("a", "h");
    d.edit("a", "hello 🏡");
    d.edit("b", "other");
    const calls: [string, string][] = [];
    await d.flush(async (chatId, text) => void calls.push([chatId, text]));
    expect(calls).toEqual([["a", "hello 🏡"], ["b", "other"]]);
    expect(d.text("a")).toBeUndefined();
    expect(port.saved).toEqual({});
  });

  test("offline: texts stay pending across a reload (a new instance on the same port) and are saved later", async () => {
    const port = memory();
    new DraftSync(port).edit("a", "written offline");
    const d = new DraftSync(port);
    expect(d.text("a")).toBe("written offline");
    await d.flush(() => Promise.reject(failing("disconnected")));
    expect(d.text("a")).toBe("written offline");
    const calls: string[] = [];
    await d.flush(async (_c, text) => void calls.push(text));
    expect(calls).toEqual(["written offline"]);
    expect(d.text("a")).toBeUndefined();
  });

  test("typing during a save keeps the newer text pending; a refused text is dropped", async () => {
    const d = new DraftSync(memory());
    d.edit("a", "one");
    let release!: () => void;
    const first = d.flush(() => new Promise<void>((r) => (release = r)));
    d.edit("a", "one two");
    release();
    await first;
    expect(d.text("a")).toBe("one two");
    await d.flush(() => Promise.reject(failing("not_found")));
    expect(d.text("a")).toBeUndefined();
  });

  test("a flush asked for while one runs runs again afterwards", async () => {
    const d = new DraftSync(memory());
    d.edit("a", "x");
    const seen: string[] = [];
    let release!: () => void;
    const save = (_c: string, text: string) => {
      seen.push(text);
      return seen.length === 1 ? new Promise<void>((r) => (release = r)) : Promise.resolve();
    };
    const first = d.flush(save);
    d.edit("b", "y");
    void d.flush(save);
    release();
    await first;
    await new Promise((r) => setTimeout(r, 0));
    await d.flush(save);
    expect(seen).toEqual(["x", "y"]);
  });
});

describe("draft line", () => {
  test("one line, cut by grapheme so emoji stay whole", () => {
    expect(draftLine("Lunch\n  on Sunday? ")).toBe("Lunch on Sunday?");
    expect(draftLine("👨‍👩‍👧‍👦🏡x", 2)).toBe("👨‍👩‍👧‍👦🏡…");
  });
});
