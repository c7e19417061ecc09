// Input rules of uploads: file names as stored and served, voice waveforms.
import { invalidField } from "../errors.ts";
import { limits } from "../limits.ts";

// Control characters, path separators and the characters Windows refuses in names.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f/\\:*?"<>|\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** A name safe to store and to put in Content-Disposition; never empty. */
export function cleanName(input: string): string {
  const clean = input.normalize("NFC").replace(UNSAFE, "_").trim().replace(/^\.+/, "_");
  const cut = [...clean].slice(0, limits.mediaNameLengthMax).join("");
  return cut === "" || /^_+$/.test(cut) ? "file" : cut;
}

/** base64 of 1..voiceWaveformBytesMax bytes, returned re-encoded (canonical). */
export function cleanWaveform(input: string): string {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(input)) throw invalidField("waveform", "must be base64");
  const bytes = Buffer.from(input, "base64");
  if (bytes.length === 0 || bytes.length > limits.voiceWaveformBytesMax) {
    throw invalidField("waveform", `must hold 1 to ${limits.voiceWaveformBytesMax} bytes`);
  }
  return bytes.toString("base64");
}
