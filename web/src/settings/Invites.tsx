// Account invites: one tap creates one (expiry and uses chosen beside the button); the new
// link shows with its QR code and a copy button; every pending invite can be shown again.
import { createResource, createSignal, For, Show } from "solid-js";
import type { InviteWithUrl } from "../../../src/protocol/methods/accounts.ts";
import { locale, t } from "../i18n/index.ts";
import { createGuard } from "../ui/guard.ts";
import { request, status } from "../net/connection.ts";
import { CopyLink } from "../ui/CopyLink.tsx";
import { type ExpiryKey, expiryChoices, inviteParams, useChoices } from "./invite-options.ts";

export function Invites() {
  const [invites, { refetch }] = createResource(() => status() === "online" || null, () => request("registration_invite.list", {}).then((r) => r.invites).catch(() => undefined));
  const [expiry, setExpiry] = createSignal<ExpiryKey>("7d");
  const [uses, setUses] = createSignal<number | null>(1);
  const [created, setCreated] = createSignal<string | null>(null);
  const [shown, setShown] = createSignal<string | null>(null);
  const { error, setError, guard } = createGuard();
  const create = () =>
    guard(request("registration_invite.create", inviteParams(expiry(), uses(), crypto.randomUUID())).then((r) => {
      setCreated(r.url);
      void refetch();
    }));
  const expiryLabel = (k: ExpiryKey) => ({ "1h": t("expires1h"), "1d": t("expires1d"), "7d": t("expires7d"), never: t("expiresNever") })[k];
  const usesLabel = (n: number | null) => (n === null ? t("usesUnlimited") : t("usesN", { n }));
  const pending = () => (invites() ?? []).filter((i) => i.url !== null);
  const describe = (i: InviteWithUrl) =>
    [
      i.maxUses === null ? t("linkUses", { uses: i.uses }) : t("inviteUsesOf", { uses: i.uses, max: i.maxUses }),
      i.expiresAt === null ? t("expiresNever") : t("inviteExpiresAt", { at: new Date(i.expiresAt).toLocaleString(locale(), { dateStyle: "medium", timeStyle: "short" }) }),
    ].join(" · ");
  return (
    <div class="invites">
      <h4>{t("accountInvites")}</h4>
      <div class="invite-form">
        <label>
          {t("inviteExpiry")}
          <select name="invite-expiry" value={expiry()} onChange={(e) => setExpiry(e.currentTarget.value as ExpiryKey)}>
            <For each={expiryChoices}>{(c) => <option value={c.key}>{expiryLabel(c.key)}</option>}</For>
          </select>
        </label>
        <label>
          {t("inviteUses")}
          <select name="invite-uses" value={String(uses())} onChange={(e) => setUses(e.currentTarget.value === "null" ? null : Number(e.currentTarget.value))}>
            <For each={useChoices}>{(n) => <option value={String(n)}>{usesLabel(n)}</option>}</For>
          </select>
        </label>
        <button type="button" onClick={() => void create()}>{t("createInvite")}</button>
      </div>
      <Show when={created()}>{(url) => <CopyLink url={url()} label={t("inviteLink")} name="invite-url" />}</Show>
      <Show when={pending().length > 0}>
        <h5>{t("pendingInvites")}</h5>
        <ul class="link-list invite-list">
          <For each={pending()}>
            {(i) => (
              <li>
                <div class="row-line">
                  <span class="hint">{describe(i)}</span>
                  <span class="row-actions">
                    <button type="button" class="link" aria-expanded={shown() === i.id} onClick={() => setShown(shown() === i.id ? null : i.id)}>
                      {shown() === i.id ? t("hideLink") : t("showLink")}
                    </button>
                    <button type="button" class="link danger-text" onClick={() => void guard(request("registration_invite.revoke", { inviteId: i.id }).then(() => refetch()))}>{t("revoke")}</button>
                  </span>
                </div>
                <Show when={shown() === i.id && i.url}>{(url) => <CopyLink url={url()} label={t("inviteLink")} name="pending-invite-url" />}</Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
    </div>
  );
}
