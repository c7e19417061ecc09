// The full emoji picker: search by name and keyword (in the UI language), Unicode's
// categories, your recently used emoji and a skin tone; arrow keys move in the grid,
// Enter picks, Escape closes. Loaded on first open, with its data, as its own chunks.
import "./emoji.css";
import { createMemo, createResource, createSignal, For, onMount, Show } from "solid-js";
import { lang, t } from "../i18n/index.ts";
import { Icon } from "../ui/Icon.tsx";
import { addRecent, type CompactEmoji, searchEmoji, type SkinTone, skinToneSwatches, withTone } from "./catalog.ts";
import { loadCatalog } from "./load.ts";

const recentKey = "hearth.emoji.recent";
const toneKey = "hearth.emoji.tone";

function readJson<T>(key: string, fallback: T): T {
  try {
    return (JSON.parse(localStorage.getItem(key) ?? "null") as T) ?? fallback;
  } catch {
    return fallback;
  }
}

export default function EmojiPanel(props: { onPick: (emoji: string) => void; onClose: () => void }) {
  let grid!: HTMLDivElement;
  let search!: HTMLInputElement;
  const [groups] = createResource(lang, loadCatalog);
  const [query, setQuery] = createSignal("");
  const [recent, setRecent] = createSignal<string[]>(readJson(recentKey, []));
  const [tab, setTab] = createSignal(recent().length > 0 ? -1 : 0); // -1: recently used
  const [tone, setTone] = createSignal<SkinTone>(readJson(toneKey, 0));
  onMount(() => search.focus());

  const shown = createMemo((): { emoji: string; label: string }[] => {
    const all = groups();
    if (!all) return [];
    const view = (e: CompactEmoji) => ({ emoji: withTone(e, tone()), label: e.label });
    if (query().trim()) return searchEmoji(all, query()).map(view);
    if (tab() === -1) return recent().map((emoji) => ({ emoji, label: emoji }));
    return (all[tab()]?.emoji ?? []).map(view);
  });

  const pick = (emoji: string) => {
    const next = addRecent(recent(), emoji);
    setRecent(next);
    localStorage.setItem(recentKey, JSON.stringify(next));
    props.onPick(emoji);
  };
  const chooseTone = (t: SkinTone) => {
    setTone(t);
    localStorage.setItem(toneKey, JSON.stringify(t));
  };

  const onKey = (e: KeyboardEvent) => {
    if (e.key === "Escape") {
      e.stopPropagation();
      return props.onClose();
    }
    const buttons = [...grid.querySelectorAll("button")];
    if (e.key === "ArrowDown" && document.activeElement === search) {
      e.preventDefault();
      return buttons[0]?.focus();
    }
    const i = buttons.indexOf(document.activeElement as HTMLButtonElement);
    if (i < 0) return;
    const columns = getComputedStyle(grid).gridTemplateColumns.split(" ").length || 8;
    const step = { ArrowRight: 1, ArrowLeft: -1, ArrowDown: columns, ArrowUp: -columns }[e.key];
    if (step === undefined) return;
    e.preventDefault();
    if (i + step < 0) return search.focus();
    buttons[Math.min(buttons.length - 1, i + step)]?.focus();
  };

  return (
    <div class="emoji-panel" role="dialog" aria-label={t("emoji")} onKeyDown={onKey}>
      <div class="emoji-search">
        <Icon name="search" size={16} />
        <input ref={search} type="search" name="emoji-search" placeholder={t("emojiSearch")} aria-label={t("emojiSearch")} value={query()} onInput={(e) => setQuery(e.currentTarget.value)} onKeyDown={(e) => { if (e.key === "Enter" && shown()[0]) { e.preventDefault(); pick(shown()[0]!.emoji); } }} />
      </div>
      <div class="emoji-tabs" role="tablist" aria-label={t("emojiCategories")}>
        <button type="button" role="tab" class="emoji-tab" aria-selected={!query() && tab() === -1} aria-label={t("emojiRecent")} title={t("emojiRecent")} onClick={() => { setQuery(""); setTab(-1); }}>
          <Icon name="clock" size={18} />
        </button>
        <For each={groups() ?? []}>
          {(g, i) => (
            <button type="button" role="tab" class="emoji-tab" aria-selected={!query() && tab() === i()} aria-label={g.name} title={g.name} onClick={() => { setQuery(""); setTab(i()); }}>
              {g.emoji[0]?.unicode}
            </button>
          )}
        </For>
      </div>
      <div class="emoji-grid" ref={grid} role="group" aria-label={query() ? t("emojiResults") : tab() === -1 ? t("emojiRecent") : (groups()?.[tab()]?.name ?? "")}>
        <Show when={!groups.loading} fallback={<p class="emoji-note">{t("emojiLoading")}</p>}>
          <Show when={shown().length > 0} fallback={<p class="emoji-note">{query() ? t("noResults") : t("emojiNoRecent")}</p>}>
            <For each={shown()}>
              {(e) => (
                <button type="button" class="emoji-btn" aria-label={e.label} title={e.label} onClick={() => pick(e.emoji)}>
                  {e.emoji}
                </button>
              )}
            </For>
          </Show>
        </Show>
      </div>
      <div class="emoji-tones" role="radiogroup" aria-label={t("skinTone")}>
        <For each={skinToneSwatches}>
          {(swatch, i) => (
            <button type="button" role="radio" class="emoji-tone" aria-checked={tone() === i()} aria-label={t("skinToneN", { n: i() })} onClick={() => chooseTone(i() as SkinTone)}>
              {swatch}
            </button>
          )}
        </For>
      </div>
    </div>
  );
}
