// Find people by name or username prefix (user.search: people you share a chat with,
// plus the server directory when an admin left it on). A tap on a result opens the
// person's profile card; searches are debounced and a stale answer never wins.
import { createSignal, For, onCleanup, Show } from "solid-js";
import type { PublicUser } from "../../../src/protocol/methods/accounts.ts";
import { t } from "../i18n/index.ts";
import { request } from "../net/connection.ts";
import { mutate } from "../sync/store.ts";
import { Avatar } from "../ui/Avatar.tsx";
import { showProfile } from "./profile.ts";

const DEBOUNCE_MS = 150;

export function PeopleSearch(props: { value: string; onInput: (v: string) => void }) {
  const [found, setFound] = createSignal<PublicUser[]>([]);
  const [searched, setSearched] = createSignal("");
  let timer: ReturnType<typeof setTimeout> | undefined;
  let seq = 0;
  const search = (q: string) => {
    clearTimeout(timer);
    const query = q.trim().replace(/^@/, "");
    if (!query) {
      setFound([]);
      setSearched("");
      return;
    }
    timer = setTimeout(async () => {
      const mine = ++seq;
      const r = await request("user.search", { query }).catch(() => ({ users: [] as PublicUser[] }));
      if (mine !== seq) return;
      mutate((s) => r.users.forEach((u) => (s.users[u.id] = u)));
      setFound(r.users);
      setSearched(query);
    }, DEBOUNCE_MS);
  };
  onCleanup(() => clearTimeout(timer));
  return (
    <div class="people-search">
      <label>
        {t("findPeople")}
        <input type="search" name="peer" value={props.value} placeholder={t("findPeopleHint")} autocomplete="off" onInput={(e) => {
          props.onInput(e.currentTarget.value);
          search(e.currentTarget.value);
        }} />
      </label>
      <ul class="people-results" aria-label={t("people")}>
        <For each={found()}>
          {(u) => (
            <li>
              <button type="button" class="person-row" onClick={() => showProfile(u.id)}>
                <Avatar id={u.id} name={u.displayName} size={36} avatar={u.avatar ?? null} />
                <span class="person-names">
                  <span class="row-title">{u.displayName}</span>
                  <span class="hint">@{u.username}</span>
                </span>
              </button>
            </li>
          )}
        </For>
      </ul>
      <Show when={searched() && found().length === 0}><p class="hint">{t("noPeopleFound")}</p></Show>
    </div>
  );
}
