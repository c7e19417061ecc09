// Chat info, for owners and admins: the import's senders, each a placeholder or mapped to
// a member; choosing a member (or "placeholder") remaps all of that sender's messages
// (chat.import_map). Also the entry to import more history into this chat.
import "./imports.css";
import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import { t, tn } from "../i18n/index.ts";
import { onEvent } from "../sync/store.ts";
import { nameOf } from "../sync/users.ts";
import { members } from "../chats/members.ts";
import { importAuthors, mapAuthor } from "./actions.ts";
import { ImportDialog } from "./ImportDialog.tsx";

export function ImportedSenders(props: { chatId: string; guard: (p: Promise<unknown>) => Promise<void> }) {
  const [authors, { refetch }] = createResource(() => props.chatId, (chatId) => importAuthors(chatId).catch(() => []));
  const [importing, setImporting] = createSignal(false);
  onCleanup(onEvent((type, d) => type === "chat.imported" && (d as { chat: { id: string } }).chat.id === props.chatId && void refetch()));
  return (
    <section class="info-section" aria-label={t("importSenders")}>
      <Show when={(authors() ?? []).length > 0}>
        <h3>{t("importSenders")}</h3>
        <ul class="import-map">
          <For each={authors()}>
            {(a) => (
              <li>
                <label>
                  <span class="import-author" title={a.name}>{a.name} <span class="muted">({tn("importAuthorCount", a.messages)})</span></span>
                  <select name="map-author" aria-label={a.name} onChange={(e) => void props.guard(mapAuthor(props.chatId, a.name, e.currentTarget.value || null).then(() => refetch()))}>
                    {/* selected per option: a select's value set before its options exist picks the first */}
                    <option value="" selected={a.userId === null}>{t("importPlaceholder")}</option>
                    <For each={members[props.chatId] ?? []}>{(m) => <option value={m.userId} selected={m.userId === a.userId}>{nameOf(m.userId)}</option>}</For>
                  </select>
                </label>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <button type="button" class="secondary wide" onClick={() => setImporting(true)}>{t("importHistory")}</button>
      <Show when={importing()}>
        <ImportDialog chatId={props.chatId} onClose={() => { setImporting(false); void refetch(); }} />
      </Show>
    </section>
  );
}
