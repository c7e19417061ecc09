// Settings: profile, appearance (theme, language), notifications, privacy, two-factor, sessions, admin
// (registration mode, invites) and signing out. Each section is its own small component.
import { createResource, createSignal, For, Show } from "solid-js";
import type { WirePrivacy } from "../../../src/protocol/methods/presence.ts";
import { errorOf, type Lang, languageNames, lang, locale, setLang, t, catalogs } from "../i18n/index.ts";
import { fileSize } from "../media/logic.ts";
import { request, status } from "../net/connection.ts";
import { api } from "../net/http.ts";
import { session } from "../sync/session.ts";
import { mutate, signOutLocally, state } from "../sync/store.ts";
import { Dialog } from "../ui/Dialog.tsx";
import { Field } from "../ui/Field.tsx";
import { setTheme, type Theme, theme } from "../ui/theme.ts";
import { AdminSection } from "./AdminSection.tsx";
import { AvatarEditor } from "../avatars/AvatarEditor.tsx";
import { PasswordSection } from "./PasswordSection.tsx";
import { SecuritySection } from "./SecuritySection.tsx";
import { DataSection } from "./DataSection.tsx";
import { Section } from "../ui/Section.tsx";
import { dropSubscription } from "../notifications/push.ts";
import { NotifySettings } from "../notifications/NotifySettings.tsx";

export function Settings(props: { onClose: () => void }) {
  const admin = () => state.me?.role === "owner" || state.me?.role === "admin";
  const signOut = async () => {
    const current = session();
    // the server forgets this device's push subscription (it would with the session anyway)
    await Promise.race([dropSubscription(true), new Promise((r) => setTimeout(r, 1500))]);
    signOutLocally();
    if (current) await api.logout(current.accessToken).catch(() => undefined); // signed out locally either way
  };
  return (
    <Dialog title={t("settings")} onClose={props.onClose} wide routed>
      <div class="settings">
        <ProfileSection />
        <AppearanceSection />
        <NotifySettings />
        <PrivacySection />
        <PasswordSection />
        <SecuritySection />
        <DataSection />
        <Show when={admin()}>
          <AdminSection />
        </Show>
        <button type="button" class="danger wide" onClick={signOut}>{t("signOut")}</button>
      </div>
    </Dialog>
  );
}

function ProfileSection() {
  const [name, setName] = createSignal(state.me?.displayName ?? "");
  const [bio, setBio] = createSignal(state.me?.bio ?? "");
  const [note, setNote] = createSignal("");
  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    try {
      const me = await request("profile.update", { displayName: name().trim(), bio: bio() });
      mutate((s) => void (s.me = me));
      setNote(t("saved"));
    } catch (err) {
      setNote(errorOf(err));
    }
  };
  const setAvatar = async (avatarId: string | null) => {
    const me = await request("profile.update", { avatarId });
    mutate((s) => void (s.me = me));
  };
  return (
    <Section title={t("profile")}>
      <Show when={state.me}>{(me) => <AvatarEditor id={me().id} name={me().displayName || me().username} size={88} onSet={setAvatar} />}</Show>
      <form onSubmit={save}>
        <p class="hint">@{state.me?.username}</p>
        <Field label={t("displayNameLabel")} name="displayName" value={name()} onInput={setName} />
        <label>
          {t("bio")}
          <textarea name="bio" rows="3" value={bio()} onInput={(e) => setBio(e.currentTarget.value)} />
        </label>
        <button type="submit">{t("save")}</button>
        <Show when={note()}><p class="hint" role="status">{note()}</p></Show>
      </form>
      <StorageUsage />
    </Section>
  );
}

/** The person's own media usage against media.userQuotaBytes (issue 14: usage visible to the
 *  user, not only to admins). Asked again when online and after the picture changes. */
function StorageUsage() {
  const [usage] = createResource(
    () => (status() === "online" ? (state.me?.avatar?.id ?? "none") : null),
    // a usage line that cannot be read is left out, not an error on the settings screen
    () => request("media.usage", {}).catch(() => null),
  );
  return (
    <Show when={usage.latest}>
      {(u) => (
        <p class="hint storage-usage">
          {u().limitBytes > 0
            ? t("storageUsed", { used: fileSize(u().usedBytes, locale()), limit: fileSize(u().limitBytes, locale()) })
            : t("storageUsedNoLimit", { used: fileSize(u().usedBytes, locale()) })}
        </p>
      )}
    </Show>
  );
}

function AppearanceSection() {
  const themes: Theme[] = ["system", "light", "dark"];
  const themeLabel = (x: Theme) => ({ system: t("themeSystem"), light: t("themeLight"), dark: t("themeDark") })[x];
  return (
    <Section title={t("appearance")}>
      <div class="segmented" role="radiogroup" aria-label={t("theme")}>
        <For each={themes}>
          {(x) => (
            <button type="button" role="radio" aria-checked={theme() === x} class={theme() === x ? "chip active" : "chip"} onClick={() => setTheme(x)}>
              {themeLabel(x)}
            </button>
          )}
        </For>
      </div>
      <label>
        {t("language")}
        <select name="language" value={lang()} onChange={(e) => setLang(e.currentTarget.value as Lang)}>
          <For each={Object.keys(catalogs) as Lang[]}>{(l) => <option value={l}>{languageNames[l]}</option>}</For>
        </select>
      </label>
    </Section>
  );
}

function PrivacySection() {
  const [note, setNote] = createSignal("");
  const options = ["everyone", "contacts", "nobody"] as const;
  const label = (v: string) => ({ everyone: t("everyone"), contacts: t("contacts"), nobody: t("nobody") })[v] ?? v;
  const set = async (patch: Partial<WirePrivacy>) => {
    try {
      const privacy = await request("privacy.set", patch);
      mutate((s) => void (s.privacy = privacy));
      setNote(t("saved"));
    } catch (err) {
      setNote(errorOf(err));
    }
  };
  const select = (key: keyof WirePrivacy, title: string) => (
    <label>
      {title}
      <select name={key} value={state.privacy?.[key] ?? "everyone"} onChange={(e) => set({ [key]: e.currentTarget.value as WirePrivacy[typeof key] })}>
        <For each={options}>{(o) => <option value={o}>{label(o)}</option>}</For>
      </select>
    </label>
  );
  return (
    <Section title={t("privacy")}>
      {select("lastSeen", t("whoSeesLastSeen"))}
      {select("readReceipts", t("whoSeesReadReceipts"))}
      {select("groupAdd", t("whoMayAddMe"))}
      <p class="hint">{t("contactsMeans")}</p>
      <Show when={note()}><p class="hint" role="status">{note()}</p></Show>
    </Section>
  );
}

