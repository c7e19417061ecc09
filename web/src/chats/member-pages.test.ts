import { describe, expect, test } from "vitest";
import type { WireMember } from "../../../src/protocol/methods/chats.ts";
import { appendMemberPage, type FetchMembers, membersPageSize } from "./member-pages.ts";

// A member.list as the server answers it: sorted by userId, pages capped at `cap`.
function serverOf(count: number, cap: number): { fetch: FetchMembers; calls: number } {
  const all: WireMember[] = Array.from({ length: count }, (_, i) => ({ userId: `u${String(i).padStart(6, "0")}`, role: "member", joinedAt: i }));
  const s = {
    calls: 0,
    fetch: (async ({ afterUserId, limit }) => {
      s.calls++;
      const from = afterUserId ? all.findIndex((m) => m.userId > afterUserId) : 0;
      const start = from < 0 ? all.length : from;
      const page = all.slice(start, start + Math.min(limit, cap));
      return { members: page, hasMore: start + page.length < all.length };
    }) as FetchMembers,
  };
  return s;
}

describe("member list paging", () => {
  test("asks for the server's page size and reports more", async () => {
    const s = serverOf(450, 200);
    const first = await appendMemberPage(s.fetch, "c", []);
    expect(membersPageSize).toBe(200);
    expect(first.members.length).toBe(200);
    expect(first.hasMore).toBe(true);
  });

  test("a 4,500-member chat loads every member when paged until hasMore is false (no stop at 4,000)", async () => {
    const s = serverOf(4_500, 200);
    let page = { members: [] as WireMember[], hasMore: true };
    while (page.hasMore) page = await appendMemberPage(s.fetch, "c", page.members);
    expect(page.members.length).toBe(4_500);
    expect(new Set(page.members.map((m) => m.userId)).size).toBe(4_500);
    expect(s.calls).toBe(23);
  });

  test("an empty page ends the list even if hasMore claims otherwise", async () => {
    const fetch: FetchMembers = async () => ({ members: [], hasMore: true });
    expect(await appendMemberPage(fetch, "c", [])).toEqual({ members: [], hasMore: false });
  });
});
