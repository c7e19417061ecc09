// "Import chat": a Telegram Desktop export (its folder, JSON format, zipped) or a WhatsApp
// chat export (its own .zip) becomes a new group, or goes into the chat given (owners and
// admins). Shows the upload's progress, then the server's report: what was imported, what
// was skipped, and who the senders are (placeholders can be mapped in the chat's info).
import "./imports.css";
import { createSignal, For, Match, Show, Switch } from "solid-js";
import { type ImportReport, importSourceName } from "../../../src/protocol/methods/imports.ts";
import { errorOf, t, tn } from "../i18n/index.ts";
import { openChat } from "../home/nav.ts";
import { Dialog } from "../ui/Dialog.tsx";
import { Field } from "../ui/Field.tsx";
import { importExport, type ImportStep } from "./actions.ts";

export function ImportDialog(props: { chatId?: string; onClose: () => void }) {
  const [file, setFile] = createSignal<File | null>(null);
  const [title, setTitle] = createSignal("");
  const [step, setStep] = createSignal<ImportStep | null>(null);
  const [report, setReport] = createSignal<ImportReport | null>(null);
  const [error, setError] = createSignal("");
  const pct = () => {
    const s = step();
    return s?.step === "upload" && s.total > 0 ? Math.round((s.sent / s.total) * 100) : 100;
  };
  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const f = file();
    if (!f) return;
    setError("");
    try {
      setReport(await importExport(f, props.chatId ? { chatId: props.chatId } : { title: title() }, setStep));
    } catch (err) {
      // the server says what is wrong and where (file, line, message id): keep its words
      const code = (err as { code?: string }).code;
      setError(code === "import_invalid" ? `${t("importRefused")} ${(err as Error).message}` : errorOf(err));
    } finally {
      setStep(null);
    }
  };
  return (
    <Dialog title={t("importChat")} onClose={props.onClose}>
      <Show when={report()} fallback={
        <form class="import-form" onSubmit={submit}>
          <p class="muted">{t("importHint")}</p>
          <label>
            {t("importFile")}
            <input type="file" name="export" accept=".zip,application/zip" required onChange={(e) => setFile(e.currentTarget.files?.[0] ?? null)} />
          </label>
          <Show when={!props.chatId}>
            <Field label={t("importTitle")} name="title" value={title()} onInput={setTitle} />
          </Show>
          <Switch>
            <Match when={step()?.step === "upload"}>
              <p role="status">{t("uploadingExport", { percent: pct() })}</p>
              <progress max="100" value={pct()} aria-label={t("uploadProgress")} />
            </Match>
            <Match when={step()?.step === "import"}>
              <p role="status">{t("importingMessages")}</p>
              <progress aria-label={t("importingMessages")} />
            </Match>
          </Switch>
          <Show when={error()}><p class="error" role="alert">{error()}</p></Show>
          <button type="submit" disabled={step() !== null || !file()}>{step() ? t("working") : t("importStart")}</button>
        </form>
      }>
        {(r) => <ImportResult report={r()} onOpen={() => { openChat(r().chatId); props.onClose(); }} />}
      </Show>
    </Dialog>
  );
}

function ImportResult(props: { report: ImportReport; onOpen: () => void }) {
  const r = () => props.report;
  return (
    <div class="import-result" role="status">
      <p><strong>{t("importDone", { count: r().messages, source: importSourceName(r().source) })}</strong></p>
      <ul class="import-counts">
        <li>{t("importFiles", { files: r().files, missing: r().missingFiles })}</li>
        <li>{t("importSkipped", { service: r().serviceSkipped, unsupported: r().unsupportedSkipped })}</li>
        <Show when={r().repliesDropped > 0}><li>{t("importRepliesDropped", { count: r().repliesDropped })}</li></Show>
        <Show when={r().textsCut > 0}><li>{t("importTextsCut", { count: r().textsCut })}</li></Show>
      </ul>
      <h3>{t("importSenders")}</h3>
      <ul class="import-authors">
        <For each={r().authors}>
          {(a) => <li><span class="import-author" title={a.name}>{a.name}</span> <span class="muted">{tn("importAuthorCount", a.messages)} · {a.userId ? t("importMapped") : t("importPlaceholder")}</span></li>}
        </For>
      </ul>
      <p class="muted">{t("importMapHint")}</p>
      <button type="button" onClick={() => props.onOpen()}>{t("openImportedChat")}</button>
    </div>
  );
}
