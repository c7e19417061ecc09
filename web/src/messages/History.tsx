// The scrolling history of one chat. Only the loaded window (≤ windowMax messages) is in
// the DOM; nearing either end loads the next page and trims the far end, keeping the
// message under the reader's eye in place. Reading to the bottom moves the read pointer.
import { mergeNotices, type NoticeRow } from "../retention/retention.ts";
import { notices } from "../retention/notices.ts";
import { RetentionLine } from "../retention/RetentionLine.tsx";
import { createEffect, createMemo, createSignal, For, Match, on, onCleanup, onMount, Show, Switch } from "solid-js";
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";
import { dayLabel } from "../chats/format.ts";
import { errorText, t } from "../i18n/index.ts";
import { focusSeq, setFocusSeq } from "../home/nav.ts";
import { request } from "../net/connection.ts";
import { onChatReset, onEvent, outboxItems, state } from "../sync/store.ts";
import { PendingMedia } from "../media/PendingMedia.tsx";
import { PendingVoice } from "../voice/PendingVoice.tsx";
import { Icon } from "../ui/Icon.tsx";
import { callRecords, loadCallHistory, watchCallRecords } from "../calls/callHistory.ts";
import { CallEntry } from "../calls/CallEntry.tsx";
import { type CallRow, mergeCallRows, type TimelineRow } from "../calls/entries.ts";
import { discardSend, markRead, retrySend } from "./actions.ts";
import { loadAround, loadNewer, loadOlder, openHistory } from "./history.ts";
import { layoutRows, type Row } from "./layout.ts";
import { Markdown } from "./Markdown.tsx";
import { MessageItem } from "./MessageItem.tsx";

const edgePx = 600;
const scrollRestMs = 1200;
const flashMs = 2500; // long enough to find the highlighted message after a jump
const replySearchPageSize = 200;
const replySearchPagesMax = 10; // looks back at most 2,000 messages for a replied one

export interface HistoryProps {
  chatId: string;
  isGroup: boolean;
  canPin: boolean;
  canDeleteForAll: boolean;
  onReply: (m: WireMessage) => void;
  onEdit: (m: WireMessage) => void;
  onError: (text: string) => void;
}

export function History(props: HistoryProps) {
  let box!: HTMLDivElement;
  const [stick, setStick] = createSignal(true); // at the bottom: new messages keep it there
  let lastTop = 0;
  const win = () => state.windows[props.chatId];
  // a tombstone retention made is not shown at all: the message disappeared
  const rows = createMemo((prev: Row[]) => layoutRows((win()?.items ?? []).filter((m) => !m.expired), prev), []);
  // finished calls placed among the messages by time (never counted as .msg: the window bound holds)
  const timeline = createMemo(
    (prev: TimelineRow[]) => mergeCallRows(rows(), callRecords(props.chatId), { hasBefore: win()?.hasBefore ?? true, hasAfter: win()?.hasAfter ?? true }, prev),
    [],
  );
  const withNotices = createMemo(() => mergeNotices(timeline(), notices[props.chatId] ?? [], timeAt, win()?.hasBefore ?? true));
  const pending = createMemo(() => outboxItems.items.filter((i) => i.chatId === props.chatId && !win()?.items.some((m) => m.clientId === i.clientId)));
  // where the "unread" line goes: fixed at each opening (reading on must not move it), and a
  // chat_reset opens again from the reset entry's read position
  const unreadFrom = (chatId: string) => (state.chats[chatId]?.me.readSeq ?? 0) + 1;
  const [firstUnreadSeq, setFirstUnreadSeq] = createSignal(unreadFrom(props.chatId));
  const hasUnreadMarker = () => (state.chats[props.chatId]?.unreadCount ?? 0) > 0 || firstUnreadSeq() <= (win()?.items.at(-1)?.seq ?? 0);

  const el = (seq: number) => box.querySelector<HTMLElement>(`[data-seq="${seq}"]`);

  // keeps the first visible message where it is while pages are added or trimmed
  async function keepPlace(load: () => Promise<void>): Promise<void> {
    const top = box.getBoundingClientRect().top;
    const anchor = [...box.querySelectorAll<HTMLElement>(".msg")].find((m) => m.getBoundingClientRect().bottom > top);
    const seq = anchor?.dataset.seq;
    const before = anchor?.getBoundingClientRect().top ?? 0;
    await load();
    const again = seq ? el(Number(seq)) : null;
    if (again) box.scrollTop += again.getBoundingClientRect().top - before;
  }

  function scrollToSeq(seq: number, flash = true): boolean {
    const target = el(seq);
    if (!target) return false;
    target.scrollIntoView({ block: "center" });
    if (!flash) return true;
    target.classList.add("flash");
    setTimeout(() => target.classList.remove("flash"), flashMs);
    return true;
  }

  async function jump(seq: number): Promise<void> {
    if (scrollToSeq(seq)) return;
    await loadAround(props.chatId, { seq });
    setStick(false);
    scrollToSeq(seq);
  }

  /** A replied message older than the window: its seq is unknown, so look back page by page (bounded). */
  async function jumpToId(messageId: string): Promise<void> {
    let anchor = win()?.items[0]?.seq;
    for (let page = 0; anchor !== undefined && anchor > 1 && page < replySearchPagesMax; page++) {
      const r = await request("message.list", { chatId: props.chatId, anchor: { seq: anchor }, direction: "before", limit: replySearchPageSize });
      const found = r.messages.find((m) => m.id === messageId);
      if (found) return jump(found.seq);
      if (!r.hasBefore || r.messages.length === 0) return;
      anchor = r.messages[0]!.seq;
    }
  }

  async function toLatest(): Promise<void> {
    if (win()?.hasAfter) await loadAround(props.chatId, "latest");
    setStick(true);
    box.scrollTop = box.scrollHeight;
  }

  function readVisible(): void {
    const w = win();
    if (!w || document.visibilityState !== "visible") return;
    const bottom = box.getBoundingClientRect().bottom;
    let seen = 0;
    for (const m of box.querySelectorAll<HTMLElement>(".msg")) {
      if (m.getBoundingClientRect().top < bottom) seen = Math.max(seen, Number(m.dataset.seq));
    }
    if (seen > 0) void markRead(props.chatId, seen);
  }

  // at the newest end (short chats have no scroll at all): new messages keep it there
  function syncStick(): void {
    const w = win();
    setStick(!!w && !w.hasAfter && box.scrollHeight - box.scrollTop - box.clientHeight < 40);
    lastTop = box.scrollTop;
  }

  // the day pill sticks to the top only while scrolling (CSS), then steps out of the way
  let restTimer: ReturnType<typeof setTimeout> | undefined;
  onCleanup(() => clearTimeout(restTimer));
  let ticking = false;
  function onScroll(): void {
    box.classList.add("scrolling");
    clearTimeout(restTimer);
    restTimer = setTimeout(() => box.classList.remove("scrolling"), scrollRestMs);
    if (ticking) return;
    ticking = true;
    requestAnimationFrame(() => {
      ticking = false;
      const w = win();
      if (!w) return;
      const fromBottom = box.scrollHeight - box.scrollTop - box.clientHeight;
      // only the reader scrolling up unsticks; content growing below must not
      if (fromBottom < 40 && !w.hasAfter) setStick(true);
      else if (box.scrollTop < lastTop - 2 || w.hasAfter) setStick(false);
      lastTop = box.scrollTop;
      if (box.scrollTop < edgePx && w.hasBefore) void keepPlace(() => loadOlder(props.chatId));
      else if (fromBottom < edgePx && w.hasAfter) void keepPlace(() => loadNewer(props.chatId));
      readVisible();
    });
  }

  // opening a chat: load around the first unread (or the newest) and scroll there; a
  // chat_reset of the shown chat dropped its window and does the same again
  createEffect(on(() => props.chatId, (chatId) => openAt(chatId)));
  onCleanup(onChatReset((chatId) => chatId === props.chatId && openAt(chatId)));
  function openAt(chatId: string): void {
    setStick(true);
    setFirstUnreadSeq(unreadFrom(chatId));
    void loadCallHistory(chatId).catch(() => undefined); // the calls are extra: the messages show without them
    // a link to a message (or a jump from another chat) opens around that message
    const linked = focusSeq();
    setFocusSeq(null);
    const opened = linked !== null ? loadAround(chatId, { seq: linked }) : openHistory(chatId);
    void opened.then(() => {
      if (chatId !== props.chatId) return;
      const target = linked ?? (hasUnreadMarker() ? firstUnreadSeq() : null);
      if (target === null || !scrollToSeq(target, linked !== null)) box.scrollTop = box.scrollHeight;
      syncStick();
      readVisible();
    }).catch(() => {
      // not connected yet (the chat came from the offline cache): jump once a window is there
      if (linked !== null && chatId === props.chatId) setFocusSeq(linked);
    });
  }

  // chat.imported drops the window (history written all at once): load the newest again. Said
  // by the event, not read off the window vanishing: a chat_reset drops it too and must not
  // race its opening (first unread) with a second load of the newest
  onCleanup(onEvent((type, data) => {
    if (type !== "chat.imported" || (data as { chat: { id: string } }).chat.id !== props.chatId) return;
    void loadAround(props.chatId, "latest").then(() => (box.scrollTop = box.scrollHeight)).catch(() => undefined);
  }));

  // a jump asked from outside (the pinned bar)
  createEffect(on([focusSeq, () => !!win()], ([seq, loaded]) => {
    if (seq !== null && loaded) {
      setFocusSeq(null);
      void jump(seq);
    }
  }));

  // sending while scrolled up (or far back in history) brings you to your message
  createEffect(on(() => pending().length, (n, prev) => {
    if (n > (prev ?? 0) && !stick()) void toLatest();
  }, { defer: true }));

  // new rows at the bottom: follow them when the reader is at the bottom
  createEffect(on([() => timeline().length, () => pending().length], () => {
    queueMicrotask(() => {
      if (stick()) box.scrollTop = box.scrollHeight;
      readVisible(); // what arrived in view is read, stuck to the bottom or not
    });
  }, { defer: true }));

  const onVisible = () => readVisible();
  onMount(() => document.addEventListener("visibilitychange", onVisible));
  onCleanup(watchCallRecords());
  onCleanup(() => document.removeEventListener("visibilitychange", onVisible));

  return (
    <div class="history-wrap">
      <div class="history" ref={box} onScroll={onScroll} role="log" aria-label={t("messages")} aria-live="polite" tabindex="0">
        <Show when={win() && !win()!.hasBefore}>
          <div class="history-start">{t("historyStart")}</div>
        </Show>
        <For each={withNotices()}>
          {(row) => (
            <Switch>
              <Match when={row.kind === "notice" && (row as NoticeRow)}>{(r) => <RetentionLine notice={r().notice} />}</Match>
              <Match when={row.kind === "call" && (row as CallRow)}>{(r) => <CallEntry rec={r().rec} />}</Match>
              <Match when={row.kind === "day" && (row as Extract<Row, { kind: "day" }>)}>{(r) => <div class="day-sep" role="separator"><span>{dayLabel(r().at)}</span></div>}</Match>
              <Match when={row.kind === "msg" && (row as Extract<Row, { kind: "msg" }>)}>
                {(r) => (
                  <>
                    <Show when={r().m.seq === firstUnreadSeq() && r().m.senderId !== state.me?.id}>
                      <div class="unread-sep" role="separator"><span>{t("unreadMessages")}</span></div>
                    </Show>
                    <MessageItem
                      m={r().m}
                      first={r().first}
                      last={r().last}
                      showSender={props.isGroup}
                      canPin={props.canPin}
                      canDeleteForAll={props.canDeleteForAll}
                      onReply={props.onReply}
                      onEdit={props.onEdit}
                      onJump={(seq) => void jump(seq)}
                      onJumpToId={(id) => void jumpToId(id)}
                      onError={props.onError}
                    />
                  </>
                )}
              </Match>
            </Switch>
          )}
        </For>
        <For each={pending()}>
          {(item) => (
            <div class={`msg mine first last pending ${item.state}`} data-client-id={item.clientId}>
              <div class="bubble">
                <PendingMedia item={item} />
                <PendingVoice item={item} />
                <div class="text">
                  <Markdown text={item.text} />
                  <span class="meta">
                    <Show when={item.state === "failed"} fallback={<span class="tick" role="img" aria-label={t("pending")} title={t("pending")}><Icon name="clock" size={14} /></span>}>
                      <span class="tick failed" role="img" aria-label={t("failed")}><Icon name="alert" size={14} /></span>
                    </Show>
                  </span>
                </div>
                <Show when={item.state === "failed"}>
                  <div class="failed-actions">
                    <span>{item.error ? errorText(item.error, t("notSent")) : t("notSent")}</span>
                    <button type="button" class="link" onClick={() => void retrySend(item.clientId)}>{t("retry")}</button>
                    <button type="button" class="link" onClick={() => void discardSend(item.clientId)}>{t("discard")}</button>
                  </div>
                </Show>
              </div>
            </div>
          )}
        </For>
      </div>
      <Show when={!stick() || win()?.hasAfter}>
        <button type="button" class="to-latest icon-btn" aria-label={t("toLatest")} onClick={() => void toLatest()}>
          <Icon name="down" />
          <Show when={(state.chats[props.chatId]?.unreadCount ?? 0) > 0}>
            <span class="badge">{state.chats[props.chatId]!.unreadCount}</span>
          </Show>
        </button>
      </Show>
    </div>
  );
}

const timeAt = (r: TimelineRow): number => (r.kind === "day" ? r.at : r.kind === "call" ? r.rec.endedAt : r.m.createdAt);
