// Media processing, the one import point for uploads and link previews
// (/work/wt/contracts/image.md): sniffing, images through sharp, container probing.
export { initImages, imageSupport, supportLine } from "./native.ts";
export { processImage, reencodeImage } from "./process.ts";
export { inlineImageMimes, refineKind, sniff } from "./sniff.ts";
export { probeAudioVideo } from "../probe/index.ts";
export type { ProbeFailureCode, ProbeFormat, ProbeInfo, ProbeResult } from "../probe/types.ts";
export { thumbWidths } from "./types.ts";
export type { ImageFailure, ImageFailureCode, ImageResult, ImageSupport, MediaKind, ReencodeResult, Sniffed, Thumb, ThumbWidth } from "./types.ts";
