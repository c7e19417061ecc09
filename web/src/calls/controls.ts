// What the call controls do: mute (pause the mic producer: no audio reaches anyone),
// deafen (silence what we hear; others see it), camera and screen on/off, device switch.
// Each updates the local flags first so the button reacts at once.
import type { CallSource } from "../../../src/protocol/methods/calls.ts";
import * as net from "../net/connection.ts";
import { captureCamera, captureMic, captureScreen, chooseDevice, type DeviceKind } from "./devices.ts";
import { calls, local, mediaNow, setCallError, updateLocal as setLocal } from "./store.ts";

const callId = () => calls.current?.callId ?? null;

export async function toggleMute(): Promise<void> {
  const l = local();
  const muted = !l.muted;
  if (!muted && !l.mic) {
    const mic = await captureMic().catch(() => null);
    if (!mic) return void setCallError("mic");
    setLocal((x) => (x.mic = mic));
    await mediaNow()?.produce("mic", mic);
  }
  setLocal((x) => (x.muted = muted));
  await mediaNow()?.setPaused("mic", muted).catch(() => undefined);
}

export async function toggleDeafen(): Promise<void> {
  const deafened = !local().deafened;
  setLocal((x) => (x.deafened = deafened));
  const id = callId();
  if (id) await net.request("call.set_state", { callId: id, deafened }).catch(() => undefined);
}

export async function toggleCamera(): Promise<void> {
  const l = local();
  if (l.camera) {
    l.camera.stop();
    setLocal((x) => (x.camera = null));
    return mediaNow()?.stopProducing("camera");
  }
  const camera = await captureCamera().catch(() => null);
  if (!camera) return void setCallError("camera");
  setLocal((x) => (x.camera = camera));
  await mediaNow()?.produce("camera", camera);
}

export async function toggleScreen(): Promise<void> {
  const l = local();
  if (l.screen) return stopScreen();
  let shared: Awaited<ReturnType<typeof captureScreen>>;
  try {
    shared = await captureScreen();
  } catch {
    return; // the user cancelled the picker
  }
  // The browser's own "Stop sharing" button ends the track.
  shared.video.addEventListener("ended", () => void stopScreen());
  setLocal((x) => {
    x.screen = shared.video;
    x.screenAudio = shared.audio;
  });
  const m = mediaNow();
  await m?.produce("screen", shared.video);
  if (shared.audio) await m?.produce("screen_audio", shared.audio);
}

async function stopScreen(): Promise<void> {
  const l = local();
  const had: CallSource[] = [];
  if (l.screen) had.push("screen");
  if (l.screenAudio) had.push("screen_audio");
  l.screen?.stop();
  l.screenAudio?.stop();
  setLocal((x) => {
    x.screen = null;
    x.screenAudio = null;
  });
  for (const s of had) await mediaNow()?.stopProducing(s);
}

/** A new microphone or camera: capture it and swap the track under the running producer. */
export async function switchDevice(kind: DeviceKind, deviceId: string): Promise<void> {
  chooseDevice(kind, deviceId);
  const l = local();
  if (kind === "audioinput" && l.mic) {
    const mic = await captureMic().catch(() => null);
    if (!mic) return void setCallError("mic");
    l.mic.stop();
    setLocal((x) => (x.mic = mic));
    await mediaNow()?.produce("mic", mic, l.muted);
  } else if (kind === "videoinput" && l.camera) {
    const camera = await captureCamera().catch(() => null);
    if (!camera) return void setCallError("camera");
    l.camera.stop();
    setLocal((x) => (x.camera = camera));
    await mediaNow()?.produce("camera", camera);
  } else if (kind === "audiooutput") {
    setLocal(() => undefined); // audio elements re-read the chosen output
  }
}
