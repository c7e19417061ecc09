// Forward a message to one or more chats (searchable, at most forwardTargetsMax), with
// an optional comment sent before it in each; the copies keep their origin.
import "./compose.css";
import { createMemo, createSignal, For, Show } from "solid-js";
import { createStore } from "solid-js/store";
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";
import { titleOf } from "../chats/ChatList.tsx";
import { errorOf, t } from "../i18n/index.ts";
import { openChat } from "../home/nav.ts";
import { request } from "../net/connection.ts";
import { orderedChats } from "../sync/state.ts";
import { state } from "../sync/store.ts";
import { Avatar } from "../ui/Avatar.tsx";
import { Dialog } from "../ui/Dialog.tsx";
import { type ForwardPlan, forwardTargets, forwardTargetsMax, forwardToAll } from "./forward.ts";

export function ForwardDialog(props: { message: WireMessage; onClose: () => void }) {
  const [error, setError] = createSignal("");
  const [query, setQuery] = createSignal("");
  const [comment, setComment] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [picked, setPicked] = createStore<Record<string, ForwardPlan | undefined>>({});
  const targets = createMemo(() => forwardTargets(orderedChats(state), query(), titleOf));
  const chosen = () => Object.values(picked).filter((p): p is ForwardPlan => p !== undefined);
  const toggle = (chatId: string) => {
    if (picked[chatId]) setPicked(chatId, undefined);
    else if (chosen().length < forwardTargetsMax) setPicked(chatId, { chatId, commentClientId: crypto.randomUUID(), forwardClientId: crypto.randomUUID() });
  };
  const send = async () => {
    const plans = chosen();
    if (plans.length === 0 || busy()) return;
    setBusy(true);
    setError("");
    const { failed, error: first } = await forwardToAll(plans, { chatId: props.message.chatId, messageId: props.message.id }, comment(), (m, p) => request(m, p as never));
    setBusy(false);
    for (const p of plans) if (!failed.includes(p.chatId)) setPicked(p.chatId, undefined);
    if (failed.length > 0) {
      const names = failed.map((id) => (state.chats[id] ? titleOf(state.chats[id]!) : id)).join(", ");
      setError(`${t("forwardFailed", { names })} (${errorOf(first)})`);
      return;
    }
    props.onClose();
    if (plans.length === 1) openChat(plans[0]!.chatId);
  };
  return (
    <Dialog title={t("forwardTo")} onClose={props.onClose}>
      <div class="forward-dialog">
        <input type="search" name="forward-search" class="forward-search" placeholder={t("forwardSearch")} aria-label={t("forwardSearch")} value={query()} onInput={(e) => setQuery(e.currentTarget.value)} />
        <ul class="forward-list" aria-label={t("forwardTo")}>
          <For each={targets()} fallback={<li class="empty-list">{t("noResults")}</li>}>
            {(e) => (
              <li>
                <label class={picked[e.chat.id] ? "chat-row forward-row picked" : "chat-row forward-row"}>
                  <input type="checkbox" checked={picked[e.chat.id] !== undefined} onChange={() => toggle(e.chat.id)} />
                  <Avatar id={e.peerId ?? e.chat.id} name={titleOf(e)} size={36} />
                  <span class="row-title">{titleOf(e)}</span>
                </label>
              </li>
            )}
          </For>
        </ul>
        <textarea name="forward-comment" rows="2" class="forward-comment" placeholder={t("forwardComment")} aria-label={t("forwardComment")} value={comment()} onInput={(e) => setComment(e.currentTarget.value)} />
        <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
        <div class="forward-actions">
          <span class="muted">{t("forwardSelected", { count: chosen().length })}</span>
          <button type="button" disabled={chosen().length === 0 || busy()} onClick={() => void send()}>{t("forwardSend")}</button>
        </div>
      </div>
    </Dialog>
  );
}
