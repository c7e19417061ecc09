import { describe, expect, test } from "bun:test";
import { AppError } from "../errors.ts";
import { limits } from "../limits.ts";
import type { AddCandidate, Chat, ChatKind, MemberRole, Membership, Message } from "../storage/chats-port.ts";
import { type Action, can, checkMessage, mayAdd, requireRight } from "./access.ts";

const chat = (kind: ChatKind, memberCount = 3): Chat => ({
  id: "c1", kind, title: "", description: "", createdBy: "u-owner", createdAt: 0,
  memberCount, lastSeq: 0, lastAt: 0, spaceId: null,
});
const member = (role: MemberRole, userId = "u1"): Membership => ({
  chatId: "c1", userId, role, joinedAt: 0, readSeq: 0, muted: false, archived: false, pinnedAt: null, notifyLevel: "all", muteUntil: null,
});
const allowed = (kind: ChatKind, role: MemberRole | null, action: Action, count = 3) =>
  can({ userId: "u1", chat: chat(kind, count), membership: role ? member(role) : null }, action);

// The expected matrix, written out so a change to the policy shows up as a diff here.
// Columns: owner, admin, member (for direct/saved every member has role "member").
const groupMatrix: Record<string, [boolean, boolean, boolean]> = {
  read: [true, true, true],
  send: [true, true, true],
  mention_all: [true, true, false],
  edit_info: [true, true, false],
  list_members: [true, true, true],
  add_members: [true, true, false],
  delete_others: [true, true, false],
  read_receipts: [true, true, true],
  leave: [false, true, true],
  personal: [true, true, true],
  react: [true, true, true],
  list_reactors: [true, true, true],
  pin_message: [true, true, false],
  manage_links: [true, true, false],
  set_retention: [true, true, false],
  import: [true, true, false],
};
const channelDiff: Record<string, [boolean, boolean, boolean]> = {
  send: [true, true, false],
  list_members: [true, true, false],
  read_receipts: [false, false, false],
  list_reactors: [true, true, false],
};
const roles: MemberRole[] = ["owner", "admin", "member"];

describe("can", () => {
  for (const kind of ["group", "channel"] as const) {
    for (const [action, row] of Object.entries(groupMatrix)) {
      const expected = kind === "channel" ? (channelDiff[action] ?? row) : row;
      test(`${kind} ${action}`, () => {
        expect(roles.map((r) => allowed(kind, r, action as Action))).toEqual(expected);
      });
    }
  }

  test("nobody without a membership may do anything", () => {
    for (const kind of ["direct", "saved", "group", "channel", "space_channel"] as const) {
      for (const action of Object.keys(groupMatrix)) expect(allowed(kind, null, action as Action)).toBe(false);
    }
  });

  test("a membership of another chat or user does not count", () => {
    const c = chat("group");
    expect(can({ userId: "u2", chat: c, membership: member("owner", "u1") }, "read")).toBe(false);
    expect(can({ userId: "u1", chat: { ...c, id: "c2" }, membership: member("owner") }, "read")).toBe(false);
  });

  test("direct and saved: talk, no management", () => {
    for (const kind of ["direct", "saved"] as const) {
      expect(["read", "send", "personal", "list_members"].every((a) => allowed(kind, "member", a as Action))).toBe(true);
      for (const a of ["mention_all", "edit_info", "add_members", "delete_others", "leave"]) {
        expect(allowed(kind, "member", a as Action)).toBe(false);
      }
    }
    expect(allowed("direct", "member", "set_retention")).toBe(true); // either person sets the timer
    expect(allowed("direct", "member", "read_receipts")).toBe(true);
    expect(allowed("saved", "member", "read_receipts")).toBe(false);
  });

  test("space channels are closed until spaces define their roles", () => {
    for (const r of roles) expect(allowed("space_channel", r, "read")).toBe(false);
  });

  test("read receipts only in small groups", () => {
    expect(allowed("group", "member", "read_receipts", limits.readReceiptsMembersMax)).toBe(true);
    expect(allowed("group", "member", "read_receipts", limits.readReceiptsMembersMax + 1)).toBe(false);
  });

  test("a sole owner may leave", () => {
    expect(allowed("group", "owner", "leave", 1)).toBe(true);
  });

  test("actions on other members follow rank", () => {
    const rows = (kind: "group" | "channel", d: "remove_member" | "promote" | "demote") =>
      roles.map((actor) => roles.map((target) => allowed(kind, actor, { do: d, target })));
    for (const kind of ["group", "channel"] as const) {
      // rows: actor owner/admin/member; columns: target owner/admin/member
      expect(rows(kind, "remove_member")).toEqual([[false, true, true], [false, false, true], [false, false, false]]);
      expect(rows(kind, "promote")).toEqual([[false, false, true], [false, false, false], [false, false, false]]);
      expect(rows(kind, "demote")).toEqual([[false, true, false], [false, false, false], [false, false, false]]);
    }
    expect(allowed("direct", "member", { do: "remove_member", target: "member" })).toBe(false);
  });
});

const code = (f: () => void) => {
  try {
    f();
  } catch (e) {
    return (e as AppError).code;
  }
  return "ok";
};

describe("requireRight and checkMessage", () => {
  test("stranger: not_found; member without right: forbidden", () => {
    expect(code(() => requireRight({ userId: "u1", chat: chat("group"), membership: null }, "read"))).toBe("not_found");
    expect(code(() => requireRight({ userId: "u1", chat: chat("group"), membership: member("member") }, "edit_info"))).toBe("forbidden");
    expect(code(() => requireRight({ userId: "u1", chat: chat("group"), membership: member("admin") }, "edit_info"))).toBe("ok");
  });

  const msg = (senderId: string, extra: Partial<Message> = {}): Message => ({
    id: "m1", chatId: "c1", seq: 1, senderId, clientId: null, text: "hi", entities: [], replyToId: null,
    forward: null, silent: false, createdAt: 0, editedAt: null, deletedAt: null, ...extra,
  });

  test("edit: author only, not forwarded, not deleted", () => {
    const c = chat("group");
    expect(code(() => checkMessage("u1", "edit")(c, member("member"), msg("u1")))).toBe("ok");
    expect(code(() => checkMessage("u1", "edit")(c, member("owner"), msg("u2")))).toBe("forbidden");
    const fwd = msg("u1", { forward: { chatId: "c9", messageId: "m9", senderId: "u9", at: 0 } });
    expect(code(() => checkMessage("u1", "edit")(c, member("member"), fwd))).toBe("forbidden");
    expect(code(() => checkMessage("u1", "edit")(c, member("member"), msg("u1", { deletedAt: 1 })))).toBe("not_found");
    expect(code(() => checkMessage("u1", "edit")(c, null, msg("u1")))).toBe("not_found");
  });

  test("delete for everyone: author, or admin in groups and channels", () => {
    expect(code(() => checkMessage("u1", "delete")(chat("group"), member("member"), msg("u1")))).toBe("ok");
    expect(code(() => checkMessage("u1", "delete")(chat("group"), member("member"), msg("u2")))).toBe("forbidden");
    expect(code(() => checkMessage("u1", "delete")(chat("group"), member("admin"), msg("u2")))).toBe("ok");
    expect(code(() => checkMessage("u1", "delete")(chat("channel"), member("admin"), msg("u2")))).toBe("ok");
    expect(code(() => checkMessage("u1", "delete")(chat("direct"), member("member"), msg("u2")))).toBe("forbidden");
    expect(code(() => checkMessage("u1", "delete_for_me")(chat("direct"), member("member"), msg("u2")))).toBe("ok");
  });
});

describe("a blocked user in the blocker's direct chat", () => {
  const actor = (blocked: boolean) => ({ userId: "u1", chat: chat("direct", 2), membership: member("member"), blocked });

  test("may read and manage their own view, not reach the peer", () => {
    const reach: Action[] = ["send", "react", "pin_message", "call_join", "call_camera", "call_screen"];
    const keep: Action[] = ["read", "personal", "list_members", "list_reactors", "read_receipts"];
    expect(reach.map((a) => can(actor(true), a))).toEqual(reach.map(() => false));
    expect(reach.map((a) => can(actor(false), a))).toEqual(reach.map(() => true));
    expect(keep.map((a) => can(actor(true), a))).toEqual(keep.map(() => true));
  });

  test("is told `blocked` for what the block takes away, `forbidden` for what was never theirs", () => {
    const code = (a: Action) => {
      try {
        requireRight(actor(true), a);
        return "ok";
      } catch (e) {
        return (e as AppError).code;
      }
    };
    expect([code("send"), code("react"), code("pin_message"), code("call_join"), code("edit_info"), code("read")]).toEqual([
      "blocked", "blocked", "blocked", "blocked", "forbidden", "ok",
    ]);
  });

  test("the blocker may still write, but not call until they unblock (a call needs both)", () => {
    const blocker = { ...actor(false), blocking: true };
    expect((["send", "react", "pin_message", "read"] as Action[]).map((a) => can(blocker, a))).toEqual([true, true, true, true]);
    expect((["call_join", "call_camera", "call_screen"] as Action[]).map((a) => can(blocker, a))).toEqual([false, false, false]);
    expect(() => requireRight(blocker, "call_join")).toThrow("unblock them to call");
    // Blocks change nothing in groups.
    const inGroup = { userId: "u1", chat: chat("group"), membership: member("member"), blocked: true, blocking: true };
    expect(can(inGroup, "call_join") && can(inGroup, "send")).toBe(true);
  });
});

describe("adding someone to a group or channel", () => {
  const candidate = (over: Partial<AddCandidate>): AddCandidate => ({ userId: "u2", blockedActor: false, groupAdd: "everyone", sharesChat: false, ...over });
  const outcome = (c: AddCandidate) => {
    try {
      mayAdd([c]);
      return "ok";
    } catch (e) {
      return (e as AppError).code;
    }
  };

  test("the setting: everyone, contacts (a shared chat), nobody; a block always refuses", () => {
    const rows = (["everyone", "contacts", "nobody"] as const).map((groupAdd) => [
      outcome(candidate({ groupAdd })),
      outcome(candidate({ groupAdd, sharesChat: true })),
      outcome(candidate({ groupAdd, sharesChat: true, blockedActor: true })),
    ]);
    expect(rows).toEqual([
      ["ok", "ok", "privacy_restricted"],
      ["privacy_restricted", "ok", "privacy_restricted"],
      ["privacy_restricted", "privacy_restricted", "privacy_restricted"],
    ]);
  });

  test("the refusal names everyone refused, and not why", () => {
    const err = (() => {
      try {
        mayAdd([candidate({ userId: "a", blockedActor: true }), candidate({ userId: "b" }), candidate({ userId: "c", groupAdd: "nobody" })]);
      } catch (e) {
        return e as AppError;
      }
    })();
    expect([err?.code, err?.message, err?.data]).toEqual(["privacy_restricted", "Some of these people cannot be added by you", { userIds: ["a", "c"] }]);
    expect(() => mayAdd([])).not.toThrow();
  });
});
