// Signed-in devices: see them, revoke any but this one.
import { createResource, For, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { call, status } from "../net/connection.ts";

export function SessionsList() {
  // fetched when online and again after a reconnect; a call cut off by a disconnect must not
  // reject into the page (an uncaught "Not connected"): the reconnect fetches it anew
  const [list, { refetch }] = createResource(() => status() === "online" || null, () => call("session.list", {}).then((r) => r.sessions).catch(() => undefined));
  const revoke = (id: string) => call("session.revoke", { sessionId: id }).then(() => refetch(), () => undefined);
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
