// Signed-in devices: see them, which get push (with a test notification), revoke any but
// this one (after a confirmation). The list
// follows sign-ins and revocations on other devices live (session.created / session.revoked).
import { createResource, createSignal, For, onCleanup, Show } from "solid-js";
import type { SessionInfo } from "../../../src/protocol/methods/accounts.ts";
import { errorOf, t } from "../i18n/index.ts";
import { pushCall } from "../notifications/server.ts";
import { request, status } from "../net/connection.ts";
import { onEvent } from "../sync/store.ts";
import { Dialog } from "../ui/Dialog.tsx";

export function SessionsList() {
  // fetched when online and again after a reconnect; a call cut off by a disconnect must not
  // reject into the page (an uncaught "Not connected"): the reconnect fetches it anew
  const [list, { refetch }] = createResource(() => status() === "online" || null, () => request("session.list", {}).then((r) => r.sessions).catch(() => undefined));
  onCleanup(onEvent((type) => {
    if (type === "session.created" || type === "session.revoked") void refetch();
  }));
  const [confirming, setConfirming] = createSignal<SessionInfo | null>(null);
  const revoke = (id: string) => request("session.revoke", { sessionId: id }).then(() => refetch(), () => undefined);
  const deviceOf = (s: SessionInfo) => s.deviceName || t("unknownDevice");
  // a test push to that device (push.test); the answer says whether it had a subscription
  const [note, setNote] = createSignal("");
  const sendTest = (id: string) => pushCall.test(id).then((r) => setNote(r.sent ? t("testSent") : t("notifyStateOff")), (e) => setNote(errorOf(e)));
  return (
    <>
      <ul class="session-list">
        <For each={list() ?? []}>
          {(s) => (
            <li>
              <span class="session-text">
                <strong>{deviceOf(s)}</strong>
                <span class="muted"> · {s.ip} · {new Date(s.lastSeenAt).toLocaleString()}</span>
                <Show when={s.push}>
                  <span class="session-push">
                    <span class="chip">{t("pushMark")}</span>
                    <button type="button" class="link" onClick={() => void sendTest(s.id)}>{t("sendTestNotification")}</button>
                  </span>
                </Show>
              </span>
              <Show when={!s.current} fallback={<span class="chip active">{t("thisDevice")}</span>}>
                <button type="button" class="link danger-text" onClick={() => setConfirming(s)}>{t("revoke")}</button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={note()}><p class="hint" role="status">{note()}</p></Show>
      <Show when={confirming()} keyed>
        {(s) => (
          <Dialog title={t("revoke")} onClose={() => setConfirming(null)}>
            <div class="stack">
              <p>{t("revokeConfirm", { device: deviceOf(s) })}</p>
              <button type="button" class="danger" onClick={() => { setConfirming(null); void revoke(s.id); }}>{t("revoke")}</button>
              <button type="button" class="secondary" onClick={() => setConfirming(null)}>{t("cancel")}</button>
            </div>
          </Dialog>
        )}
      </Show>
    </>
  );
}
