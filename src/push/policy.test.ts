// The per-recipient rule as a table: every row is one decision.
import { expect, test } from "bun:test";
import { DEFAULT_NOTIFY, type NotifySettings } from "../storage/push-port.ts";
import { type Candidate, decideCall, decideMessage } from "./policy.ts";

const NOW = Date.parse("2026-12-02T12:00:00Z");
const FOREVER = 2 ** 53 - 1;
const s = (over: Partial<NotifySettings> = {}): NotifySettings => ({ ...structuredClone(DEFAULT_NOTIFY), ...over });
const c = (over: Partial<Candidate> = {}): Candidate => ({ level: "all", muteUntil: null, settings: s(), ...over });
const dndOn = s({ dnd: { until: FOREVER, schedule: null } });
const plain = { mentioned: false, mentionsAll: false };
const mention = { mentioned: true, mentionsAll: false };
const all = { mentioned: false, mentionsAll: true };

test("messages", () => {
  const rows: [Candidate, typeof plain, string][] = [
    [c(), plain, "push"],
    [c({ muteUntil: NOW + 1 }), mention, "muted"],
    [c({ muteUntil: NOW - 1 }), plain, "push"], // a mute that ended
    [c({ muteUntil: FOREVER }), plain, "muted"],
    [c({ level: "none" }), mention, "level_none"],
    [c({ level: "mentions" }), plain, "not_mentioned"],
    [c({ level: "mentions" }), mention, "push"],
    [c({ level: "mentions" }), all, "push"],
    [c({ level: "mentions", settings: s({ allMentionsNotify: false }) }), all, "not_mentioned"],
    [c({ settings: dndOn }), mention, "dnd"],
    [c({ settings: s({ dnd: { until: NOW - 1, schedule: null } }) }), plain, "push"], // manual dnd over
    [c({ settings: s({ callsBypassDnd: true, dnd: { until: FOREVER, schedule: null } }) }), plain, "dnd"], // only calls bypass
  ];
  expect(rows.map(([cand, m]) => decideMessage(cand, m, NOW) as string)).toEqual(rows.map((r) => r[2]));
});

test("calls", () => {
  const rows: [Candidate, string][] = [
    [c(), "push"],
    [c({ level: "mentions" }), "push"], // a ring is for you
    [c({ level: "none" }), "level_none"],
    [c({ muteUntil: FOREVER }), "muted"],
    [c({ settings: dndOn }), "dnd"],
    [c({ settings: s({ ...dndOn, callsBypassDnd: true }) }), "push"],
  ];
  expect(rows.map(([cand]) => decideCall(cand, NOW) as string)).toEqual(rows.map((r) => r[1]));
});
