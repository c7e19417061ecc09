import { describe, expect, test } from "vitest";
import { encode } from "uqr";
import { qrPath } from "./qr.ts";

describe("qrPath", () => {
  test("one run per horizontal stretch of dark modules", () => {
    expect(qrPath([[true, true, false, true], [false, false, false, false]])).toBe("M0 0h2v1h-2zM3 0h1v1h-1z");
  });
  test("a real code covers exactly its dark modules", () => {
    const { data } = encode("https://192.168.1.20:8443/invite#abc", { ecc: "M", border: 2 });
    const dark = data.flat().filter(Boolean).length;
    const area = [...qrPath(data).matchAll(/h(\d+)v1/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    expect(area).toBe(dark);
  });
});
