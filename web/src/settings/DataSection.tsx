// "Your data": download the export (GET /api/export, saved as the file the server names)
// and delete the account. Deleting asks again: the grace period is stated, the password
// (and the 2FA code when it is on) re-entered; the server then signs every device out, so
// this one goes to the sign-in screen, which says the deletion can still be cancelled there.
import { createResource, createSignal, Show } from "solid-js";
import { errorOf, t, tn } from "../i18n/index.ts";
import { api, fetchExport } from "../net/http.ts";
import { request, httpAuth } from "../net/connection.ts";
import { setSignedOutReason } from "../sync/session.ts";
import { signOutLocally, state } from "../sync/store.ts";
import { Field } from "../ui/Field.tsx";
import { Section } from "../ui/Section.tsx";

const DAY_MS = 24 * 60 * 60_000;

function saveFile(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 60_000); // the download has its own copy by then
}

export function DataSection() {
  const [busy, setBusy] = createSignal(false);
  const [note, setNote] = createSignal("");
  const download = async () => {
    const auth = httpAuth();
    if (!auth) return;
    setBusy(true);
    setNote("");
    try {
      const { blob, filename } = await fetchExport(await auth.accessToken());
      saveFile(blob, filename);
      setNote(t("exportSaved", { name: filename }));
    } catch (err) {
      setNote(errorOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Section title={t("yourData")}>
      <p class="hint">{t("exportHint")}</p>
      <button type="button" class="secondary" name="download-export" disabled={busy()} onClick={() => void download()}>
        {busy() ? t("working") : t("downloadExport")}
      </button>
      <Show when={note()}><p class="hint" role="status">{note()}</p></Show>
      <DeleteAccount />
    </Section>
  );
}

function DeleteAccount() {
  const [open, setOpen] = createSignal(false);
  const [password, setPassword] = createSignal("");
  const [code, setCode] = createSignal("");
  const [error, setError] = createSignal("");
  const [info] = createResource(open, () => api.info().catch(() => null));
  const days = () => tn("graceDays", Math.max(0, Math.round((info()?.deletionGraceMs ?? 7 * DAY_MS) / DAY_MS)));
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setError("");
    const c = code().trim();
    const second = !c ? {} : /^\d{6}$/.test(c) ? { totp: c } : { recoveryCode: c };
    try {
      await request("account.delete", { password: password(), ...second });
      setSignedOutReason("account_pending_deletion");
      signOutLocally(); // the server revoked this session too; its socket closes anyway
    } catch (err) {
      setError((err as { code?: string }).code === "invalid_credentials" ? t("wrongCurrentPassword") : errorOf(err));
    }
  };
  return (
    <div class="delete-account">
      <Show when={open()} fallback={<button type="button" class="danger" name="delete-account" onClick={() => setOpen(true)}>{t("deleteAccount")}</button>}>
        <form class="danger-zone" onSubmit={(e) => void submit(e)} aria-label={t("deleteAccount")}>
          <p>{t("deleteAccountExplain", { days: days() })}</p>
          <p class="hint">{t("deleteAccountWhatStays")}</p>
          <Field label={t("currentPassword")} name="delete-password" type="password" value={password()} onInput={setPassword} autocomplete="current-password" required />
          <Show when={state.me?.totpEnabled}>
            <Field label={t("totp")} name="delete-code" value={code()} onInput={setCode} autocomplete="one-time-code" required />
          </Show>
          <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
          <div class="row-actions wrap">
            <button type="submit" class="danger">{t("deleteAccountConfirm")}</button>
            <button type="button" class="secondary" onClick={() => setOpen(false)}>{t("cancel")}</button>
          </div>
        </form>
      </Show>
    </div>
  );
}
