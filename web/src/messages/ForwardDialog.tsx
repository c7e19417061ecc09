// Forward a message: pick a chat; the copy keeps its origin (message.forward).
import { createMemo, createSignal, For, Show } from "solid-js";
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";
import { titleOf } from "../chats/ChatList.tsx";
import { errorOf, t } from "../i18n/index.ts";
import { openChat } from "../home/nav.ts";
import { call } from "../net/connection.ts";
import { orderedChats } from "../sync/state.ts";
import { state } from "../sync/store.ts";
import { Avatar } from "../ui/Avatar.tsx";
import { Dialog } from "../ui/Dialog.tsx";

export function ForwardDialog(props: { message: WireMessage; onClose: () => void }) {
  const [error, setError] = createSignal("");
  const targets = createMemo(() => orderedChats(state).filter((e) => e.chat.kind !== "channel" || e.me.role !== "member"));
  const forward = async (chatId: string) => {
    try {
      await call("message.forward", { chatId, clientId: crypto.randomUUID(), fromChatId: props.message.chatId, messageId: props.message.id });
      props.onClose();
      openChat(chatId);
    } catch (e) {
      setError(errorOf(e));
    }
  };
  return (
    <Dialog title={t("forwardTo")} onClose={props.onClose}>
      <ul class="forward-list">
        <For each={targets()}>
          {(e) => (
            <li>
              <button type="button" class="chat-row" onClick={() => void forward(e.chat.id)}>
                <Avatar id={e.peerId ?? e.chat.id} name={titleOf(e)} size={36} />
                <span class="row-title">{titleOf(e)}</span>
              </button>
            </li>
          )}
        </For>
      </ul>
      <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
    </Dialog>
  );
}
