// Paging through member.list: the server caps every page at limits.pageSizeMax, so the
// client asks for that much and trusts only `hasMore` — never a page count of its own
// (which once stopped the list silently at 4,000).
import { limits } from "../../../src/limits.ts";
import type { WireMember } from "../../../src/protocol/methods/chats.ts";

export interface MemberPage {
  members: WireMember[];
  hasMore: boolean;
}
export type FetchMembers = (p: { chatId: string; afterUserId?: string; limit: number }) => Promise<MemberPage>;

export const membersPageSize = limits.pageSizeMax;

/** What is loaded plus the next page after its last member; an empty page means the end whatever hasMore says. */
export async function appendMemberPage(fetch: FetchMembers, chatId: string, loaded: readonly WireMember[]): Promise<MemberPage> {
  const r = await fetch({ chatId, afterUserId: loaded.at(-1)?.userId, limit: membersPageSize });
  return { members: [...loaded, ...r.members], hasMore: r.hasMore && r.members.length > 0 };
}
