// Image support: sharp loaded (in the executable: the embedded addon and <dataDir>/lib's
// libvips) and a real thumbnail made from a generated JPEG. Without it uploads still work
// and clients make the thumbnails, so a missing library is a warning, not a failure.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Check, ok, warn } from "../check.ts";

export const imagesCheck: Check = async ({ config }) => {
  const { initImages, processImage, imageSelfTestJpeg } = await import("../../../media/image/testing.ts");
  const support = await initImages({ dataDir: config.data.dir, enabled: config.images.enabled });
  if (!support.available) return [warn("image support", `${support.reason}; clients upload their own thumbnails`)];
  const dir = mkdtempSync(join(tmpdir(), "hearth-doctor-image-"));
  try {
    const src = join(dir, "test.jpg");
    await Bun.write(src, await imageSelfTestJpeg());
    const started = performance.now();
    const r = await processImage(src, dir);
    if (!r.ok) return [warn("image support", `${support.detail} loaded, but a test thumbnail failed: ${r.code}: ${r.detail}`)];
    const ms = Math.round(performance.now() - started);
    return [ok("image support", `${support.detail}; test image ${r.width}x${r.height}: ${r.thumbs.length} thumbnails and a placeholder in ${ms} ms`)];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};
