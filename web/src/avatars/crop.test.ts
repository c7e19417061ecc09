import { expect, test } from "vitest";
import { drag, fit, initialCrop, sideOf, sourceRect, zoomTo } from "./crop.ts";
import { avatarLimits } from "./limits.ts";

test("the first crop is the centred shorter side", () => {
  const c = initialCrop(4000, 3000);
  expect(sideOf(c)).toBe(3000);
  expect(sourceRect(c)).toEqual({ sx: 500, sy: 0, side: 3000, out: avatarLimits.outputPx });
  expect(sourceRect(initialCrop(100, 300)).out).toBe(100); // never upscaled
});

test("dragging follows the finger and stops at the image's edges", () => {
  const c = initialCrop(4000, 3000);
  // 280 px view over 3000 image px: a 28 px drag to the right shows what is left of the centre
  const moved = drag(c, 28, 0, 280);
  expect(moved.cx).toBeCloseTo(2000 - 300);
  expect(drag(c, 10_000, 0, 280).cx).toBe(1500); // the left edge
  expect(drag(c, -10_000, 0, 280).cx).toBe(2500); // the right edge
  expect(drag(c, 0, 50, 280).cy).toBe(1500); // no room vertically at zoom 1
});

test("zoom is bounded, keeps the focal point, and zooming out stays inside", () => {
  const c = initialCrop(1000, 1000);
  expect(zoomTo(c, 100).zoom).toBe(avatarLimits.zoomMax);
  expect(zoomTo(c, 0.1).zoom).toBe(1);
  const z = zoomTo(c, 2, 0, 0); // towards the top-left corner
  expect(sideOf(z)).toBe(500);
  expect(z.cx).toBe(250);
  expect(z.cy).toBe(250);
  const centred = zoomTo(c, 2);
  expect([centred.cx, centred.cy]).toEqual([500, 500]);
  const edge = drag(z, -1e6, -1e6, 280); // bottom-right at zoom 2
  const out = zoomTo(edge, 1);
  expect([out.cx, out.cy]).toEqual([500, 500]);
  expect(fit({ w: 10, h: 10, cx: -5, cy: 99, zoom: 1 })).toEqual({ w: 10, h: 10, cx: 5, cy: 5, zoom: 1 });
});

test("thumbnail widths and paths are the server's", async () => {
  const { MEDIA_THUMB_WIDTHS, mediaPaths } = await import("../../../src/protocol/media.ts");
  const { avatarUrl, thumbWidthFor, thumbWidths } = await import("./paths.ts");
  expect([...thumbWidths]).toEqual([...MEDIA_THUMB_WIDTHS]);
  expect(avatarUrl("a/b", 320)).toBe(mediaPaths.thumb("a/b", 320));
  expect(thumbWidthFor(44, 2)).toBe(320);
  expect(thumbWidthFor(200, 2)).toBe(800);
  expect(thumbWidthFor(900, 3)).toBe(1280);
});
