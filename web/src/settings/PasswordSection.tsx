// Changing your password: the current one proves it is you (a borrowed unlocked device is
// not enough); every other device is signed out by the server, which the form says up front.
import { createSignal, Show } from "solid-js";
import { errorOf, t } from "../i18n/index.ts";
import { request } from "../net/connection.ts";
import { Field } from "../ui/Field.tsx";
import { Section } from "../ui/Section.tsx";

export function PasswordSection() {
  const [current, setCurrent] = createSignal("");
  const [next, setNext] = createSignal("");
  const [repeat, setRepeat] = createSignal("");
  const [error, setError] = createSignal("");
  const [done, setDone] = createSignal<number | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    setError("");
    setDone(null);
    if (next() !== repeat()) return setError(t("passwordsDiffer"));
    try {
      const r = await request("password.change", { currentPassword: current(), newPassword: next() });
      setCurrent("");
      setNext("");
      setRepeat("");
      setDone(r.revokedSessions);
    } catch (err) {
      // the server's invalid_credentials text names the username too; here only one field can be wrong
      setError((err as { code?: string }).code === "invalid_credentials" ? t("wrongCurrentPassword") : errorOf(err));
    }
  };
  return (
    <Section title={t("changePassword")}>
      <p class="hint">{t("changePasswordHint")}</p>
      <form onSubmit={(e) => void submit(e)}>
        <Field label={t("currentPassword")} name="current-password" type="password" value={current()} onInput={setCurrent} autocomplete="current-password" required />
        <Field label={t("newPassword")} name="new-password" type="password" value={next()} onInput={setNext} autocomplete="new-password" required />
        <Field label={t("repeatPassword")} name="repeat-password" type="password" value={repeat()} onInput={setRepeat} autocomplete="new-password" required />
        <button type="submit">{t("changePassword")}</button>
      </form>
      <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
      <Show when={done() !== null}><p class="hint" role="status">{t("passwordChanged", { count: done()! })}</p></Show>
    </Section>
  );
}
