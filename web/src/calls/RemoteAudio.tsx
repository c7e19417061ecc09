// Everyone else's audio (microphones and shared-screen sound): one hidden <audio> each,
// silenced while deafened, playing on the chosen speaker where the browser can choose.
import { createEffect, For } from "solid-js";
import { chosenDevice } from "./devices.ts";
import { local, remote } from "./store.ts";

function Audio(props: { track: MediaStreamTrack }) {
  let el!: HTMLAudioElement;
  createEffect(() => {
    el.srcObject = new MediaStream([props.track]);
    void el.play().catch(() => undefined);
  });
  createEffect(() => {
    el.muted = local().deafened;
    const sink = chosenDevice("audiooutput");
    const withSink = el as HTMLAudioElement & { setSinkId?: (id: string) => Promise<void> };
    if (sink && withSink.setSinkId) void withSink.setSinkId(sink).catch(() => undefined);
  });
  return <audio ref={el} autoplay />;
}

export function RemoteAudio() {
  const tracks = () => [...remote().values()].filter((r) => r.kind === "audio");
  return (
    <div class="call-audio" aria-hidden="true">
      <For each={tracks()}>{(r) => <Audio track={r.track} />}</For>
    </div>
  );
}
