// What an owner or admin sees in an empty chat list: a card that creates an invite (and
// its QR code) right there, instead of a blank list and a CLI.
import { createSignal, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { Invites } from "../settings/Invites.tsx";
import { state } from "../sync/store.ts";
import { Dialog } from "../ui/Dialog.tsx";

export function EmptyChats(props: { searching: boolean }) {
  const [open, setOpen] = createSignal(false);
  const admin = () => state.me?.role === "owner" || state.me?.role === "admin";
  return (
    <li class="empty-list">
      <Show when={!props.searching && admin()} fallback={props.searching ? t("noResults") : t("noChats")}>
        <div class="invite-card">
          <h3>{t("invitePeople")}</h3>
          <p class="hint">{t("invitePeopleHint")}</p>
          <button type="button" onClick={() => setOpen(true)}>{t("invitePeople")}</button>
        </div>
        <Show when={open()}>
          <Dialog title={t("invitePeople")} onClose={() => setOpen(false)}>
            <Invites />
          </Dialog>
        </Show>
      </Show>
    </li>
  );
}
