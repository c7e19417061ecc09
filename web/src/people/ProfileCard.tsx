// A person's card: avatar (initials), display name, @username, bio and a Message button
// that opens (or starts) the direct chat. The profile is fetched fresh (user.get).
import { createResource, createSignal, Show } from "solid-js";
import { openDirectWith } from "../chats/actions.ts";
import { openChat } from "../home/nav.ts";
import { errorOf, t } from "../i18n/index.ts";
import { request } from "../net/connection.ts";
import { mutate, state } from "../sync/store.ts";
import { Avatar } from "../ui/Avatar.tsx";
import { Dialog } from "../ui/Dialog.tsx";
import { closeProfile } from "./profile.ts";

export function ProfileCard(props: { userId: string }) {
  const [user] = createResource(
    () => props.userId,
    (id) =>
      request("user.get", { userId: id })
        .then((u) => {
          mutate((s) => void (s.users[u.id] = u));
          return u;
        })
        .catch(() => state.users[id] ?? null),
  );
  const [error, setError] = createSignal("");
  const message = async () => {
    setError("");
    try {
      openChat(await openDirectWith(props.userId));
      closeProfile();
    } catch (e) {
      setError(errorOf(e));
    }
  };
  return (
    <Dialog title={t("profile")} onClose={closeProfile}>
      <Show when={user()} fallback={<p class="hint">{t("working")}</p>}>
        {(u) => (
          <div class="profile-card">
            <Avatar id={u().id} name={u().displayName} size={88} />
            <h3 class="profile-name">{u().displayName}</h3>
            <Show when={u().username}><p class="hint profile-username">@{u().username}</p></Show>
            <Show when={u().bio}><p class="profile-bio">{u().bio}</p></Show>
            {/* a Deleted account (no username) cannot be written to anew */}
            <Show when={u().id !== state.me?.id && u().username}>
              <button type="button" onClick={() => void message()}>{t("message")}</button>
            </Show>
            <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
          </div>
        )}
      </Show>
    </Dialog>
  );
}
