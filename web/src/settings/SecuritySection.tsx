// Two-factor setup (a QR code of the otpauth URL, the secret as text with a copy button,
// then a code to confirm, then the recovery codes once) and the list of signed-in devices.
import { createSignal, For, Match, Show, Switch } from "solid-js";
import { errorOf, t } from "../i18n/index.ts";
import { request } from "../net/connection.ts";
import { state } from "../sync/store.ts";
import { Field } from "../ui/Field.tsx";
import { Section } from "../ui/Section.tsx";
import { copyText } from "../ui/CopyLink.tsx";
import { Qr } from "../ui/Qr.tsx";
import { SessionsList } from "./Sessions.tsx";

export function SecuritySection() {
  const [secret, setSecret] = createSignal<{ secret: string; otpauthUrl: string } | null>(null);
  const [copied, setCopied] = createSignal(false);
  const [code, setCode] = createSignal("");
  const [password, setPassword] = createSignal("");
  const [recovery, setRecovery] = createSignal<string[]>([]);
  const [error, setError] = createSignal("");
  const guard = (fn: () => Promise<void>) => async (e?: Event) => {
    e?.preventDefault();
    setError("");
    try {
      await fn();
    } catch (err) {
      setError(errorOf(err));
    }
  };
  const setup = guard(async () => {
    const r = await request("twofactor.setup", {});
    setSecret({ secret: r.secret, otpauthUrl: r.otpauthUrl });
  });
  const enable = guard(async () => {
    setRecovery((await request("twofactor.enable", { code: code().trim() })).recoveryCodes);
    setSecret(null);
    setCode("");
  });
  const disable = guard(async () => {
    await request("twofactor.disable", { password: password() || undefined, code: code().trim() || undefined });
    setPassword("");
    setCode("");
  });
  return (
    <Section title={t("security")}>
      <Switch>
        <Match when={recovery().length > 0}>
          <p>{t("recoveryCodesIntro")}</p>
          <ul class="codes"><For each={recovery()}>{(c) => <li><code>{c}</code></li>}</For></ul>
          <button type="button" onClick={() => setRecovery([])}>{t("done")}</button>
        </Match>
        <Match when={state.me?.totpEnabled}>
          <p class="hint">{t("twoFactorOn")}</p>
          <form onSubmit={disable}>
            <Field label={t("password")} name="tf-password" type="password" value={password()} onInput={setPassword} autocomplete="current-password" />
            <Field label={t("totp")} name="tf-code" value={code()} onInput={setCode} autocomplete="one-time-code" />
            <button type="submit" class="secondary">{t("disableTwoFactor")}</button>
          </form>
        </Match>
        <Match when={secret()}>
          {(s) => (
            <form onSubmit={enable}>
              <p>{t("twoFactorQrIntro")}</p>
              <Qr text={s().otpauthUrl} label={t("twoFactorQr")} />
              <p class="hint">{t("twoFactorSecretIntro")}</p>
              <div class="secret-row">
                <code class="secret" aria-label={t("twoFactorSecret")}>{s().secret}</code>
                <button type="button" class="secondary" onClick={() => void copyText(s().secret).then(setCopied)}>{copied() ? t("copied") : t("copy")}</button>
              </div>
              <Field label={t("totp")} name="tf-code" value={code()} onInput={setCode} autocomplete="one-time-code" required />
              <button type="submit">{t("enableTwoFactor")}</button>
            </form>
          )}
        </Match>
        <Match when={true}>
          <p class="hint">{t("twoFactorOff")}</p>
          <button type="button" class="secondary" onClick={() => void setup()}>{t("setUpTwoFactor")}</button>
        </Match>
      </Switch>
      <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
      <h4>{t("sessions")}</h4>
      <SessionsList />
    </Section>
  );
}
