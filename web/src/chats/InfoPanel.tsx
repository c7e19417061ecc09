// The chat info panel: who and what the chat is, your flags (archive, pin), notifications (level, mute), message timers, members
// with roles and admin actions, invite links, leaving, and blocking the peer of a direct chat.
import { CopyLink } from "../ui/CopyLink.tsx";
import { showProfile } from "../people/profile.ts";
import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import type { WireInviteLink } from "../../../src/protocol/methods/invite-links.ts";
import { t, tn } from "../i18n/index.ts";
import { createGuard } from "../ui/guard.ts";
import { openChat, setInfoOpen, setSelectedChat } from "../home/nav.ts";
import { request } from "../net/connection.ts";
import { mutate, onEvent, state } from "../sync/store.ts";
import { nameOf, user } from "../sync/users.ts";
import { Avatar } from "../ui/Avatar.tsx";
import { AvatarEditor } from "../avatars/AvatarEditor.tsx";
import { Field } from "../ui/Field.tsx";
import { Icon } from "../ui/Icon.tsx";
import { openDirectWith, resolveUsernames, setArchived, setPinned } from "./actions.ts";
import { ChatNotify } from "../notifications/ChatNotify.tsx";
import { titleOf } from "./ChatList.tsx";
import { loadMoreMembers, mayListMembers, members, moreMembers } from "./members.ts";
import { presenceMark, presenceText } from "./presence.ts";
import { MediaTab } from "../media/MediaTab.tsx";
import { RetentionSettings } from "../retention/RetentionSettings.tsx";
import { ImportedSenders } from "../imports/ImportedSenders.tsx";

export function InfoPanel(props: { chatId: string }) {
  const entry = () => state.chats[props.chatId];
  const { error, setError, guard } = createGuard();
  const isAdmin = () => entry()?.me.role === "owner" || entry()?.me.role === "admin";
  const isGroup = () => entry()?.chat.kind === "group" || entry()?.chat.kind === "channel";

  return (
    <Show when={entry()}>
      {(e) => (
        <aside class="info-panel" aria-label={t("chatInfo")}>
          <header class="info-head">
            <h2>{t("chatInfo")}</h2>
            <button type="button" class="icon-btn" aria-label={t("close")} onClick={() => setInfoOpen(false)}><Icon name="close" /></button>
          </header>
          <div class="info-hero">
            {/* groups and channels: whoever may rename it may change its picture */}
            <Show when={isGroup() && isAdmin()} fallback={<Avatar id={e().peerId ?? e().chat.id} name={titleOf(e())} size={80} online={e().chat.kind === "direct" && presenceMark(e().peerId)} />}>
              <AvatarEditor id={e().chat.id} name={titleOf(e())} size={80} onSet={(avatarId) => request("chat.set_avatar", { chatId: props.chatId, avatarId })} />
            </Show>
            <h3>{titleOf(e())}</h3>
            <Show when={e().chat.kind === "direct" && e().peerId}>
              {(peer) => (
                <>
                  <p class="muted">{user(peer())?.username ? `@${user(peer())!.username} · ` : ""}{presenceText(peer())}</p>
                  <Show when={user(peer())?.bio}><p class="bio">{user(peer())!.bio}</p></Show>
                </>
              )}
            </Show>
            <Show when={isGroup()}>
              <p class="muted">{tn(e().chat.kind === "channel" ? "subscribers" : "membersCount", e().chat.memberCount)}</p>
              <Show when={e().chat.description}><p class="bio">{e().chat.description}</p></Show>
            </Show>
          </div>
          <Show when={isGroup() && isAdmin()}>
            <EditChat chatId={props.chatId} title={e().chat.title} description={e().chat.description} guard={guard} />
          </Show>
          <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
          <div class="info-actions">
            <button type="button" class="toggle" aria-pressed={e().me.pinnedAt !== null} onClick={() => guard(setPinned(props.chatId, e().me.pinnedAt === null))}>{e().me.pinnedAt !== null ? t("unpinChat") : t("pinChat")}</button>
            <button type="button" class="toggle" aria-pressed={e().me.archived} onClick={() => guard(setArchived(props.chatId, !e().me.archived))}>{e().me.archived ? t("unarchive") : t("archive")}</button>
          </div>
          <Show when={e().chat.kind !== "saved"}>
            <ChatNotify chatId={props.chatId} guard={guard} />
          </Show>
          <RetentionSettings entry={e()} guard={guard} />
          <MediaTab chatId={props.chatId} />
          <Show when={e().chat.kind === "direct" && e().peerId}>{(peer) => <BlockButton userId={peer()} guard={guard} />}</Show>
          <Show when={isGroup()}>
            <Show when={mayListMembers(props.chatId)}>
              <Members chatId={props.chatId} admin={isAdmin()} owner={e().me.role === "owner"} guard={guard} />
            </Show>
            <Show when={isAdmin()}><InviteLinks chatId={props.chatId} guard={guard} /></Show>
            <Show when={isAdmin()}><ImportedSenders chatId={props.chatId} guard={guard} /></Show>
            <button type="button" class="danger wide" onClick={() => guard(request("member.leave", { chatId: props.chatId }).then(() => { setSelectedChat(null); mutate((s) => void delete s.chats[props.chatId]); }))}>
              {t("leaveChat")}
            </button>
          </Show>
        </aside>
      )}
    </Show>
  );
}

type Guard = (p: Promise<unknown>) => Promise<void>;

function BlockButton(props: { userId: string; guard: Guard }) {
  const [list, { refetch }] = createResource(() => request("user.block_list", { limit: 1000 }).catch(() => ({ users: [], hasMore: false })));
  const blocked = () => state.blocked[props.userId] ?? list()?.users.some((u) => u.userId === props.userId) ?? false;
  const toggle = () => props.guard((blocked() ? request("user.unblock", { userId: props.userId }) : request("user.block", { userId: props.userId })).then(() => {
    mutate((s) => void (s.blocked[props.userId] = !blocked()));
    void refetch();
  }));
  return <button type="button" class="danger wide" onClick={toggle}>{blocked() ? t("unblockUser") : t("blockUser")}</button>;
}

function Members(props: { chatId: string; admin: boolean; owner: boolean; guard: Guard }) {
  const [adding, setAdding] = createSignal("");
  const add = (e: SubmitEvent) => {
    e.preventDefault();
    void props.guard(resolveUsernames(adding()).then((userIds) => request("member.add", { chatId: props.chatId, userIds })).then(() => setAdding("")));
  };
  const [loadingMore, setLoadingMore] = createSignal(false);
  const more = () => {
    setLoadingMore(true);
    void props.guard(loadMoreMembers(props.chatId)).finally(() => setLoadingMore(false));
  };
  const roleLabel = (r: string) => (r === "owner" ? t("roleOwner") : r === "admin" ? t("roleAdmin") : t("roleMember"));
  return (
    <section class="info-section" aria-label={t("members")}>
      <h3>{t("members")}</h3>
      <Show when={props.admin}>
        <form class="inline-form" onSubmit={add}>
          <Field label={t("addMemberByUsername")} name="add-member" value={adding()} onInput={setAdding} required />
          <button type="submit">{t("add")}</button>
        </form>
      </Show>
      <ul class="member-list">
        <For each={members[props.chatId] ?? []}>
          {(m) => (
            <li>
              <Avatar id={m.userId} name={nameOf(m.userId)} size={36} online={presenceMark(m.userId)} />
              {/* the role on its own line: a long name is cut, the role never is */}
              <button type="button" class="member-name link-plain" onClick={() => showProfile(m.userId)}>
                <span class="member-title" title={nameOf(m.userId)}>{nameOf(m.userId)}</span>
                <span class="member-role muted">{roleLabel(m.role)}</span>
              </button>
              <Show when={m.userId !== state.me?.id}>
                <span class="member-actions">
                  <button type="button" class="icon-btn" aria-label={t("messageUser", { name: nameOf(m.userId) })} onClick={() => props.guard(openDirectWith(m.userId).then(openChat))}><Icon name="send" size={16} /></button>
                  <Show when={props.owner && m.role === "member"}>
                    <button type="button" class="link" onClick={() => props.guard(request("member.promote", { chatId: props.chatId, userId: m.userId }))}>{t("promote")}</button>
                  </Show>
                  <Show when={props.owner && m.role === "admin"}>
                    <button type="button" class="link" onClick={() => props.guard(request("member.demote", { chatId: props.chatId, userId: m.userId }))}>{t("demote")}</button>
                  </Show>
                  <Show when={props.admin && m.role !== "owner"}>
                    <button type="button" class="link danger-text" onClick={() => props.guard(request("member.remove", { chatId: props.chatId, userId: m.userId }))}>{t("remove")}</button>
                  </Show>
                </span>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={moreMembers[props.chatId]}>
        <button type="button" class="secondary wide" name="more-members" disabled={loadingMore()} onClick={more}>{t("showMoreMembers")}</button>
      </Show>
    </section>
  );
}

function InviteLinks(props: { chatId: string; guard: Guard }) {
  const [links, { refetch }] = createResource(() => props.chatId, (chatId) => request("chat.link_list", { chatId }).then((r) => r.links));
  const [created, setCreated] = createSignal<{ url: string; id: string } | null>(null);
  onCleanup(onEvent((type) => type === "chat.link_changed" && void refetch()));
  const create = () => props.guard(request("chat.link_create", { chatId: props.chatId, clientId: crypto.randomUUID() }).then((r) => {
    setCreated({ url: r.url, id: r.link.id });
    void refetch();
  }));
  const describe = (l: WireInviteLink) => t("linkUses", { uses: l.uses }) + (l.expiresAt ? ` · ${t("expires", { date: new Date(l.expiresAt).toLocaleDateString() })}` : "");
  return (
    <section class="info-section" aria-label={t("inviteLinks")}>
      <h3>{t("inviteLinks")}</h3>
      <Show when={created()}>{(c) => <CopyLink url={c().url} label={t("inviteLink")} />}</Show>
      <ul class="link-list">
        <For each={links() ?? []}>
          {(l) => (
            <li>
              <span>{describe(l)}</span>
              <button type="button" class="link danger-text" onClick={() => props.guard(request("chat.link_revoke", { chatId: props.chatId, linkId: l.id }).then(() => refetch()))}>{t("revoke")}</button>
            </li>
          )}
        </For>
      </ul>
      <button type="button" class="secondary" onClick={create}>{t("createInviteLink")}</button>
    </section>
  );
}

function EditChat(props: { chatId: string; title: string; description: string; guard: Guard }) {
  const [open, setOpen] = createSignal(false);
  const [title, setTitle] = createSignal(props.title);
  const [description, setDescription] = createSignal(props.description);
  const save = (e: SubmitEvent) => {
    e.preventDefault();
    const jobs: Promise<unknown>[] = [];
    if (title().trim() !== props.title) jobs.push(request("chat.rename", { chatId: props.chatId, title: title().trim() }));
    if (description() !== props.description) jobs.push(request("chat.describe", { chatId: props.chatId, description: description() }));
    void props.guard(Promise.all(jobs).then(() => setOpen(false)));
  };
  return (
    <Show when={open()} fallback={<button type="button" class="secondary wide edit-chat" onClick={() => setOpen(true)}>{t("editChat")}</button>}>
      <form class="info-section" onSubmit={save}>
        <Field label={t("chatTitle")} name="chat-title" value={title()} onInput={setTitle} required />
        <label>
          {t("description")}
          <textarea name="chat-description" rows="3" value={description()} onInput={(ev) => setDescription(ev.currentTarget.value)} />
        </label>
        <button type="submit">{t("save")}</button>
      </form>
    </Show>
  );
}
