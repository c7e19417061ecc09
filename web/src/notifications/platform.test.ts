import { expect, test } from "vitest";
import { isIos, needsHomeScreen } from "./platform.ts";

const iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";
const mac = "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15";
const chrome = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0 Safari/537.36";

test("iOS in a tab needs the Home Screen first; installed, or any other browser, does not", () => {
  expect(needsHomeScreen({ userAgent: iphone, maxTouchPoints: 5, standalone: false })).toBe(true);
  expect(needsHomeScreen({ userAgent: iphone, maxTouchPoints: 5, standalone: true })).toBe(false);
  expect(isIos({ userAgent: mac, maxTouchPoints: 5, standalone: false })).toBe(true); // iPadOS as a desktop
  expect(isIos({ userAgent: mac, maxTouchPoints: 0, standalone: false })).toBe(false); // a real Mac
  expect(needsHomeScreen({ userAgent: chrome, maxTouchPoints: 0, standalone: false })).toBe(false);
});
