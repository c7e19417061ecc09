// First run (owner claim), sign in and registration. The forms only collect input; the
// requests go through net/http.ts and a successful answer becomes the session.
import { createResource, createSignal, Match, Show, Switch } from "solid-js";
import { errorText, locale, t } from "../i18n/index.ts";
import { type AuthInfo, type AuthTokens, ApiError, api } from "../net/http.ts";
import { setSession, setSignedOutReason, signedOutReason } from "../sync/session.ts";
import { Brand } from "../ui/Brand.tsx";
import { Field } from "../ui/Field.tsx";
import { type AuthMode, canRegister, deviceName, inviteCodeFrom } from "./mode.ts";
import { ResetScreen } from "./ResetScreen.tsx";

/** Why the last session ended, in words; null when it was the person's own sign-out. */
function signedOutText(reason: string | null): string | null {
  if (!reason) return null;
  if (reason === "session_revoked") return t("signedOutRevoked");
  if (reason === "account_disabled") return t("signedOutDisabled");
  if (reason === "account_pending_deletion") return t("signedOutPendingDeletion");
  return t("signedOutExpired");
}

export function AuthScreen(props: { info: AuthInfo | null; initial: AuthMode }) {
  const signedOut = signedOutText(signedOutReason());
  const [mode, setMode] = createSignal<AuthMode>(props.initial);
  const [username, setUsername] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [displayName, setDisplayName] = createSignal("");
  const [token, setToken] = createSignal(props.initial.kind === "claim" ? props.initial.token : "");
  const [invite, setInvite] = createSignal(inviteCodeFrom(new URL(location.href)));
  const [totp, setTotp] = createSignal("");
  const [needsTotp, setNeedsTotp] = createSignal(false);
  const [useRecovery, setUseRecovery] = createSignal(false);
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const minLength = () => props.info?.passwordMinLength ?? 10;
  const [notice, setNotice] = createSignal("");
  // The account is scheduled for deletion: when, and whether this person may keep it (they asked for it).
  const [pending, setPending] = createSignal<{ deleteAt: number; cancellable: boolean } | null>(null);
  // Who invites you where (a public lookup that answers only for a live code).
  const [inviter] = createResource(
    () => (mode().kind === "register" && invite().trim()) || null,
    (code) => api.inviteInfo(code).catch(() => null),
  );

  const send = (cancelDeletion = false): Promise<AuthTokens> => {
    const base = { username: username().trim(), password: password(), deviceName: deviceName(navigator.userAgent) };
    const name = displayName().trim() || undefined;
    const m = mode();
    if (m.kind === "reset") throw new Error("the reset form sends its own request");
    if (m.kind === "claim") return api.claim({ ...base, token: token().trim(), displayName: name });
    if (m.kind === "register") return api.register({ ...base, displayName: name, inviteCode: invite().trim() || undefined });
    const code = totp().trim() || undefined;
    return api.login({ ...base, ...(useRecovery() ? { recoveryCode: code } : { totp: code }), ...(cancelDeletion ? { cancelDeletion } : {}) });
  };

  const submit = async (e: SubmitEvent | null, cancelDeletion = false) => {
    e?.preventDefault();
    setBusy(true);
    setError("");
    setPending(null);
    try {
      setSession(await send(cancelDeletion));
      setSignedOutReason(null);
      // the claim token or invite code leaves the address bar (a chat link stays: Home joins it)
      if (mode().kind !== "login" || new URL(location.href).pathname === "/invite") history.replaceState(null, "", "/");
    } catch (err) {
      if (err instanceof ApiError && err.code === "two_factor_required") setNeedsTotp(true);
      if (err instanceof ApiError && err.code === "account_pending_deletion") return void setPending(err.data as { deleteAt: number; cancellable: boolean });
      setError(err instanceof ApiError ? (err.code === "network" ? t("unreachable") : errorText(err.code, err.message, err.data)) : String(err));
    } finally {
      setBusy(false);
    }
  };

  const title = () => ({ claim: t("claim"), register: t("register"), login: t("signIn"), reset: t("resetPassword") })[mode().kind];
  const afterReset = (name: string) => {
    setUsername(name);
    setPassword("");
    setNotice(t("passwordResetDone"));
    setMode({ kind: "login" });
  };

  return (
    <Show when={mode().kind === "reset" ? (mode() as { token: string }).token : null} fallback={
    <main class="center">
      <Brand />
      <form class="card" onSubmit={submit} aria-label={title()}>
        <Show when={signedOut}>
          {(text) => <p class="notice signed-out" role="status">{text()}</p>}
        </Show>
        <Show when={mode().kind === "register" && inviter()}>
          {(i) => <p class="invited-by" role="status">{t("invitedBy", { name: i().inviterName, server: i().serverName })}</p>}
        </Show>
        <Show when={notice()}><p class="hint" role="status">{notice()}</p></Show>
        <Show when={mode().kind === "claim"}>
          <p class="hint">{t("claimIntro")}</p>
          <Show when={(props.initial.kind === "claim" && props.initial.token) === ""}>
            <Field label={t("claimToken")} name="token" value={token()} onInput={setToken} required />
          </Show>
        </Show>
        <Field label={t("username")} name="username" value={username()} onInput={setUsername} autocomplete="username" required />
        <Field
          label={t("password")}
          name="password"
          type="password"
          value={password()}
          onInput={setPassword}
          autocomplete={mode().kind === "login" ? "current-password" : "new-password"}
          minLength={mode().kind === "login" ? undefined : minLength()}
          required
        />
        <Show when={mode().kind !== "login"}>
          <p class="hint">{t("passwordHint", { min: minLength() })}</p>
          <Field label={t("displayName")} name="displayName" value={displayName()} onInput={setDisplayName} autocomplete="nickname" />
        </Show>
        <Show when={mode().kind === "register" && props.info?.registration === "invite"}>
          <Field label={t("inviteCode")} name="invite" value={invite()} onInput={setInvite} required />
        </Show>
        <Show when={mode().kind === "login" && needsTotp()}>
          <Field label={useRecovery() ? t("recoveryCode") : t("totp")} name="totp" value={totp()} onInput={setTotp} autocomplete="one-time-code" required />
          <button type="button" class="link" onClick={() => setUseRecovery(!useRecovery())}>{useRecovery() ? t("useAuthenticator") : t("useRecoveryCode")}</button>
        </Show>
        <Show when={error()}>
          <p class="error" role="alert">{error()}</p>
        </Show>
        <Show when={pending()}>
          {(p) => (
            <div class="notice pending-deletion" role="alert">
              <p>{t(p().cancellable ? "pendingDeletionSelf" : "pendingDeletionAdmin", { date: new Intl.DateTimeFormat(locale(), { dateStyle: "long", timeStyle: "short" }).format(p().deleteAt) })}</p>
              <Show when={p().cancellable}>
                <button type="button" name="keep-account" disabled={busy()} onClick={() => void submit(null, true)}>{t("keepAccount")}</button>
              </Show>
            </div>
          )}
        </Show>
        <button type="submit" disabled={busy()}>{busy() ? t("working") : title()}</button>
        <Switch>
          <Match when={mode().kind === "login" && canRegister(props.info)}>
            <button type="button" class="link" onClick={() => setMode({ kind: "register", needsInvite: props.info?.registration === "invite" })}>
              {t("toRegister")}
            </button>
          </Match>
          <Match when={mode().kind === "register"}>
            <button type="button" class="link" onClick={() => setMode({ kind: "login" })}>{t("toLogin")}</button>
          </Match>
        </Switch>
      </form>
    </main>
    }>
      {(token) => <ResetScreen token={token()} minLength={minLength()} onDone={afterReset} />}
    </Show>
  );
}
