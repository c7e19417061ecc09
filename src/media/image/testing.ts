// What doctor and tests share: the public API plus a generated test image (no fixture file,
// so the compiled executable can make one too).
import { sharpOrReason } from "./native.ts";

export { initImages, imageSupport } from "./native.ts";
export { processImage } from "./process.ts";

/** A 640x480 JPEG with a gradient, made by sharp itself. */
export async function imageSelfTestJpeg(): Promise<Uint8Array> {
  const loaded = await sharpOrReason();
  if ("reason" in loaded) throw new Error(loaded.reason);
  const width = 640;
  const height = 480;
  const pixels = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) pixels.set([(x * 255) / width, (y * 255) / height, 128], (y * width + x) * 3);
  }
  return new Uint8Array(await loaded.sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg().toBuffer());
}
