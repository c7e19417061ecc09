// A link preview card: site, title, description and the image the server fetched and
// re-encoded (never loaded from the linked site). In bubbles and, with an ✕, in the composer.
import { Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { Icon } from "../ui/Icon.tsx";
import { mediaUrl } from "./logic.ts";
import { Placeholder } from "./Placeholder.tsx";
import type { LinkPreview } from "./types.ts";

export function PreviewCard(props: { preview: LinkPreview; onRemove?: () => void; loading?: boolean }) {
  const host = () => {
    try {
      return new URL(props.preview.url).host;
    } catch {
      return props.preview.url;
    }
  };
  return (
    <div class={props.onRemove ? "link-preview draft" : "link-preview"}>
      <Show when={props.preview.image}>
        {(img) => (
          <div class="lp-image">
            <Placeholder hash={img().placeholder} />
            <img src={mediaUrl.thumb(img().id, 320)} alt="" loading="lazy" onLoad={(e) => e.currentTarget.classList.add("loaded")} />
          </div>
        )}
      </Show>
      <div class="lp-text">
        <span class="lp-site">{props.preview.siteName || host()}</span>
        <Show when={props.preview.title}>
          <Show when={props.onRemove} fallback={<a class="lp-title" href={props.preview.url} target="_blank" rel="noopener noreferrer">{props.preview.title}</a>}>
            <span class="lp-title">{props.preview.title}</span>
          </Show>
        </Show>
        <Show when={props.preview.description}><span class="lp-desc">{props.preview.description}</span></Show>
      </div>
      <Show when={props.onRemove}>
        <button type="button" class="icon-btn lp-remove" aria-label={t("removePreview")} onClick={() => props.onRemove!()}>
          <Icon name="close" size={16} />
        </button>
      </Show>
    </div>
  );
}
