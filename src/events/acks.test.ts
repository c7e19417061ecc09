import { expect, test } from "bun:test";
import { createAckWriter } from "./acks.ts";
import { createInprocBus } from "../bus/inproc.ts";
import { topics } from "../bus/port.ts";
import { decodeEventsPayload, publishCommitted } from "./publish.ts";

test("acks coalesce to one write per session per flush, keeping the highest id", async () => {
  const writes: [string, number][] = [];
  const w = createAckWriter({ ack: async (s, id) => void writes.push([s, id]) }, () => {}, 60_000);
  w.ack("s1", 3);
  w.ack("s1", 9);
  w.ack("s1", 4);
  w.ack("s2", 1);
  await w.flush();
  expect(writes).toEqual([["s1", 9], ["s2", 1]]);
  await w.flush();
  expect(writes.length).toBe(2);
  await w.stop();
});

test("publishCommitted sends one message per user with that user's events in id order", async () => {
  const bus = createInprocBus();
  const got: Record<string, number[][]> = { a: [], b: [] };
  for (const u of ["a", "b"]) bus.subscribe(topics.userEvents(u), (p) => got[u]!.push(decodeEventsPayload(p).map((e) => e.id)));
  const ev = (userId: string, id: number) => ({ userId, id, type: "x.y", data: null, at: 1 });
  await publishCommitted({ bus }, [ev("a", 2), ev("b", 7), ev("a", 1)]);
  await new Promise((r) => setTimeout(r, 5));
  expect(got).toEqual({ a: [[1, 2]], b: [[7]] });
  expect(decodeEventsPayload(new Uint8Array([0xc1]))).toEqual([]);
  await bus.close();
});
