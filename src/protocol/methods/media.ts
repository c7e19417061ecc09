// Media methods over WebSocket: your storage usage, the admins' view of the server's,
// and chat pictures. Uploads and downloads are HTTP (../media.ts); a user's own
// picture is `profile.update { avatarId }` (./accounts.ts).
import { type Static, Type } from "@sinclair/typebox";
import { ChatIdSchema, ChatSchema } from "./chats.ts";
import { MediaStatsSchema, MediaUsageSchema } from "../media.ts";

const Empty = Type.Object({});
const MediaIdSchema = Type.String({ minLength: 1, maxLength: 64 });

export const mediaMethods = {
  /** Your media storage: used bytes against your quota, the per-file bound. */
  "media.usage": { params: Empty, result: MediaUsageSchema },
  /** Admin: the server's media storage, blobs, orphans and the heaviest users. */
  "media.stats": { params: Empty, result: MediaStatsSchema },
  /** A group's or channel's picture (who may: like chat.rename); avatarId is your finished "avatar" upload, null removes it. */
  "chat.set_avatar": {
    params: Type.Object({ chatId: ChatIdSchema, avatarId: Type.Union([MediaIdSchema, Type.Null()]) }),
    result: Type.Object({ chat: ChatSchema }),
  },
} as const;

export type MediaMethodName = keyof typeof mediaMethods;
export type MediaParams<M extends MediaMethodName> = Static<(typeof mediaMethods)[M]["params"]>;
export type MediaResult<M extends MediaMethodName> = Static<(typeof mediaMethods)[M]["result"]>;
