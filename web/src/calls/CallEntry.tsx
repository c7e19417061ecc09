// One finished call as a centred row in the chat's history: who missed/declined it, or how long it was.
import type { WireCallRecord } from "../../../src/protocol/methods/calls.ts";
import { shortTime } from "../chats/format.ts";
import { t } from "../i18n/index.ts";
import { state } from "../sync/store.ts";
import { nameOf } from "../sync/users.ts";

function entryText(r: WireCallRecord, meId: string | undefined): string {
  const mine = r.startedBy === meId;
  if (r.reason === "missed") return mine ? t("callEntryNoAnswer") : t("callEntryMissedFrom", { name: nameOf(r.startedBy) });
  if (r.reason === "declined") return t("callEntryDeclined");
  if (r.reason === "failed") return t("callEntryFailed");
  return t("callEntryEnded", { minutes: Math.max(1, Math.round((r.endedAt - r.startedAt) / 60_000)) });
}

export function CallEntry(props: { rec: WireCallRecord }) {
  return (
    <div class={`unread-sep call-entry ${props.rec.reason}`} role="note" data-call-id={props.rec.callId}>
      <span>{entryText(props.rec, state.me?.id)} · {shortTime(props.rec.startedAt)}</span>
    </div>
  );
}
