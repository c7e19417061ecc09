// Who may export whose data, and the bounded start of one export: a user exports their
// own; an admin or the owner exports anyone's except that only the owner exports an
// admin's (the rules of accounts/admin.ts). At most limits.exportsRunningMax run at once
// per process and one per exported user; beyond that `unavailable`. The archive is a tar
// stream (tar.ts) of collect.ts's entries, read as it is sent — nothing is staged on disk.
import { AppError, forbidden, notFound } from "../errors.ts";
import { limits } from "../limits.ts";
import type { User } from "../storage/port.ts";
import { type ExportSource, exportEntries } from "./collect.ts";
import { tarStream } from "./tar.ts";

const running = new Set<string>(); // exported user ids

export interface StartedExport {
  user: User;
  filename: string;
  chunks: AsyncGenerator<Uint8Array>;
  /** Frees the slot (idempotent): the stream's end does it, and a cancelled download must. */
  release(): void;
}

const isAdmin = (u: User) => u.role === "owner" || u.role === "admin";

/** The user `actorId` may export: themself, or `targetId` under the rules above. */
export async function exportTarget(src: ExportSource, actorId: string, targetId: string | null): Promise<User> {
  const actor = await src.storage.users.byId(actorId);
  if (!actor || actor.disabled) throw new AppError("unauthenticated", "Unknown or disabled user");
  if (targetId === null || targetId === actor.id) return actor;
  if (!isAdmin(actor)) throw forbidden("Only admins may export another person's data");
  const target = await src.storage.users.byId(targetId);
  if (!target) throw notFound("No such user");
  if (isAdmin(target) && actor.role !== "owner") throw forbidden("Only the owner may export an admin's data");
  return target;
}

/** Starts streaming `user`'s archive; the slot is released when the stream ends or is cancelled. */
export function startExport(src: ExportSource, user: User, by: string): StartedExport {
  if (running.size >= limits.exportsRunningMax) throw new AppError("unavailable", `${limits.exportsRunningMax} exports are running; try again in a few minutes`, { detail: "exports_running" });
  if (running.has(user.id)) throw new AppError("unavailable", "An export of this account is already running", { detail: "export_running" });
  running.add(user.id);
  const release = () => running.delete(user.id);
  const inner = tarStream(exportEntries(src, user, by));
  const chunks = (async function* () {
    try {
      yield* inner;
    } finally {
      release();
    }
  })();
  const day = new Date(src.now()).toISOString().slice(0, 10);
  const name = user.username.replace(/[^A-Za-z0-9._-]+/g, "_");
  return { user, filename: `hearth-export-${name}-${day}.tar`, chunks, release: () => void release() };
}

/** The archive as a web stream (for an HTTP answer); errors after the start end the stream. */
export function exportReadable(started: StartedExport, onError: (err: unknown) => void): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await started.chunks.next();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      } catch (err) {
        started.release();
        onError(err);
        controller.error(err);
      }
    },
    async cancel() {
      started.release();
      await started.chunks.return(undefined);
    },
  }, { highWaterMark: 4 });
}
