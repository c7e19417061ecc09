// Writing: Enter sends (Shift+Enter for a new line), Up in an empty box edits your last
// message, Escape cancels a reply or edit, @ opens member suggestions, typing is announced
// (throttled). Sends go to the outbox, so they work offline too. The text is the chat's
// draft (drafts/store.ts): restored when the chat opens, saved as you type, followed
// live when another of your devices changes it, emptied by a send.
import { createEffect, createMemo, createSignal, For, on, Show } from "solid-js";
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";
import { draftOf, draftSent, editDraft, hasPendingDraft } from "../drafts/store.ts";
import { errorOf, t } from "../i18n/index.ts";
import { state } from "../sync/store.ts";
import { nameOf } from "../sync/users.ts";
import { Icon } from "../ui/Icon.tsx";
import { editMessage, stopTyping, typing } from "./actions.ts";
import { EmojiPicker } from "./EmojiPicker.tsx";
import { lastEditable, mentionQuery } from "./layout.ts";
import { plainText } from "./markdown.ts";
import { AttachButton } from "../media/AttachButton.tsx";
import { AttachTray } from "../media/AttachTray.tsx";
import { ComposerPreview } from "../media/ComposerPreview.tsx";
import { hasAttachments, sendComposed } from "../media/compose.ts";
import { addPicked, filesOf } from "../media/picked.ts";
import { canRecord } from "../voice/recorder.ts";
import { VoiceRecorder } from "../voice/VoiceRecorder.tsx";

export interface ComposerProps {
  chatId: string;
  memberIds: string[];
  replyTo: WireMessage | null;
  editing: WireMessage | null;
  readOnly: boolean;
  onReply: (m: WireMessage | null) => void;
  onEdit: (m: WireMessage | null) => void;
  onError: (text: string) => void;
}

export function Composer(props: ComposerProps) {
  let box: HTMLTextAreaElement | undefined; // absent while read-only (a channel's subscribers)
  const [text, setText] = createSignal("");
  const [caret, setCaret] = createSignal(0);
  const [emoji, setEmoji] = createSignal(false);
  const [pick, setPick] = createSignal(0);
  let editingId: string | null = null;

  const mention = () => mentionQuery(text(), caret());
  const suggestions = createMemo(() => {
    const q = mention();
    if (!q) return [];
    return props.memberIds
      .filter((id) => id !== state.me?.id)
      .map((id) => ({ id, username: state.users[id]?.username ?? "", name: nameOf(id) }))
      .filter((u) => u.username && (u.username.toLowerCase().startsWith(q.query) || u.name.toLowerCase().startsWith(q.query)))
      .slice(0, 6);
  });

  const setValue = (v: string, at = v.length) => {
    setText(v);
    if (!box) return;
    box.value = v;
    box.setSelectionRange(at, at);
    setCaret(at);
    autosize();
  };
  const autosize = () => {
    if (!box) return;
    box.style.height = "auto";
    box.style.height = `${Math.min(box.scrollHeight, 200)}px`;
    box.style.overflowY = box.scrollHeight > 200 ? "auto" : "hidden"; // no scrollbar beside one line (it squeezed the placeholder on phones)
  };
  // the draft: loaded when the chat opens; a change from another device replaces it
  // unless this device has unsaved typing of its own (or is editing a message)
  createEffect(on(() => props.chatId, (id) => { if (!props.editing) setValue(draftOf(id)); }));
  createEffect(on(() => state.chats[props.chatId]?.draft?.text ?? "", (remote) => {
    if (!props.editing && !hasPendingDraft(props.chatId) && remote !== text()) setValue(remote);
  }, { defer: true }));
  const leaveEdit = () => setValue(draftOf(props.chatId));

  // entering edit mode (from the toolbar or Up) loads the message's text once
  const syncEditing = () => {
    const m = props.editing;
    if (m && m.id !== editingId) {
      editingId = m.id;
      queueMicrotask(() => setValue(m.text));
    } else if (!m) editingId = null;
    return m;
  };

  const complete = (username: string) => {
    const q = mention();
    if (!q) return;
    const v = text();
    const insert = `@${username} `;
    setValue(v.slice(0, q.start) + insert + v.slice(caret()), q.start + insert.length);
    box?.focus();
  };

  const submit = async () => {
    const v = text();
    if (!v.trim() && (props.editing || !hasAttachments(props.chatId))) return;
    const editing = props.editing;
    const reply = props.replyTo;
    const chatId = props.chatId;
    if (!editing) draftSent(chatId);
    setValue(editing ? draftOf(chatId) : "");
    props.onReply(null);
    props.onEdit(null);
    try {
      if (editing) {
        if (v !== editing.text) await editMessage(chatId, editing.id, v);
      } else {
        await sendComposed(chatId, v, reply?.id); // with the tray's files and the link preview
      }
    } catch (e) {
      props.onError(errorOf(e));
    }
  };

  const onKeyDown = (e: KeyboardEvent) => {
    const list = suggestions();
    if (list.length > 0 && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
      e.preventDefault();
      setPick((pick() + (e.key === "ArrowDown" ? 1 : list.length - 1)) % list.length);
      return;
    }
    if (list.length > 0 && (e.key === "Enter" || e.key === "Tab")) {
      e.preventDefault();
      complete(list[Math.min(pick(), list.length - 1)]!.username);
      return;
    }
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      void submit();
    } else if (e.key === "ArrowUp" && text() === "" && !props.editing) {
      const m = lastEditable(state.windows[props.chatId]?.items ?? [], state.me?.id);
      if (m) {
        e.preventDefault();
        props.onEdit(m);
      }
    } else if (e.key === "Escape" && (props.editing || props.replyTo)) {
      // cancels the edit (or else the reply) and nothing more: the chat stays open
      e.preventDefault();
      e.stopPropagation();
      if (props.editing) {
        leaveEdit();
        props.onEdit(null);
      } else props.onReply(null);
    }
  };

  const onInput = (e: InputEvent & { currentTarget: HTMLTextAreaElement }) => {
    setText(e.currentTarget.value);
    setCaret(e.currentTarget.selectionStart);
    setPick(0);
    autosize();
    if (!props.editing) editDraft(props.chatId, e.currentTarget.value);
    if (e.currentTarget.value) typing(props.chatId);
    else stopTyping(props.chatId);
  };

  return (
    <Show when={!props.readOnly} fallback={<div class="composer readonly">{t("channelReadOnly")}</div>}>
      <div class="composer">
        <Show when={syncEditing() ?? props.replyTo}>
          {(m) => (
            <div class="composer-context">
              <Icon name={props.editing ? "edit" : "reply"} size={18} />
              <div class="context-text">
                <strong>{props.editing ? t("editing") : t("replyingTo", { name: nameOf(m().senderId) })}</strong>
                <span>{plainText(m().text)}</span>
              </div>
              <button type="button" class="icon-btn" aria-label={t("cancel")} onClick={() => { if (props.editing) leaveEdit(); props.onEdit(null); props.onReply(null); }}>
                <Icon name="close" size={18} />
              </button>
            </div>
          )}
        </Show>
        <Show when={suggestions().length > 0}>
          <ul class="suggestions" role="listbox" aria-label={t("mentionSuggestions")}>
            <For each={suggestions()}>
              {(u, i) => (
                <li role="option" aria-selected={i() === pick()} class={i() === pick() ? "active" : ""} onMouseDown={(e) => { e.preventDefault(); complete(u.username); }}>
                  <strong>{u.name}</strong> <span class="muted">@{u.username}</span>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show when={emoji()}>
          <div class="composer-emoji">
            <EmojiPicker
              onPick={(em) => {
                const at = caret();
                setValue(text().slice(0, at) + em + text().slice(at), at + em.length);
                if (!props.editing) editDraft(props.chatId, text());
                setEmoji(false);
                box?.focus();
              }}
              onClose={() => { setEmoji(false); box?.focus(); }}
            />
          </div>
        </Show>
        <ComposerPreview chatId={props.chatId} text={text()} off={!!props.editing} />
        <AttachTray chatId={props.chatId} />
        <div class="composer-row">
          <Show when={!props.editing}><AttachButton chatId={props.chatId} /></Show>
          <button type="button" class="icon-btn" aria-label={t("emoji")} aria-expanded={emoji()} onClick={() => setEmoji(!emoji())}>
            <Icon name="smile" />
          </button>
          <textarea
            ref={box}
            rows="1"
            name="message"
            placeholder={t("writeMessage")}
            aria-label={t("writeMessage")}
            onInput={onInput}
            onKeyDown={onKeyDown}
            onPaste={(e) => { const files = props.editing ? [] : filesOf(e.clipboardData); if (files.length) { e.preventDefault(); addPicked(props.chatId, files); } }}
            onClick={(e) => setCaret(e.currentTarget.selectionStart)}
            onKeyUp={(e) => setCaret(e.currentTarget.selectionStart)}
          />
          {/* an empty box (no files either) offers a voice message instead of send (voice/) */}
          <Show when={text().trim() || props.editing || hasAttachments(props.chatId) || !canRecord()} fallback={<VoiceRecorder chatId={props.chatId} replyToId={props.replyTo?.id} onSent={() => props.onReply(null)} onError={props.onError} />}>
            <button type="button" class="send-btn" aria-label={props.editing ? t("save") : t("send")} disabled={!text().trim() && (!!props.editing || !hasAttachments(props.chatId))} onClick={() => void submit()}>
              <Icon name={props.editing ? "check" : "send"} />
            </button>
          </Show>
        </div>
      </div>
    </Show>
  );
}
