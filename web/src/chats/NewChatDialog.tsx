// New direct chat (by username), group or channel, saved messages, or joining by an invite link.
import { createEffect, createSignal, For, Match, on, Show, Switch } from "solid-js";
import { errorOf, t } from "../i18n/index.ts";
import { openChat, selectedChat } from "../home/nav.ts";
import { Dialog } from "../ui/Dialog.tsx";
import { Field } from "../ui/Field.tsx";
import { createGroup, joinByLink, openDirect, openSaved } from "./actions.ts";
import { PeopleSearch } from "../people/PeopleSearch.tsx";
import { ImportDialog } from "../imports/ImportDialog.tsx";

type Kind = "direct" | "group" | "channel" | "join";

export function NewChatDialog(props: { onClose: () => void }) {
  const [kind, setKind] = createSignal<Kind>("direct");
  const [name, setName] = createSignal("");
  const [title, setTitle] = createSignal("");
  const [description, setDescription] = createSignal("");
  const [members, setMembers] = createSignal("");
  const [code, setCode] = createSignal("");
  const [error, setError] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [importing, setImporting] = createSignal(false);
  // A chat opened from elsewhere (a found person's card → Message) closes this dialog too.
  createEffect(on(selectedChat, () => props.onClose(), { defer: true }));

  const run = async (fn: () => Promise<string>) => {
    setBusy(true);
    setError("");
    try {
      openChat(await fn());
      props.onClose();
    } catch (e) {
      setError(errorOf(e));
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    const k = kind();
    if (k === "direct") return run(() => openDirect(name()));
    if (k === "join") return run(() => joinByLink(code().replace(/^.*[#/=]/, "")));
    return run(() => createGroup(k, title(), description(), members()));
  };
  const kinds: Kind[] = ["direct", "group", "channel", "join"];
  const kindLabel = (k: Kind) => ({ direct: t("directChat"), group: t("group"), channel: t("channel"), join: t("joinByLink") })[k];

  return (
    <Show when={!importing()} fallback={<ImportDialog onClose={props.onClose} />}>
    <Dialog title={t("newChat")} onClose={props.onClose}>
      <div class="segmented" role="tablist">
        <For each={kinds}>
          {(k) => (
            <button type="button" role="tab" aria-selected={kind() === k} class={kind() === k ? "chip active" : "chip"} onClick={() => setKind(k)}>
              {kindLabel(k)}
            </button>
          )}
        </For>
      </div>
      <form onSubmit={submit}>
        <Switch>
          <Match when={kind() === "direct"}>
            <PeopleSearch value={name()} onInput={setName} />
          </Match>
          <Match when={kind() === "join"}>
            <Field label={t("inviteLinkOrCode")} name="code" value={code()} onInput={setCode} required />
          </Match>
          <Match when={kind() === "group" || kind() === "channel"}>
            <Field label={t("chatTitle")} name="title" value={title()} onInput={setTitle} required />
            <Field label={t("description")} name="description" value={description()} onInput={setDescription} />
            <Field label={t("membersByUsername")} name="members" value={members()} onInput={setMembers} />
          </Match>
        </Switch>
        <Show when={error()}>
          <p class="error" role="alert">{error()}</p>
        </Show>
        <button type="submit" disabled={busy()}>{busy() ? t("working") : t("create")}</button>
        <button type="button" class="link" onClick={() => run(openSaved)}>{t("openSaved")}</button>
        <button type="button" class="link" onClick={() => setImporting(true)}>{t("importChatEntry")}</button>
      </form>
    </Dialog>
    </Show>
  );
}
