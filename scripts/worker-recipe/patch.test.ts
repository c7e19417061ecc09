import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { mediasoupDir } from "./key.ts";
import { PatchError, patchDtlsTransportCpp, patchLibwebrtcMeson, patchMainMeson, patchSrtpSessionCpp, patchSrtpSessionHpp } from "./patch.ts";

const source = (path: string) => readFileSync(join(mediasoupDir, "worker", path), "utf8");

describe("worker source patches (against the pinned mediasoup's real files)", () => {
  test("meson.build uses system dependencies and no subproject", () => {
    const out = patchMainMeson(source("meson.build"));
    expect(out).not.toMatch(/(openssl|libuv|libsrtp2|usrsctp|abseil_cpp|catch2|flatbuffers)_proj/);
    expect(out).toContain("dependency('libsrtp2', static: true)");
    expect(out).toContain("meson_version: '>= 1.0.1'");
    expect(out).toMatch(/link_whole = \[\n\s+libwebrtc,\n\]/);
    // the Windows/liburing branches are left alone (never taken on Linux with liburing disabled)
    expect(out).toContain("liburing_proj.get_variable('uring')");
  });

  test("libwebrtc's meson.build points at the same dependency variables", () => {
    const out = patchLibwebrtcMeson(source("deps/libwebrtc/meson.build"));
    expect(out).not.toContain("_proj");
    expect(out).toContain("    absl_strings_dep,\n");
  });

  test("the 4 libsrtp length call sites go through the adapter", () => {
    const out = patchSrtpSessionCpp(source("src/RTC/SrtpSession.cpp"));
    expect(out.match(/HearthSrtpLen\(srtp_/g)?.length).toBe(4);
    expect(out).toContain("HearthSrtpLen(srtp_unprotect_rtcp, this->session, data, len)");
    expect(patchSrtpSessionHpp(source("include/RTC/SrtpSession.hpp"))).toContain("srtp_remove_stream(this->session");
  });

  test("the DTLS BIO callback passes OpenSSL's result through in every return phase", () => {
    const out = patchDtlsTransportCpp(source("src/RTC/DtlsTransport.cpp"));
    expect(out).toContain("(operationType & BIO_CB_RETURN) ? static_cast<long>(ret) : 1;");
    expect(out).not.toContain("operationType == BIO_CB_RETURN");
  });

  test("a source that no longer matches fails loudly instead of building something else", () => {
    expect(() => patchSrtpSessionHpp("nothing here")).toThrow(PatchError);
    expect(() => patchMainMeson(source("meson.build").replace("meson_version: '>= 1.1.0'", ""))).toThrow(/meson_version/);
    const oneCallGone = source("src/RTC/SrtpSession.cpp").replace("srtp_protect(this->session, encryptBuffer, len)", "x()");
    expect(() => patchSrtpSessionCpp(oneCallGone)).toThrow(/expected 4 match/);
  });
});
