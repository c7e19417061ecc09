// One person's signed-in devices, as an admin sees them, each with a sign-out button
// (admin.sessions / admin.revokeSession; the server applies the same rules as disabling).
import { createResource, For, Show } from "solid-js";
import { locale, t } from "../i18n/index.ts";
import { request } from "../net/connection.ts";
import { createGuard } from "../ui/guard.ts";

export function UserSessions(props: { userId: string }) {
  const [sessions, { refetch }] = createResource(() => props.userId, (userId) => request("admin.sessions", { userId }).then((r) => r.sessions));
  const { error, guard } = createGuard();
  const when = (ms: number) => new Date(ms).toLocaleString(locale(), { dateStyle: "medium", timeStyle: "short" });
  return (
    <div class="user-sessions">
      <ul class="user-list">
        <For each={sessions() ?? []} fallback={<li class="hint">{t("userNoDevices")}</li>}>
          {(x) => (
            <li>
              <div class="usage-line">
                <span class="row-title">{x.deviceName}</span>
                <button type="button" class="chip danger-text" onClick={() => void guard(request("admin.revoke_session", { userId: props.userId, sessionId: x.id }).then(() => refetch()))}>
                  {t("signOutDevice")}
                </button>
              </div>
              <span class="hint">{t("deviceSeen", { ip: x.ip, at: when(x.lastSeenAt) })}</span>
            </li>
          )}
        </For>
      </ul>
      <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
    </div>
  );
}
