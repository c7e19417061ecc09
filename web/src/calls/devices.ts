// Local capture: microphone, camera and screen, honouring the devices chosen in the
// picker (kept in localStorage per kind). Device labels are only readable after a
// permission was granted, so the list is refreshed after every capture.
import { createSignal } from "solid-js";

export type DeviceKind = "audioinput" | "videoinput" | "audiooutput";
const storageKey = (kind: DeviceKind) => `hearth.device.${kind}`;

export interface DeviceChoice {
  deviceId: string;
  label: string;
}

const [deviceList, setDeviceList] = createSignal<Record<DeviceKind, DeviceChoice[]>>({ audioinput: [], videoinput: [], audiooutput: [] });
export { deviceList };

export function chosenDevice(kind: DeviceKind): string {
  try {
    return localStorage.getItem(storageKey(kind)) ?? "";
  } catch {
    return "";
  }
}

export function chooseDevice(kind: DeviceKind, deviceId: string): void {
  try {
    localStorage.setItem(storageKey(kind), deviceId);
  } catch {
    // not persisted: the choice still applies to this call
  }
}

export async function refreshDevices(): Promise<void> {
  if (!navigator.mediaDevices?.enumerateDevices) return;
  const all = await navigator.mediaDevices.enumerateDevices();
  const list: Record<DeviceKind, DeviceChoice[]> = { audioinput: [], videoinput: [], audiooutput: [] };
  for (const d of all) {
    if (d.kind in list && d.deviceId) list[d.kind as DeviceKind].push({ deviceId: d.deviceId, label: d.label });
  }
  setDeviceList(list);
}

const exact = (id: string) => (id ? { deviceId: { exact: id } } : {});

export async function captureMic(): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({
    audio: { ...exact(chosenDevice("audioinput")), echoCancellation: true, noiseSuppression: true, autoGainControl: true },
  });
  void refreshDevices().catch(() => undefined);
  return stream.getAudioTracks()[0]!;
}

export async function captureCamera(): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({
    video: { ...exact(chosenDevice("videoinput")), width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } },
  });
  void refreshDevices().catch(() => undefined);
  return stream.getVideoTracks()[0]!;
}

/** The screen (or a window/tab), with its audio where the browser offers it (Chromium: tabs and whole screens). */
export async function captureScreen(): Promise<{ video: MediaStreamTrack; audio: MediaStreamTrack | null }> {
  const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15 } }, audio: true });
  const video = stream.getVideoTracks()[0]!;
  video.contentHint = "detail"; // text stays sharp; the encoder drops frames rather than resolution
  return { video, audio: stream.getAudioTracks()[0] ?? null };
}

export const canShareScreen = () => typeof navigator !== "undefined" && !!navigator.mediaDevices?.getDisplayMedia;
