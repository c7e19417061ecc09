import { describe, expect, test } from "bun:test";
import { seededRng } from "../../tests/support/seed.ts";
import { base32Decode, base32Encode, hotp, newTotpSecret, otpauthUrl, totpStep, verifyTotp } from "./totp.ts";

const rfcSeed = new TextEncoder().encode("12345678901234567890");

describe("TOTP", () => {
  test("RFC 6238 Appendix B SHA-1 vectors (8 digits)", () => {
    const vectors: [number, string][] = [
      [59, "94287082"],
      [1111111109, "07081804"],
      [1111111111, "14050471"],
      [1234567890, "89005924"],
      [2000000000, "69279037"],
      [20000000000, "65353130"],
    ];
    for (const [seconds, code] of vectors) expect(hotp(rfcSeed, totpStep(seconds * 1000), 8)).toBe(code);
  });

  test("RFC 4226 Appendix D HOTP vectors (6 digits)", () => {
    const codes = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
    codes.forEach((code, counter) => expect(hotp(rfcSeed, counter)).toBe(code));
  });

  test("base32 round-trips and matches RFC 4648 examples", () => {
    expect(base32Encode(new TextEncoder().encode("foobar"))).toBe("MZXW6YTBOI");
    expect(new TextDecoder().decode(base32Decode("mzxw6ytboi======")!)).toBe("foobar");
    const bytes = seededRng("base32 round-trip").bytes(20);
    expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
    expect(base32Decode("M1")).toBeNull();
  });

  test("verify accepts ±1 step, refuses further and refuses a used step", () => {
    const secret = newTotpSecret();
    const key = base32Decode(secret)!;
    const now = 1_700_000_000_000;
    const step = totpStep(now);
    expect(verifyTotp(secret, hotp(key, step), now)).toBe(step);
    expect(verifyTotp(secret, hotp(key, step - 1), now)).toBe(step - 1);
    expect(verifyTotp(secret, hotp(key, step + 1), now)).toBe(step + 1);
    expect(verifyTotp(secret, hotp(key, step - 2), now)).toBeNull();
    expect(verifyTotp(secret, hotp(key, step), now, step)).toBeNull();
    expect(verifyTotp(secret, hotp(key, step - 1), now, step)).toBeNull();
    expect(verifyTotp(secret, "12345", now)).toBeNull();
    expect(verifyTotp(secret, "abcdef", now)).toBeNull();
  });

  test("otpauth URL carries the secret and parameters", () => {
    const url = new URL(otpauthUrl("Hearth", "alice", "JBSWY3DPEHPK3PXP"));
    expect(url.protocol).toBe("otpauth:");
    expect(url.searchParams.get("secret")).toBe("JBSWY3DPEHPK3PXP");
    expect(url.searchParams.get("digits")).toBe("6");
    expect(url.searchParams.get("period")).toBe("30");
  });
});
