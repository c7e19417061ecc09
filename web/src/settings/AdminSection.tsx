// Server administration for owners and admins: registration mode, the server directory,
// account invites and the user list — everyday admin work without the CLI.
import { createResource, createSignal, For, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { createGuard } from "../ui/guard.ts";
import { call, status } from "../net/connection.ts";
import { api } from "../net/http.ts";
import { Section } from "../ui/Section.tsx";
import { AdminUsers } from "./AdminUsers.tsx";
import { Invites } from "./Invites.tsx";

type Mode = "open" | "invite" | "closed";

export function AdminSection() {
  const [info, { refetch: refetchInfo }] = createResource(() => api.info().catch(() => null));
  const [settings, { mutate }] = createResource(() => status() === "online" || null, () => call("server.settings", {}).catch(() => undefined));
  const { error, setError, guard } = createGuard();
  const setMode = (mode: Mode) => guard(call("registration.set", { mode }).then(() => refetchInfo()));
  const setDirectory = (enabled: boolean) => guard(call("server.setDirectory", { enabled }).then((r) => mutate(r)));
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
      <label class="check">
        <input type="checkbox" name="directory" checked={settings()?.directory ?? true} onChange={(e) => void setDirectory(e.currentTarget.checked)} />
        {t("directorySetting")}
      </label>
      <p class="hint">{t("directoryHint")}</p>
      <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
      <Invites />
      <AdminUsers />
    </Section>
  );
}
