// The page a password-reset link opens: whose password it sets, a new password twice,
// then sign in with it. The token leaves the address bar once it has been used.
import { createResource, createSignal, Show } from "solid-js";
import { errorText, t } from "../i18n/index.ts";
import { ApiError, api } from "../net/http.ts";
import { Brand } from "../ui/Brand.tsx";
import { Field } from "../ui/Field.tsx";

export function ResetScreen(props: { token: string; minLength: number; onDone: (username: string) => void }) {
  const [who] = createResource(() => api.resetInfo(props.token).catch((e: unknown) => (e instanceof ApiError ? e : null)));
  const [password, setPassword] = createSignal("");
  const [repeat, setRepeat] = createSignal("");
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setError("");
    if (password() !== repeat()) return setError(t("passwordsDiffer"));
    setBusy(true);
    try {
      const { username } = await api.reset(props.token, password());
      history.replaceState(null, "", "/");
      props.onDone(username);
    } catch (err) {
      setError(err instanceof ApiError ? (err.code === "network" ? t("unreachable") : errorText(err.code, err.message)) : String(err));
    } finally {
      setBusy(false);
    }
  };
  const info = () => {
    const w = who();
    return w && !(w instanceof ApiError) ? w : null;
  };
  return (
    <main class="center">
      <Brand />
      <form class="card" onSubmit={submit} aria-label={t("resetPassword")}>
        <h2>{t("resetPassword")}</h2>
        <Show when={info()} fallback={<Show when={who() instanceof ApiError}><p class="error" role="alert">{errorText((who() as ApiError).code, (who() as ApiError).message)}</p></Show>}>
          {(w) => <p class="hint">{t("resetPasswordFor", { name: w().displayName, username: w().username })}</p>}
        </Show>
        <Field label={t("newPassword")} name="new-password" type="password" value={password()} onInput={setPassword} autocomplete="new-password" minLength={props.minLength} required />
        <Field label={t("repeatPassword")} name="repeat-password" type="password" value={repeat()} onInput={setRepeat} autocomplete="new-password" required />
        <p class="hint">{t("resetPasswordHint", { min: props.minLength })}</p>
        <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
        <button type="submit" disabled={busy()}>{busy() ? t("working") : t("setNewPassword")}</button>
      </form>
    </main>
  );
}
