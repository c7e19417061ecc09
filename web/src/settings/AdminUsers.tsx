// The user list for admins: searchable by name, paged; per person disable/enable,
// promote/demote, a one-time password-reset link (copy or QR) and deletion (after the
// grace period or at once, with a confirmation; a scheduled one can be cancelled). The server decides
// who may do what (src/accounts/admin.ts); a refusal shows its reason here.
import { createResource, createSignal, For, onMount, Show } from "solid-js";
import type { AdminUser } from "../../../src/protocol/methods/accounts.ts";
import { errorOf, locale, t, tn } from "../i18n/index.ts";
import { api } from "../net/http.ts";
import { createGuard } from "../ui/guard.ts";
import { request } from "../net/connection.ts";
import { state } from "../sync/store.ts";
import { Avatar } from "../ui/Avatar.tsx";
import { CopyLink } from "../ui/CopyLink.tsx";
import { UserSessions } from "./UserSessions.tsx";

const PAGE = 50;

export function AdminUsers() {
  const [query, setQuery] = createSignal("");
  const [users, setUsers] = createSignal<AdminUser[]>([]);
  const [hasMore, setHasMore] = createSignal(false);
  const [reset, setReset] = createSignal<{ userId: string; url: string } | null>(null);
  const [devices, setDevices] = createSignal<string | null>(null); // whose sessions are open
  const [deleting, setDeleting] = createSignal<string | null>(null); // whose deletion is being confirmed
  const [info] = createResource(() => api.info().catch(() => null));
  const graceDays = () => tn("graceDays", Math.round((info()?.deletionGraceMs ?? 0) / 86_400_000));
  const dateOf = (ms: number) => new Intl.DateTimeFormat(locale(), { dateStyle: "medium" }).format(ms);
  const remove = (userId: string) => setUsers(users().filter((x) => x.id !== userId));
  const del = (u: AdminUser, immediate: boolean) =>
    act(request("user.delete", { userId: u.id, immediate }).then((r) => {
      setDeleting(null);
      if (r.purged) remove(u.id);
      else replace({ ...u, deletion: { at: r.deleteAt, by: "admin" } });
    }));
  const { error, setError, guard: act } = createGuard();
  let searchSeq = 0;
  const load = async (more: boolean) => {
    const seq = ++searchSeq;
    const after = more ? users().at(-1)?.username : undefined;
    try {
      const r = await request("user.list", { query: query().trim() || undefined, afterUsername: after, limit: PAGE });
      if (seq !== searchSeq) return; // a newer search answered first
      setUsers(more ? [...users(), ...r.users] : r.users);
      setHasMore(r.hasMore);
    } catch (e) {
      setError(errorOf(e));
    }
  };
  onMount(() => void load(false));
  const replace = (u: AdminUser) => setUsers(users().map((x) => (x.id === u.id ? u : x)));
  const roleLabel = (r: AdminUser["role"]) => ({ owner: t("roleOwner"), admin: t("roleAdmin"), member: t("roleMember") })[r];
  const mayTouch = (u: AdminUser) => u.id !== state.me?.id && u.role !== "owner" && (u.role !== "admin" || state.me?.role === "owner");
  return (
    <div class="admin-users">
      <h4>{t("users")}</h4>
      <input type="search" name="user-search" placeholder={t("searchUsers")} aria-label={t("searchUsers")} value={query()} onInput={(e) => {
        setQuery(e.currentTarget.value);
        void load(false);
      }} />
      <ul class="user-list">
        <For each={users()}>
          {(u) => (
            <li classList={{ disabled: u.disabled }}>
              <div class="user-line">
                <Avatar id={u.id} name={u.displayName} size={36} avatar={u.avatar ?? null} />
                <div class="user-names">
                  <span class="row-title">{u.displayName}</span>
                  <span class="hint">@{u.username} · {roleLabel(u.role)}{u.disabled ? ` · ${t("disabledUser")}` : ""}</span>
                  <Show when={u.deletion}>{(d) => <span class="hint danger-text">{t("deletionScheduled", { date: dateOf(d().at) })}</span>}</Show>
                </div>
              </div>
              <Show when={mayTouch(u)}>
                <div class="row-actions wrap">
                  <Show when={u.role === "member"}>
                    <button type="button" class="chip" onClick={() => void act(request("user.set_role", { userId: u.id, role: "admin" }).then(replace))}>{t("makeServerAdmin")}</button>
                  </Show>
                  <Show when={u.role === "admin"}>
                    <button type="button" class="chip" onClick={() => void act(request("user.set_role", { userId: u.id, role: "member" }).then(replace))}>{t("removeServerAdmin")}</button>
                  </Show>
                  <button type="button" class="chip" aria-expanded={devices() === u.id} onClick={() => setDevices(devices() === u.id ? null : u.id)}>{t("userDevices")}</button>
                  <button type="button" class="chip" onClick={() => void act(request("user.reset_link", { userId: u.id }).then((r) => setReset({ userId: u.id, url: r.url })))}>{t("resetLink")}</button>
                  <button type="button" class={u.disabled ? "chip" : "chip danger-text"} onClick={() => void act(request("user.set_disabled", { userId: u.id, disabled: !u.disabled }).then((p) => replace({ ...u, ...p, disabled: !u.disabled })))}>
                    {u.disabled ? t("enableUser") : t("disableUser")}
                  </button>
                  <Show when={u.deletion} fallback={
                    <button type="button" class="chip danger-text" aria-expanded={deleting() === u.id} onClick={() => setDeleting(deleting() === u.id ? null : u.id)}>{t("deleteUser")}</button>
                  }>
                    <button type="button" class="chip" onClick={() => void act(request("user.cancel_deletion", { userId: u.id }).then(replace))}>{t("cancelDeletion")}</button>
                  </Show>
                </div>
              </Show>
              <Show when={deleting() === u.id}>
                <div class="danger-zone" role="group" aria-label={t("deleteUser")}>
                  <p>{t("deleteUserIntro", { name: u.displayName })}</p>
                  <div class="row-actions wrap">
                    <button type="button" class="danger" onClick={() => void del(u, false)}>{t("deleteUserAfterGrace", { days: graceDays() })}</button>
                    <button type="button" class="danger" onClick={() => void del(u, true)}>{t("deleteUserNow")}</button>
                    <button type="button" class="secondary" onClick={() => setDeleting(null)}>{t("cancel")}</button>
                  </div>
                </div>
              </Show>
              <Show when={devices() === u.id}><UserSessions userId={u.id} /></Show>
              <Show when={reset()?.userId === u.id && reset()}>
                {(r) => (
                  <div class="reset-link">
                    <p class="hint">{t("resetLinkIntro", { name: u.displayName })}</p>
                    <CopyLink url={r().url} label={t("resetLinkFor", { name: u.displayName })} name="reset-url" />
                  </div>
                )}
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={users().length === 0}><p class="hint">{t("noUsersFound")}</p></Show>
      <Show when={hasMore()}><button type="button" class="secondary" onClick={() => void load(true)}>{t("loadMore")}</button></Show>
      <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
    </div>
  );
}
