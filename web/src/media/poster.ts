// Pictures made in the browser for media the server cannot picture: a video's first frame
// (the server has no video decoder) and, when the server made no thumbnails (no sharp on its
// platform), a downscaled copy of a photo. JPEG, at most posterWidthMax wide.
import type { Attachment } from "./types.ts";

export const posterWidthMax = 1280;
const posterQuality = 0.82;
const videoFrameAtS = 0.1; // just after the start: the very first frame is often black
const posterWaitMs = 10_000; // a video that will not decode gets no poster

function canvasBlob(source: CanvasImageSource, w: number, h: number): Promise<Blob | null> {
  const scale = Math.min(1, posterWidthMax / w);
  const canvas = document.createElement("canvas");
  canvas.width = Math.max(1, Math.round(w * scale));
  canvas.height = Math.max(1, Math.round(h * scale));
  canvas.getContext("2d")?.drawImage(source, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", posterQuality));
}

function videoFrame(blob: Blob): Promise<Blob | null> {
  const url = URL.createObjectURL(blob);
  const v = document.createElement("video");
  v.muted = true;
  v.preload = "auto";
  v.playsInline = true;
  return new Promise<Blob | null>((resolve) => {
    const timer = setTimeout(() => resolve(null), posterWaitMs);
    v.onloadedmetadata = () => (v.currentTime = Math.min(videoFrameAtS, (v.duration || 1) / 2));
    v.onseeked = () => {
      clearTimeout(timer);
      if (!v.videoWidth) return resolve(null);
      void canvasBlob(v, v.videoWidth, v.videoHeight).then(resolve);
    };
    v.onerror = () => (clearTimeout(timer), resolve(null));
    v.src = url;
  }).finally(() => {
    v.removeAttribute("src");
    v.load();
    URL.revokeObjectURL(url);
  });
}

async function imageCopy(blob: Blob): Promise<Blob | null> {
  const bitmap = await createImageBitmap(blob, { imageOrientation: "from-image" });
  try {
    return await canvasBlob(bitmap, bitmap.width, bitmap.height);
  } finally {
    bitmap.close();
  }
}

export function makePoster(blob: Blob, media: Attachment): Promise<Blob | null> {
  if (media.kind === "video") return videoFrame(blob);
  if (media.kind === "photo") return imageCopy(blob);
  return Promise.resolve(null);
}
