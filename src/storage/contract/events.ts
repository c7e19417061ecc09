import { describe, expect, test } from "bun:test";
import type { StoredEvent } from "../port.ts";
import type { GetStorage } from "./fixtures.ts";

const msg = (i: number) => ({ chatId: "c1", text: `message ${i} `.padEnd(40, "x"), n: i });

export function eventsContract(get: GetStorage): void {
  describe("events", () => {
    test("a fresh queue: id assigned at first use and stable, nothing appended", async () => {
      const s = get();
      const info = await s.events.queueInfo("u-fresh");
      expect(info).toMatchObject({ lastEventId: 0, oldestEventId: 1 });
      expect(info.queueId.length).toBeGreaterThan(0);
      expect((await s.events.queueInfo("u-fresh")).queueId).toBe(info.queueId);
      await s.events.append([{ to: ["u-fresh"], type: "x.happened", data: 1 }]);
      expect(await s.events.queueInfo("u-fresh")).toEqual({ queueId: info.queueId, lastEventId: 1, oldestEventId: 1 });
      expect((await s.events.queueInfo("u-other")).queueId).not.toBe(info.queueId);
    });

    test("append gives each recipient its next id; readAfter returns ascending pages", async () => {
      const s = get();
      const stored = await s.events.append([
        { to: ["a", "b"], type: "message.created", data: msg(1) },
        { to: ["a"], type: "chat.updated", data: { nested: [1, null, "x"] } },
      ]);
      expect(stored.map((e) => [e.userId, e.id, e.type])).toEqual([
        ["a", 1, "message.created"],
        ["b", 1, "message.created"],
        ["a", 2, "chat.updated"],
      ]);
      expect(typeof stored[0]!.at).toBe("number");
      const all = await s.events.readAfter("a", 0, 10);
      expect(all).toEqual(stored.filter((e) => e.userId === "a"));
      expect(await s.events.readAfter("a", 1, 10)).toEqual([stored[2]!]);
      expect((await s.events.readAfter("a", 0, 1)).map((e) => e.id)).toEqual([1]);
      expect(await s.events.readAfter("a", 2, 10)).toEqual([]);
      expect(await s.events.readAfter("nobody", 0, 10)).toEqual([]);
    });

    test("ids stay contiguous per user under many concurrent appends", async () => {
      const s = get();
      const users = Array.from({ length: 20 }, (_, i) => `cu${i}`);
      const appends = Array.from({ length: 300 }, (_, i) => {
        const to = users.filter((_, j) => (i + j) % 3 === 0 || j === i % 20);
        return s.events.append([{ to, type: "message.created", data: msg(i) }]);
      });
      const stored = (await Promise.all(appends)).flat();
      for (const u of users) {
        const mine = stored.filter((e) => e.userId === u).map((e) => e.id).sort((x, y) => x - y);
        expect(mine).toEqual(Array.from({ length: mine.length }, (_, k) => k + 1));
        const read = await s.events.readAfter(u, 0, 1000);
        expect(read.map((e) => e.id)).toEqual(mine);
        expect((await s.events.queueInfo(u)).lastEventId).toBe(mine.length);
      }
    });

    test("prune drops beyond keepMax per user and older than the cutoff; numbering continues", async () => {
      const s = get();
      for (let i = 0; i < 5; i++) await s.events.append([{ to: ["p1", "p2"], type: "t", data: i }]);
      await s.events.append([{ to: ["p1"], type: "t", data: 5 }]);
      expect(await s.events.prune(100, 0)).toBe(0);
      expect(await s.events.prune(2, 0)).toBe(4 + 3);
      expect((await s.events.readAfter("p1", 0, 10)).map((e) => e.id)).toEqual([5, 6]);
      expect(await s.events.queueInfo("p1")).toMatchObject({ lastEventId: 6, oldestEventId: 5 });
      expect(await s.events.prune(100, Date.now() + 60_000)).toBe(4);
      expect(await s.events.queueInfo("p2")).toMatchObject({ lastEventId: 5, oldestEventId: 6 });
      const [e] = (await s.events.append([{ to: ["p2"], type: "t", data: "after" }])) as [StoredEvent];
      expect(e.id).toBe(6);
    });
  });
}
