// Signed-in devices: see them, revoke any but this one.
import { createResource, For, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { call } from "../net/connection.ts";

export function SessionsList() {
  const [list, { refetch }] = createResource(() => call("session.list", {}).then((r) => r.sessions));
  const revoke = (id: string) => call("session.revoke", { sessionId: id }).then(() => refetch());
  return (
    <ul class="session-list">
      <For each={list() ?? []}>
        {(s) => (
          <li>
            <span>
              <strong>{s.deviceName || t("unknownDevice")}</strong>
              <span class="muted"> · {s.ip} · {new Date(s.lastSeenAt).toLocaleString()}</span>
            </span>
            <Show when={!s.current} fallback={<span class="chip active">{t("thisDevice")}</span>}>
              <button type="button" class="link danger-text" onClick={() => void revoke(s.id)}>{t("revoke")}</button>
            </Show>
          </li>
        )}
      </For>
    </ul>
  );
}
