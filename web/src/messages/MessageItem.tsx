// One message bubble: sender (first of a group), reply quote, forward label, text,
// reactions, time, edited mark and ticks; a toolbar (hover or keyboard focus) for actions,
// and on touch screens (no hover) an action sheet opened by a tap or a long press.
import { createSignal, For, onCleanup, Show } from "solid-js";
import { showProfile } from "../people/profile.ts";
import type { WireMessage } from "../../../src/protocol/methods/chats.ts";
import { shortTime } from "../chats/format.ts";
import { hueOf } from "../chats/view.ts";
import { errorOf, t } from "../i18n/index.ts";
import { state } from "../sync/store.ts";
import { nameOf } from "../sync/users.ts";
import { Avatar } from "../ui/Avatar.tsx";
import { Dialog } from "../ui/Dialog.tsx";
import { Icon } from "../ui/Icon.tsx";
import { deleteMessage, pinMessage, toggleReaction } from "./actions.ts";
import { EmojiPicker, FullEmojiPicker } from "./EmojiPicker.tsx";
import { copyText } from "./copy.ts";
import { ReactorsDialog } from "./ReactorsDialog.tsx";
import { ForwardDialog } from "./ForwardDialog.tsx";
import { MessageSheet, type SheetAction } from "./MessageSheet.tsx";
import { lastInput } from "./input.ts";
import { quickReactions } from "./emoji.ts";
import { Markdown } from "./Markdown.tsx";
import { plainText } from "./markdown.ts";
import { isReadByPeers } from "./ticks.ts";
import { messageUrl } from "../home/routes.ts";
import { LinkPreviewOf, MessageMedia } from "../media/MessageMedia.tsx";
import { VoiceAttachments } from "../voice/VoiceMessage.tsx";
import { secondsLabel } from "../retention/retention.ts";
import { authorKey, authorName, isOwn, isPlaceholder } from "../imports/author.ts";
import { ImportedMark } from "../imports/ImportedMark.tsx";

export interface MessageProps {
  m: WireMessage;
  first: boolean;
  last: boolean;
  showSender: boolean;
  canPin: boolean;
  canDeleteForAll: boolean;
  onReply: (m: WireMessage) => void;
  onEdit: (m: WireMessage) => void;
  onJump: (seq: number) => void;
  onJumpToId: (messageId: string) => void;
  onError: (text: string) => void;
}

// One toolbar in the whole history: the message last pointed at or focused owns it, so a
// focused message and a hovered one never both show theirs.
const [toolsOwner, setToolsOwner] = createSignal<string | null>(null);

/** Opens a popover downwards, or upwards when the history has no room below the message
 * (the last message sits right over the composer), then scrolls it fully into view. */
function placePopover(pop: HTMLElement): void {
  requestAnimationFrame(() => {
    const box = pop.closest(".history")?.getBoundingClientRect();
    if (box && pop.getBoundingClientRect().bottom > box.bottom) pop.classList.add("up");
    pop.scrollIntoView({ block: "nearest" });
  });
}

export function MessageItem(props: MessageProps) {
  const mine = () => isOwn(props.m, state.me?.id);
  const author = () => authorName(props.m, nameOf);
  const deleted = () => props.m.deletedAt !== null;
  const [picking, setPicking] = createSignal(false);
  const [deleting, setDeleting] = createSignal(false);
  const [forwarding, setForwarding] = createSignal(false);
  // the action toolbar exists only while pointed at or focused: fewer DOM nodes per message
  const tools = () => toolsOwner() === props.m.id;
  const setTools = (on: boolean) => {
    if (on) setToolsOwner(props.m.id);
    else if (tools()) setToolsOwner(null);
  };
  onCleanup(() => setTools(false));
  const [sheet, setSheet] = createSignal(false);
  const [fullPick, setFullPick] = createSignal(false);
  const [reactors, setReactors] = createSignal<string | null>(null); // the emoji whose reactors show
  const [copied, setCopied] = createSignal(false);
  // who reacted: everyone in direct chats and groups, admins in channels (as the server allows)
  const canSeeReactors = () => {
    const e = state.chats[props.m.chatId];
    return e?.chat.kind !== "channel" || e.me.role !== "member";
  };
  const copy = async () => {
    const ok = await copyText(props.m.text);
    if (!ok) return props.onError(t("copyFailed"));
    setCopied(true);
    setTimeout(() => setCopied(false), 1500);
  };
  const replied = () => (props.m.replyToId ? state.windows[props.m.chatId]?.items.find((x) => x.id === props.m.replyToId) : undefined);
  const pinned = () => (state.pins[props.m.chatId] ?? []).some((p) => p.messageId === props.m.id);
  const guard = (p: Promise<unknown>) => p.catch((e) => props.onError(errorOf(e)));
  const react = (emoji: string) => {
    setPicking(false);
    void guard(toggleReaction(props.m.chatId, props.m.id, emoji));
  };
  // a link to this message (/chat/<id>/message/<seq>): opening it jumps here
  const copyLink = () =>
    void guard(navigator.clipboard.writeText(messageUrl(location.origin, props.m.chatId, props.m.seq)));
  const actions = (): SheetAction[] => [
    { label: t("reply"), icon: "reply", run: () => props.onReply(props.m) },
    { label: t("copyText"), icon: "copy", run: () => void copy() },
    { label: t("forward"), icon: "forward", run: () => setForwarding(true) },
    ...(mine() && !props.m.forward && !props.m.imported ? [{ label: t("edit"), icon: "edit" as const, run: () => props.onEdit(props.m) }] : []),
    ...(props.canPin ? [{ label: pinned() ? t("unpin") : t("pin"), icon: "pin" as const, run: () => void guard(pinMessage(props.m.chatId, props.m.id, !pinned())) }] : []),
    ...((props.m.reactions ?? []).length > 0 && canSeeReactors() ? [{ label: t("whoReacted"), icon: "smile" as const, run: () => setReactors(props.m.reactions![0]!.emoji) }] : []),
    { label: t("copyLink"), icon: "link", run: copyLink },
    { label: t("delete"), icon: "trash", run: () => setDeleting(true), danger: true },
  ];
  // a touch tap on the message itself (not on a link, quote or reaction inside it)
  const touchOpen = (e: MouseEvent) => {
    if (lastInput() !== "touch" || deleted() || (e.target as Element).closest("a, button, input, textarea, label, dialog, .msg-tools")) return;
    e.preventDefault();
    setSheet(true);
  };
  const cls = () => ["msg", mine() ? "mine" : "theirs", props.first ? "first" : "", props.last ? "last" : "", deleted() ? "deleted" : ""].join(" ");

  return (
    <div
      class={cls()}
      data-seq={props.m.seq}
      data-id={props.m.id}
      role="article"
      aria-label={t("messageFrom", { name: author() })}
      aria-haspopup={deleted() ? undefined : "dialog"}
      tabindex="0"
      onPointerEnter={(e) => setTools(e.pointerType !== "touch")}
      onMouseLeave={(e) => setTools(e.currentTarget.contains(document.activeElement))}
      onFocusIn={() => setTools(lastInput() !== "touch")}
      onClick={touchOpen}
      onContextMenu={touchOpen}
      onFocusOut={(e) => setTools(e.currentTarget.contains(e.relatedTarget as Node | null) || e.currentTarget.matches(":hover"))}
    >
      <Show when={props.showSender && !mine()}>
        <div class="msg-avatar">
          <Show when={props.last}>
            <Avatar id={authorKey(props.m)} name={author()} size={34} />
          </Show>
        </div>
      </Show>
      <div class="bubble">
        <Show when={props.showSender && props.first && !mine()}>
          <Show when={!isPlaceholder(props.m)} fallback={<span class="sender" style={{ "--hue": String(hueOf(authorKey(props.m))) }}>{author()}</span>}>
            <button type="button" class="sender link-plain" style={{ "--hue": String(hueOf(props.m.senderId)) }} onClick={(e) => {
              e.stopPropagation(); // a tap on the name opens the card, not the message's action sheet
              showProfile(props.m.senderId);
            }}>{author()}</button>
          </Show>
        </Show>
        <Show when={props.m.forward}>
          {(f) => <div class="forwarded"><Icon name="forward" size={14} /> {t("forwardedFrom", { name: nameOf(f().senderId) })}</div>}
        </Show>
        <Show when={props.m.replyToId && !deleted()}>
          <button type="button" class="reply-quote" onClick={() => (replied() ? props.onJump(replied()!.seq) : props.onJumpToId(props.m.replyToId!))}>
            <span class="reply-name">{replied() ? authorName(replied()!, nameOf) : t("reply")}</span>
            <span class="reply-text">{replied() ? plainText(replied()!.text) || t("deletedMessage") : t("olderMessage")}</span>
          </button>
        </Show>
        <MessageMedia m={props.m} />
        <Show when={!deleted()}><VoiceAttachments attachments={props.m.attachments} mine={mine()} bare={!props.m.text.trim()} /></Show>
        <div class="text">
          <Show when={!deleted()} fallback={<em class="muted">{t("deletedMessage")}</em>}>
            <Markdown text={props.m.text} />
          </Show>
          <Show when={props.m.imported && props.m.imported.missingFiles > 0 && !deleted()}>
            <em class="muted missing-files">{t("filesNotInExport", { count: props.m.imported!.missingFiles })}</em>
          </Show>
          <span class="meta">
            <Show when={props.m.imported}>{(i) => <ImportedMark source={i().source} />}</Show>
            <Show when={pinned()}>
              <Icon name="pin" size={12} />
            </Show>
            <Show when={props.m.editedAt && !deleted()}>
              <span>{t("edited")}</span>
            </Show>
            <Show when={props.m.expiresAt !== undefined && !deleted()}>
              {/* its own timer, stamped at send: a later change of the chat's timer does not move it */}
              <span class="timer-mark" role="img" aria-label={t("disappearsAfter", { duration: secondsLabel(Math.round((props.m.expiresAt! - props.m.createdAt) / 1000)) })}>
                <Icon name="timer" size={12} />
              </span>
            </Show>
            <time dateTime={new Date(props.m.createdAt).toISOString()}>{shortTime(props.m.createdAt)}</time>
            <Show when={mine() && !deleted()}>
              <Show when={isReadByPeers(props.m.chatId, props.m.seq)} fallback={<span class="tick" role="img" aria-label={t("sent")} title={t("sent")}><Icon name="check" size={14} /></span>}>
                <span class="tick read" role="img" aria-label={t("read")} title={t("read")}><Icon name="checks" size={14} /></span>
              </Show>
            </Show>
          </span>
        </div>
        <LinkPreviewOf m={props.m} />
        <Show when={(props.m.reactions ?? []).length > 0}>
          <div class="reactions">
            <For each={props.m.reactions}>
              {(r) => (
                <button
                  type="button"
                  class={r.mine ? "reaction mine" : "reaction"}
                  aria-pressed={r.mine}
                  aria-label={t("reactionCount", { emoji: r.emoji, count: r.count })}
                  title={canSeeReactors() ? t("whoReacted") : undefined}
                  onClick={() => react(r.emoji)}
                  onContextMenu={(e) => {
                    // a right click or a long press on a reaction: who put it there
                    e.preventDefault();
                    e.stopPropagation();
                    if (canSeeReactors()) setReactors(r.emoji);
                  }}
                >
                  {r.emoji} <span>{r.count}</span>
                </button>
              )}
            </For>
          </div>
        </Show>
      </div>
      <div class="msg-tools-anchor">
      <Show when={tools() && lastInput() !== "touch" && !deleted()}>
        <div class="msg-tools" role="toolbar" aria-label={t("messageActions")}>
          <button type="button" class="icon-btn" aria-label={t("react")} onClick={() => setPicking(!picking())}><Icon name="smile" size={18} /></button>
          <button type="button" class="icon-btn" aria-label={t("reply")} onClick={() => props.onReply(props.m)}><Icon name="reply" size={18} /></button>
          <button type="button" class="icon-btn" aria-label={t("forward")} onClick={() => setForwarding(true)}><Icon name="forward" size={18} /></button>
          <Show when={mine() && !props.m.forward && !props.m.imported}>
            <button type="button" class="icon-btn" aria-label={t("edit")} onClick={() => props.onEdit(props.m)}><Icon name="edit" size={18} /></button>
          </Show>
          <Show when={props.canPin}>
            <button type="button" class="icon-btn" aria-label={pinned() ? t("unpin") : t("pin")} onClick={() => void guard(pinMessage(props.m.chatId, props.m.id, !pinned()))}><Icon name="pin" size={18} /></button>
          </Show>
          <button type="button" class="icon-btn" aria-label={t("copyLink")} onClick={copyLink}><Icon name="link" size={18} /></button>
          <button type="button" class="icon-btn" aria-label={t("delete")} onClick={() => setDeleting(true)}><Icon name="trash" size={18} /></button>
        </div>
      </Show>
      </div>
      <Show when={picking()}>
        <div class="reaction-pop" ref={placePopover}>
          <EmojiPicker set={[...quickReactions, "🔥", "👀"]} onPick={react} onClose={() => setPicking(false)} onMore={() => { setPicking(false); setFullPick(true); }} />
        </div>
      </Show>
      <Show when={sheet()}>
        <MessageSheet actions={actions()} onReact={react} onMore={() => setFullPick(true)} onClose={() => setSheet(false)} />
      </Show>
      <Show when={fullPick()}>
        <Dialog title={t("react")} onClose={() => setFullPick(false)}>
          <FullEmojiPicker onPick={(e) => { setFullPick(false); react(e); }} onClose={() => setFullPick(false)} />
        </Dialog>
      </Show>
      <Show when={reactors()}>
        {(emoji) => <ReactorsDialog chatId={props.m.chatId} messageId={props.m.id} reactions={props.m.reactions ?? []} initial={emoji()} onClose={() => setReactors(null)} />}
      </Show>
      <Show when={copied()}>
        <span class="copied-note" role="status">{t("copied")}</span>
      </Show>
      <Show when={forwarding()}>
        <ForwardDialog message={props.m} onClose={() => setForwarding(false)} />
      </Show>
      <Show when={deleting()}>
        <Dialog title={t("deleteMessage")} onClose={() => setDeleting(false)}>
          <div class="stack">
            <button type="button" class="secondary" onClick={() => { setDeleting(false); void guard(deleteMessage(props.m.chatId, props.m.id, false)); }}>{t("deleteForMe")}</button>
            <Show when={mine() || props.canDeleteForAll}>
              <button type="button" class="danger" onClick={() => { setDeleting(false); void guard(deleteMessage(props.m.chatId, props.m.id, true)); }}>{t("deleteForEveryone")}</button>
            </Show>
          </div>
        </Dialog>
      </Show>
    </div>
  );
}
