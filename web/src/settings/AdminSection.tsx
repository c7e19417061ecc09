// The admin console, for owners and admins: people (registration mode, the server
// directory, invites, the user list with each person's devices), storage, IP blocks, the
// audit log and health — everyday admin work without the CLI. One tab at a time, so it
// stays usable at phone width.
import { createResource, createSignal, For, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { createGuard } from "../ui/guard.ts";
import { request, status } from "../net/connection.ts";
import { api } from "../net/http.ts";
import { Section } from "../ui/Section.tsx";
import { AdminUsers } from "./AdminUsers.tsx";
import { Invites } from "./Invites.tsx";
import { AuditPanel, HealthPanel, IpBlocksPanel, StoragePanel } from "./AdminConsole.tsx";
import { type AdminTab, adminTabs } from "./admin-console.ts";

type Mode = "open" | "invite" | "closed";

export function AdminSection() {
  const [info, { refetch: refetchInfo }] = createResource(() => api.info().catch(() => null));
  const [settings, { mutate }] = createResource(() => status() === "online" || null, () => request("server.settings", {}).catch(() => undefined));
  const { error, setError, guard } = createGuard();
  const setMode = (mode: Mode) => guard(request("registration.set", { mode }).then(() => refetchInfo()));
  const setDirectory = (enabled: boolean) => guard(request("server.set_directory", { enabled }).then((r) => mutate(r)));
  const modes: Mode[] = ["open", "invite", "closed"];
  const modeLabel = (m: Mode) => ({ open: t("registrationOpen"), invite: t("registrationInvite"), closed: t("registrationClosedMode") })[m];
  const [tab, setTab] = createSignal<AdminTab>("people");
  const tabLabel = (x: AdminTab) => ({ people: t("adminPeople"), storage: t("adminStorage"), blocks: t("adminBlocks"), audit: t("adminAudit"), health: t("adminHealth") })[x];
  return (
    <Section title={t("administration")}>
      <div class="segmented admin-tabs" role="tablist" aria-label={t("administration")}>
        <For each={adminTabs}>
          {(x) => (
            <button type="button" role="tab" aria-selected={tab() === x} class={tab() === x ? "chip active" : "chip"} onClick={() => setTab(x)}>
              {tabLabel(x)}
            </button>
          )}
        </For>
      </div>
      <Show when={tab() === "storage"}><StoragePanel /></Show>
      <Show when={tab() === "blocks"}><IpBlocksPanel /></Show>
      <Show when={tab() === "audit"}><AuditPanel /></Show>
      <Show when={tab() === "health"}><HealthPanel /></Show>
      <Show when={tab() === "people"}>
      <label>
        {t("registrationMode")}
        <select name="registration" value={info()?.registration ?? "open"} onChange={(e) => void setMode(e.currentTarget.value as Mode)}>
          <For each={modes}>{(m) => <option value={m}>{modeLabel(m)}</option>}</For>
        </select>
      </label>
      <label class="check">
        <input type="checkbox" name="directory" checked={settings()?.directory ?? true} onChange={(e) => void setDirectory(e.currentTarget.checked)} />
        {t("directorySetting")}
      </label>
      <p class="hint">{t("directoryHint")}</p>
      <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
      <Invites />
      <AdminUsers />
      </Show>
    </Section>
  );
}
