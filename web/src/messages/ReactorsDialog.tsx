// Who reacted with what: one tab per emoji on the message, the people behind it (by
// reaction.list, a page at a time). Channels show it to their admins only (the server
// refuses subscribers, who would otherwise learn each other's names).
import "./compose.css";
import { createEffect, createSignal, For, on, Show } from "solid-js";
import { createStore } from "solid-js/store";
import { errorOf, t } from "../i18n/index.ts";
import { request } from "../net/connection.ts";
import { nameOf } from "../sync/users.ts";
import { Avatar } from "../ui/Avatar.tsx";
import { Dialog } from "../ui/Dialog.tsx";

const pageSize = 50;

interface Page {
  users: { userId: string; at: number }[];
  hasMore: boolean;
}

export function ReactorsDialog(props: { chatId: string; messageId: string; reactions: { emoji: string; count: number }[]; initial?: string; onClose: () => void }) {
  const [tab, setTab] = createSignal(props.initial ?? props.reactions[0]?.emoji ?? "");
  const [pages, setPages] = createStore<Record<string, Page>>({});
  const [error, setError] = createSignal("");
  const load = async (emoji: string, more = false) => {
    const have = pages[emoji];
    const afterUserId = more ? have?.users.at(-1)?.userId : undefined;
    try {
      const r = await request("reaction.list", { chatId: props.chatId, messageId: props.messageId, emoji, limit: pageSize, ...(afterUserId ? { afterUserId } : {}) });
      setPages(emoji, { users: [...(more ? (have?.users ?? []) : []), ...r.users], hasMore: r.hasMore });
    } catch (e) {
      setError(errorOf(e));
    }
  };
  createEffect(on(tab, (emoji) => { if (emoji && !pages[emoji]) void load(emoji); }));
  return (
    <Dialog title={t("whoReacted")} onClose={props.onClose}>
      <div class="reactor-tabs" role="tablist" aria-label={t("reactions")}>
        <For each={props.reactions}>
          {(r) => (
            <button type="button" role="tab" class="reactor-tab" aria-selected={tab() === r.emoji} aria-label={t("reactionCount", { emoji: r.emoji, count: r.count })} onClick={() => setTab(r.emoji)}>
              {r.emoji} {r.count}
            </button>
          )}
        </For>
      </div>
      <ul class="reactor-list" aria-label={t("reactedWith", { emoji: tab() })}>
        <For each={pages[tab()]?.users ?? []}>
          {(u) => (
            <li>
              <Avatar id={u.userId} name={nameOf(u.userId)} size={32} />
              <span class="reactor-name">{nameOf(u.userId)}</span>
            </li>
          )}
        </For>
      </ul>
      <Show when={pages[tab()]?.hasMore}>
        <button type="button" class="link wide" onClick={() => void load(tab(), true)}>{t("loadMore")}</button>
      </Show>
      <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
    </Dialog>
  );
}
