// Shown while the connection is down; the client reconnects (and resumes) by itself.
import { Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { status } from "../net/connection.ts";

export function OfflineBanner() {
  return (
    <Show when={status() === "offline"}>
      <div class="offline-banner" role="status">{t("offline")}</div>
    </Show>
  );
}
