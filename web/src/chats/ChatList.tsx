// The sidebar: search, filters and the chat rows (most recent first, pinned on top).
import { mediaLabel } from "../media/label.ts";
import { createMemo, createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { loadMoreChats } from "./actions.ts";
import type { ChatEntry } from "../../../src/protocol/methods/chats.ts";
import { t, tn } from "../i18n/index.ts";
import { openChat, selectedChat, setSettingsOpen } from "../home/nav.ts";
import { orderedChats } from "../sync/state.ts";
import { outboxItems, state } from "../sync/store.ts";
import { nameOf } from "../sync/users.ts";
import { Avatar } from "../ui/Avatar.tsx";
import { Icon } from "../ui/Icon.tsx";
import { listTime } from "./format.ts";
import { NewChatDialog } from "./NewChatDialog.tsx";
import { authorName, isOwn } from "../imports/author.ts";
import { presenceMark, typingText } from "./presence.ts";
import { voicePreview } from "../voice/preview.ts";
import { type ChatFilter, chatTitle, filterChats, pendingPreview, previewText } from "./view.ts";
import { now } from "../ui/clock.ts";
import { CallIndicator } from "../calls/ChatCallButtons.tsx";
import { DraftPreview, hasDraftPreview } from "../drafts/DraftPreview.tsx";
import { EmptyChats } from "../people/InviteCard.tsx";
import { quietChat } from "../notifications/rules.ts";
import { NotifyOffer } from "../notifications/PermissionBanner.tsx";

/** An imported message whose files the export left out has nothing else to show. */
const missingPreview = (m: { imported?: { missingFiles: number } } | null | undefined) =>
  m?.imported && m.imported.missingFiles > 0 ? t("filesNotInExport", { count: m.imported.missingFiles }) : "";

export const titleOf = (e: ChatEntry) => chatTitle(e, nameOf, t("savedMessages"));

export function ChatList() {
  const [query, setQuery] = createSignal("");
  const [filter, setFilter] = createSignal<ChatFilter>("all");
  const [creating, setCreating] = createSignal(false);
  const rows = createMemo(() => filterChats(orderedChats(state), filter(), query(), titleOf));
  let search!: HTMLInputElement;
  // Ctrl/Cmd+K: search; Alt+↑/↓: previous/next chat in the list
  const onKey = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === "k") {
      e.preventDefault();
      search.focus();
    } else if (e.altKey && (e.key === "ArrowUp" || e.key === "ArrowDown")) {
      const list = rows();
      const at = list.findIndex((x) => x.chat.id === selectedChat());
      const next = list[at < 0 ? 0 : Math.max(0, Math.min(list.length - 1, at + (e.key === "ArrowDown" ? 1 : -1)))];
      if (next) {
        e.preventDefault();
        openChat(next.chat.id);
      }
    }
  };
  onMount(() => document.addEventListener("keydown", onKey));
  onCleanup(() => document.removeEventListener("keydown", onKey));
  const filters: ChatFilter[] = ["all", "unread", "groups", "archived"];
  const filterLabel = (f: ChatFilter) => ({ all: t("filterAll"), unread: t("filterUnread"), groups: t("filterGroups"), archived: t("filterArchived") })[f];

  return (
    <nav class="sidebar" aria-label={t("chats")}>
      <header class="sidebar-head">
        <button type="button" class="icon-btn" aria-label={t("settings")} onClick={() => setSettingsOpen(true)}>
          <Icon name="menu" />
        </button>
        <div class="search">
          <Icon name="search" size={16} />
          <input ref={search} type="search" placeholder={t("search")} aria-label={t("search")} value={query()} onInput={(e) => setQuery(e.currentTarget.value)} />
        </div>
        <button type="button" class="icon-btn accent" aria-label={t("newChat")} onClick={() => setCreating(true)}>
          <Icon name="plus" />
        </button>
      </header>
      <div class="filters" role="tablist" aria-label={t("filterChats")}>
        <For each={filters}>
          {(f) => (
            <button type="button" role="tab" aria-selected={filter() === f} class={filter() === f ? "chip active" : "chip"} onClick={() => setFilter(f)}>
              {filterLabel(f)}
            </button>
          )}
        </For>
      </div>
      <NotifyOffer />
      <ul class="chat-rows">
        <For each={rows()} fallback={<EmptyChats searching={query() !== "" || filter() !== "all"} />}>
          {(e) => <ChatRow entry={e} />}
        </For>
        <Show when={state.hasMoreChats && filter() !== "unread"}>
          <li>
            <button type="button" class="link wide" onClick={() => void loadMoreChats()}>{t("moreChats")}</button>
          </li>
        </Show>
      </ul>
      <Show when={creating()}>
        <NewChatDialog onClose={() => setCreating(false)} />
      </Show>
    </nav>
  );
}

function ChatRow(props: { entry: ChatEntry }) {
  const typing = () => typingText(props.entry.chat.id, now());
  // a message written offline shows here at once, with its clock, until it is stored
  const outbox = () => pendingPreview(outboxItems.items, props.entry.chat.id);
  const active = () => selectedChat() === props.entry.chat.id;
  // muted (for a while or forever) or set to "nothing": a bell mark and a grey count
  const quiet = () => quietChat(props.entry.me, now());
  // "You: …" for your own last message, "Ann: …" in groups
  const senderLabel = () => {
    const m = props.entry.lastMessage;
    if (!m || props.entry.chat.kind === "saved") return "";
    if (isOwn(m, state.me?.id)) return t("you");
    return props.entry.chat.kind === "group" ? authorName(m, nameOf) : "";
  };
  return (
    <li>
      <button type="button" class={active() ? "chat-row active" : "chat-row"} aria-current={active() ? "true" : undefined} onClick={() => openChat(props.entry.chat.id)}>
        <Avatar id={props.entry.peerId ?? props.entry.chat.id} name={titleOf(props.entry)} online={props.entry.chat.kind === "direct" && presenceMark(props.entry.peerId)} />
        <span class="row-main">
          <span class="row-top">
            <span class="row-title">{titleOf(props.entry)}</span>
            <CallIndicator chatId={props.entry.chat.id} />
            <Show when={quiet()}>
              <span class="muted-mark" role="img" title={t("muted")} aria-label={t("muted")}>🔕</span>
            </Show>
            <span class="row-time">{outbox() ? listTime(outbox()!.at) : props.entry.lastMessage ? listTime(props.entry.lastMessage.createdAt) : ""}</span>
          </span>
          <span class="row-bottom">
            <Show when={typing()} fallback={<Show when={outbox()} fallback={<Show when={hasDraftPreview(props.entry.chat.id, active())} fallback={<span class="row-preview">
                <Show when={senderLabel()}><span class="row-sender">{senderLabel()}: </span></Show>
                {previewText(props.entry) || voicePreview(props.entry.lastMessage, t("voiceMessage")) || mediaLabel(props.entry.lastMessage) || missingPreview(props.entry.lastMessage) || t("noMessagesYet")}
              </span>}><DraftPreview chatId={props.entry.chat.id} /></Show>}>
                {(o) => (
                  <span class="row-preview pending-preview">
                    <span class={o().failed ? "tick failed" : "tick"} role="img" aria-label={o().failed ? t("failed") : t("pending")}><Icon name={o().failed ? "alert" : "clock"} size={13} /></span>
                    <span class="row-sender">{t("you")}: </span>{o().text}
                  </span>
                )}
              </Show>}>
              <span class="row-preview typing">{typing()}</span>
            </Show>
            <Show when={props.entry.me.pinnedAt !== null && props.entry.unreadCount === 0}>
              <span class="pin-mark" role="img" aria-label={t("pinned")}><Icon name="pin" size={14} /></span>
            </Show>
            <Show when={props.entry.unreadMentionCount > 0}>
              <span class="badge mention" role="img" aria-label={tn("mentionsCount", props.entry.unreadMentionCount)}>@</span>
            </Show>
            <Show when={props.entry.unreadCount > 0}>
              <span class={quiet() ? "badge quiet" : "badge"} role="img" aria-label={tn("unreadCount", props.entry.unreadCount)}>
                {props.entry.unreadCount}
              </span>
            </Show>
          </span>
        </span>
      </button>
    </li>
  );
}
