// Which tiles the call shows: everyone's camera (or avatar), plus each shared screen.
// Mine come from the local tracks, the others' from their consumers.
import { nameOf } from "../sync/users.ts";
import { t } from "../i18n/index.ts";
import type { RemoteTrack } from "./media.ts";
import type { CurrentCall } from "./state.ts";
import type { Local } from "./store.ts";
import type { TileInfo } from "./Tile.tsx";

export function tilesOf(c: CurrentCall, meId: string, local: Local, remote: Map<string, RemoteTrack>): { people: TileInfo[]; screens: TileInfo[] } {
  const byUser = new Map<string, { camera?: MediaStreamTrack; screen?: MediaStreamTrack }>();
  for (const r of remote.values()) {
    if (r.kind !== "video" || !c.producers[r.producerId]) continue;
    const u = byUser.get(r.userId) ?? {};
    if (r.source === "camera") u.camera = r.track;
    if (r.source === "screen") u.screen = r.track;
    byUser.set(r.userId, u);
  }
  const ids = [meId, ...Object.keys(c.participants).filter((id) => id !== meId)];
  const people: TileInfo[] = [];
  const screens: TileInfo[] = [];
  for (const id of ids) {
    const me = id === meId;
    const p = c.participants[id];
    const name = me ? t("callYou") : nameOf(id);
    const tracks = me ? { camera: local.camera ?? undefined, screen: local.screen ?? undefined } : (byUser.get(id) ?? {});
    const muted = me ? local.muted : (p?.muted ?? false);
    const deafened = me ? local.deafened : (p?.deafened ?? false);
    people.push({ key: `${id}:camera`, userId: id, name, screen: false, me, track: tracks.camera ?? null, muted, deafened });
    if (tracks.screen) screens.push({ key: `${id}:screen`, userId: id, name: me ? t("callYou") : nameOf(id), screen: true, me, track: tracks.screen, muted, deafened });
  }
  return { people, screens };
}
