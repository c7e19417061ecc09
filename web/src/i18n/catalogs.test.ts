// Every language has exactly the keys of English (no missing, no stale), the same
// {placeholders} per string, and no JSX text outside the catalogs.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { catalogs } from "./index.ts";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test("every catalog has the English keys, error codes and placeholders", () => {
  const en = catalogs.en;
  for (const [lang, cat] of Object.entries(catalogs)) {
    expect(Object.keys(cat).sort(), lang).toEqual(Object.keys(en).sort());
    expect(Object.keys(cat.errors).sort(), lang).toEqual(Object.keys(en.errors).sort());
    expect(Object.keys(cat.plurals).sort(), lang).toEqual(Object.keys(en.plurals).sort());
    // every plural text has exactly the forms the language's Intl.PluralRules can select
    const categories = new Intl.PluralRules(lang).resolvedOptions().pluralCategories.slice().sort();
    for (const [key, forms] of Object.entries(cat.plurals)) {
      expect(Object.keys(forms).sort(), `${lang}.plurals.${key}`).toEqual(categories);
      for (const form of Object.values(forms)) expect(placeholders(form!), `${lang}.plurals.${key}`).toEqual(placeholders(en.plurals[key as keyof typeof en.plurals].other));
    }
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      if (key === "errors" || key === "plurals") continue;
      expect(placeholders(cat[key]), `${lang}.${key}`).toEqual(placeholders(en[key]));
      expect(cat[key].trim().length, `${lang}.${key}`).toBeGreaterThan(0);
    }
  }
});

function tsxFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? tsxFiles(p) : p.endsWith(".tsx") ? [p] : [];
  });
}

test("no user-visible text written into JSX: text between tags and label attributes come from t()", () => {
  const root = join(import.meta.dirname, "..");
  const offenders: string[] = [];
  for (const file of tsxFiles(root)) {
    const src = readFileSync(file, "utf8").replace(/\/\/.*$/gm, "");
    // a letter right after a closing `>` of a tag, or a literal label/placeholder/title attribute
    for (const m of src.matchAll(/(?<!=)>\s*([A-Za-zÄÖÜäöü][A-Za-zÄÖÜäöü ,.'!?-]{1,})\s*</g)) offenders.push(`${file}: ${m[1]}`);
    for (const m of src.matchAll(/\b(aria-label|placeholder|title|alt)="([^"]+)"/g)) offenders.push(`${file}: ${m[1]}="${m[2]}"`);
  }
  expect(offenders).toEqual([]);
});
