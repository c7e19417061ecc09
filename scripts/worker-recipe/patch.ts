// Source edits that let mediasoup's worker build against Debian 12 packages.
// Pure text transforms: each one checks it matched exactly what it expects, so a
// new mediasoup version with different build files fails loudly instead of
// silently building something else.
import { readFileSync } from "node:fs";
import { join } from "node:path";

const recipeDir = import.meta.dir;

/** The subprojects replaced by system libraries (see system-deps.meson). */
const replacedProjects = ["openssl", "libuv", "libsrtp2", "usrsctp", "abseil_cpp", "catch2", "flatbuffers"];

export class PatchError extends Error {}

function expectCount(what: string, found: number, expected: number): void {
  if (found !== expected) {
    throw new PatchError(`${what}: expected ${expected} match(es), found ${found} (mediasoup source changed?)`);
  }
}

function replaceCounted(text: string, pattern: RegExp, replacement: string, what: string, expected: number): string {
  let found = 0;
  const out = text.replace(pattern, (...args) => {
    found++;
    // Expand $1-style groups the same way String.replace would.
    return replacement.replace(/\$(\d)/g, (_, i: string) => String(args[Number(i)] ?? ""));
  });
  expectCount(what, found, expected);
  return out;
}

/** Removes `X_proj = subproject(...)` blocks of the replaced projects; returns count. */
function dropSubprojects(text: string): { text: string; dropped: number } {
  const names = replacedProjects.join("|");
  const block = new RegExp(`^(?:${names})_proj = subproject\\([\\s\\S]*?^\\)\\n\\n?`, "gm");
  let dropped = 0;
  const out = text.replace(block, () => (dropped++ === 0 ? "@@HEARTH_SYSTEM_DEPS@@\n" : ""));
  return { text: out, dropped };
}

/** `X_proj.get_variable('foo_dep')` → `foo_dep`; library variables (link_whole) are dropped. */
function pointToSystemDeps(text: string): string {
  const names = replacedProjects.join("|");
  const linkLine = new RegExp(`^\\s*(?:${names})_proj\\.get_variable\\('(?:\\w+_lib|libuv|libsrtp2|usrsctp)'\\),?\\n`, "gm");
  const withoutLibs = text.replace(linkLine, "");
  const depUse = new RegExp(`(?:${names})_proj\\.get_variable\\('(\\w+_dep)'\\)`, "g");
  const out = withoutLibs.replace(depUse, "$1");
  const left = out.match(new RegExp(`(?:${names})_proj`, "g"));
  expectCount("remaining subproject references", left?.length ?? 0, 0);
  return out;
}

export function patchMainMeson(text: string): string {
  const versioned = replaceCounted(text, /meson_version: '>= 1\.1\.0'/g, "meson_version: '>= 1.0.1'", "meson_version", 1);
  const { text: dropped, dropped: count } = dropSubprojects(versioned);
  expectCount("subproject blocks in worker/meson.build", count, replacedProjects.length);
  const systemDeps = readFileSync(join(recipeDir, "system-deps.meson"), "utf8");
  return pointToSystemDeps(dropped.replace("@@HEARTH_SYSTEM_DEPS@@\n", systemDeps));
}

export function patchLibwebrtcMeson(text: string): string {
  const { text: dropped, dropped: count } = dropSubprojects(text);
  expectCount("subproject blocks in deps/libwebrtc/meson.build", count, 1);
  return pointToSystemDeps(dropped.replace("@@HEARTH_SYSTEM_DEPS@@\n", ""));
}

export function patchSrtpSessionCpp(text: string): string {
  const adapter = readFileSync(join(recipeDir, "srtp-adapter.cpp"), "utf8");
  const withAdapter = replaceCounted(text, /^(#include <cstring>.*\n)/m, `$1\n${adapter}`, "SrtpSession.cpp includes", 1);
  const call = /\b(srtp_(?:un)?protect(?:_rtcp)?)\(this->session, (\w+), len\)/g;
  return replaceCounted(withAdapter, call, "HearthSrtpLen($1, this->session, $2, len)", "libsrtp length call sites", 4);
}

export function patchSrtpSessionHpp(text: string): string {
  return replaceCounted(text, /\bsrtp_stream_remove\(/g, "srtp_remove_stream(", "srtp_stream_remove", 1);
}

/**
 * mediasoup's BIO callback answers 1 instead of the real result in the *return* phase of
 * every non-write BIO operation: it compares `operationType == BIO_CB_RETURN`, but OpenSSL
 * passes `BIO_CB_RETURN | BIO_CB_CTRL` (etc.). With mediasoup's own OpenSSL build (kTLS
 * compiled out) nothing asks; Debian's OpenSSL 3 has kTLS, so `BIO_get_ktls_send()` on the
 * outgoing mem BIO answers 1, OpenSSL then leaves the DTLS write buffer unallocated, and the
 * worker dies with SIGSEGV in do_dtls1_write at the first DTLS handshake from a browser.
 * Returning `ret` for every return phase is what OpenSSL's BIO_set_callback_ex contract asks.
 */
export function patchDtlsTransportCpp(text: string): string {
  return replaceCounted(
    text,
    /\(operationType == BIO_CB_RETURN\) \? static_cast<long>\(ret\) : 1;/g,
    "(operationType & BIO_CB_RETURN) ? static_cast<long>(ret) : 1;",
    "DtlsTransport BIO callback return phase",
    1,
  );
}

/** Every edit, as (path inside worker/, transform). */
export const workerPatches: ReadonlyArray<readonly [string, (text: string) => string]> = [
  ["meson.build", patchMainMeson],
  ["deps/libwebrtc/meson.build", patchLibwebrtcMeson],
  ["src/RTC/SrtpSession.cpp", patchSrtpSessionCpp],
  ["include/RTC/SrtpSession.hpp", patchSrtpSessionHpp],
  ["src/RTC/DtlsTransport.cpp", patchDtlsTransportCpp],
];
