// The call, full size: who is in it (a grid of tiles; a shared screen takes the stage with
// the people in a strip beside or below it), the controls, and the audio of everyone else.
import { createMemo, createSignal, For, onCleanup, onMount, Show } from "solid-js";
import { t } from "../i18n/index.ts";
import { state as app } from "../sync/store.ts";
import { CallControls } from "./CallControls.tsx";
import { CallIcon } from "./CallIcon.tsx";
import { CallStatus } from "./CallStatus.tsx";
import { RemoteAudio } from "./RemoteAudio.tsx";
import { gridShape } from "./state.ts";
import { calls, local, remote } from "./store.ts";
import { Tile } from "./Tile.tsx";
import { tilesOf } from "./tiles.ts";

export function CallView(props: { onMinimize: () => void }) {
  const tiles = createMemo(() => {
    const c = calls.current;
    return c ? tilesOf(c, app.me?.id ?? "", local(), remote()) : { people: [], screens: [] };
  });
  const [size, setSize] = createSignal({ w: 1280, h: 720 });
  let grid!: HTMLDivElement;
  onMount(() => {
    const ro = new ResizeObserver(([e]) => e && setSize({ w: e.contentRect.width, h: e.contentRect.height }));
    ro.observe(grid);
    onCleanup(() => ro.disconnect());
  });
  const staged = () => tiles().screens.length > 0;
  const shape = () => (staged() ? { cols: 1, rows: 1 } : gridShape(tiles().people.length, size().w, size().h));
  const speaking = (userId: string) => calls.current?.speaker === userId && (calls.current ? Object.keys(calls.current.participants).length > 1 : false);

  return (
    <section class="call-view" aria-label={t("callOngoing")}>
      <header class="call-head">
        <CallStatus />
        <button type="button" class="call-round ghost" aria-label={t("callMinimize")} title={t("callMinimize")} onClick={() => props.onMinimize()}>
          <CallIcon name="minimize" size={20} />
        </button>
      </header>
      <div ref={grid} class={staged() ? "call-stage staged" : "call-stage"}>
        <Show when={staged()}>
          <div class="call-screens">
            <For each={tiles().screens}>{(tile) => <Tile tile={tile} speaking={false} />}</For>
          </div>
        </Show>
        <div class={staged() ? "call-strip" : "call-grid"} style={staged() ? {} : { "grid-template-columns": `repeat(${shape().cols}, minmax(0, 1fr))`, "grid-template-rows": `repeat(${shape().rows}, minmax(0, 1fr))` }}>
          <For each={tiles().people}>{(tile) => <Tile tile={tile} speaking={speaking(tile.userId)} />}</For>
        </div>
      </div>
      <CallControls />
      <RemoteAudio />
    </section>
  );
}
