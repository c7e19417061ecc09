// Server administration for owners and admins: registration mode and account invites.
import { createResource, createSignal, For, Show } from "solid-js";
import { errorOf, t } from "../i18n/index.ts";
import { call, status } from "../net/connection.ts";
import { api } from "../net/http.ts";
import { Section } from "../ui/Section.tsx";

type Mode = "open" | "invite" | "closed";

export function AdminSection() {
  const [info, { refetch: refetchInfo }] = createResource(() => api.info().catch(() => null));
  // fetched when online and after a reconnect; a disconnect mid-call is not a page error
  const [invites, { refetch }] = createResource(() => status() === "online" || null, () => call("invite.list", {}).then((r) => r.invites).catch(() => undefined));
  const [created, setCreated] = createSignal<string | null>(null);
  const [error, setError] = createSignal("");
  const guard = async (p: Promise<unknown>) => {
    setError("");
    try {
      await p;
    } catch (e) {
      setError(errorOf(e));
    }
  };
  const setMode = (mode: Mode) => guard(call("registration.set", { mode }).then(() => refetchInfo()));
  const create = () => guard(call("invite.create", { clientId: crypto.randomUUID(), maxUses: 1 }).then((r) => {
    setCreated(r.url);
    void refetch();
  }));
  const modes: Mode[] = ["open", "invite", "closed"];
  const modeLabel = (m: Mode) => ({ open: t("registrationOpen"), invite: t("registrationInvite"), closed: t("registrationClosedMode") })[m];
  return (
    <Section title={t("administration")}>
      <label>
        {t("registrationMode")}
        <select name="registration" value={info()?.registration ?? "open"} onChange={(e) => void setMode(e.currentTarget.value as Mode)}>
          <For each={modes}>{(m) => <option value={m}>{modeLabel(m)}</option>}</For>
        </select>
      </label>
      <Show when={created()}>
        {(url) => (
          <div class="created-link">
            <input readOnly value={url()} name="invite-url" aria-label={t("inviteLink")} onFocus={(e) => e.currentTarget.select()} />
            <button type="button" onClick={() => void guard(navigator.clipboard.writeText(url()))}>{t("copy")}</button>
          </div>
        )}
      </Show>
      <button type="button" class="secondary" onClick={() => void create()}>{t("createInvite")}</button>
      <ul class="link-list">
        <For each={(invites() ?? []).filter((i) => i.revokedAt === null)}>
          {(i) => (
            <li>
              <span>{t("linkUses", { uses: i.uses })}{i.maxUses ? ` / ${i.maxUses}` : ""}</span>
              <button type="button" class="link danger-text" onClick={() => void guard(call("invite.revoke", { inviteId: i.id }).then(() => refetch()))}>{t("revoke")}</button>
            </li>
          )}
        </For>
      </ul>
      <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
    </Section>
  );
}
