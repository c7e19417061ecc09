// No archive ends the process or escapes as anything but a typed error: valid exports with
// bytes flipped, cut or overwritten (deterministic, seeded), each opened and parsed like an
// import does. Everything thrown must be import_invalid (or the plan's invalid_field).
import { expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { AppError } from "../errors.ts";
import { discordChannel, telegramResult, telegramZip, whatsappAndroidUs, whatsappChat, whatsappZip, zipOf } from "../../tests/import-fixtures.ts";
import { parseArchive } from "./archive.ts";
import { plan } from "./plan.ts";
import { openZip } from "./zip.ts";

function rng(seed: number) {
  let x = seed >>> 0;
  return () => ((x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

function mutate(bytes: Uint8Array, r: () => number): Uint8Array {
  const out = new Uint8Array(bytes);
  const kind = Math.floor(r() * 3);
  if (kind === 0) return out.subarray(0, Math.floor(r() * out.length)); // cut
  const n = 1 + Math.floor(r() * 8);
  for (let i = 0; i < n; i++) {
    // flip bytes, biased to the directory and headers at the end and the start
    const at = r() < 0.5 ? out.length - 1 - Math.floor(r() * Math.min(out.length, 400)) : Math.floor(r() * out.length);
    out[at] = kind === 1 ? out[at]! ^ (1 << Math.floor(r() * 8)) : Math.floor(r() * 256);
  }
  return out;
}

test("600 damaged exports: each is imported or refused with a typed error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hearth-import-fuzz-"));
  const sources = [await telegramZip(), await whatsappZip()];
  const r = rng(20251231);
  const outcomes = new Map<string, number>();
  for (let i = 0; i < 600; i++) {
    const path = join(dir, `${i}.zip`);
    writeFileSync(path, mutate(sources[i % 2]!, r));
    let outcome = "parsed";
    try {
      const zip = await openZip(path);
      try {
        const parsed = await parseArchive(zip);
        plan(parsed, "importer", new Map(), Date.now());
        for (const m of parsed.messages) for (const f of m.files) if (f.path) await zip.read(zip.entries.get(f.path)!);
      } finally {
        await zip.close();
      }
    } catch (e) {
      if (!(e instanceof AppError)) throw new Error(`case ${i}: ${(e as Error).stack}`);
      outcome = e.code === "import_invalid" ? (e as AppError<"import_invalid">).data.reason : e.code;
    }
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  if (process.env.HEARTH_FUZZ_PRINT) console.log(Object.fromEntries(outcomes));
  // the damage reaches the directory, the entries and the chat files alike
  expect([...outcomes.keys()].sort()).toEqual(expect.arrayContaining(["parsed", "zip_corrupt", "zip_truncated"]));
});

test("600 damaged chat files in sound archives: each is imported or refused with a typed error", async () => {
  const dir = mkdtempSync(join(tmpdir(), "hearth-import-fuzz-"));
  const enc = new TextEncoder();
  const files: [string, Uint8Array][] = [
    ["Chat/result.json", enc.encode(JSON.stringify(telegramResult(), null, 1))],
    ["_chat.txt", enc.encode(whatsappChat())],
    ["WhatsApp Chat with Bob.txt", enc.encode(whatsappAndroidUs())],
    ["general.json", enc.encode(JSON.stringify(discordChannel()))],
  ];
  const r = rng(7);
  const outcomes = new Map<string, number>();
  for (let i = 0; i < 600; i++) {
    const [name, bytes] = files[i % files.length]!;
    const path = join(dir, `${i}.zip`);
    writeFileSync(path, zipOf([{ name, data: mutate(bytes, r) }]));
    let outcome = "parsed";
    const zip = await openZip(path);
    try {
      plan(await parseArchive(zip), "importer", new Map(), Date.now());
    } catch (e) {
      if (!(e instanceof AppError)) throw new Error(`case ${i}: ${(e as Error).stack}`);
      outcome = e.code === "import_invalid" ? (e as AppError<"import_invalid">).data.reason : e.code;
    } finally {
      await zip.close();
    }
    outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
  }
  if (process.env.HEARTH_FUZZ_PRINT) console.log(Object.fromEntries(outcomes));
  expect([...outcomes.keys()].sort()).toEqual(expect.arrayContaining(["parsed", "bad_json"]));
});
