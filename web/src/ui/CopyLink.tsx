// A link to hand to someone: the text (selectable), a copy button that says when it
// copied, and its QR code for a phone next to the screen.
import { createSignal, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { Qr } from "./Qr.tsx";

export async function copyText(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false; // no clipboard permission (or an insecure context): the text stays selectable
  }
}

export function CopyLink(props: { url: string; label: string; name?: string; qr?: boolean }) {
  const [copied, setCopied] = createSignal<boolean | null>(null);
  const copy = async () => setCopied(await copyText(props.url));
  return (
    <div class="copy-link">
      <div class="created-link">
        <input readOnly value={props.url} name={props.name} aria-label={props.label} onFocus={(e) => e.currentTarget.select()} />
        <button type="button" onClick={() => void copy()}>{copied() ? t("copied") : t("copy")}</button>
      </div>
      <Show when={copied() === false}><p class="hint" role="status">{t("copyFailed")}</p></Show>
      <Show when={props.qr !== false}><Qr text={props.url} label={t("qrFor", { what: props.label })} /></Show>
    </div>
  );
}
