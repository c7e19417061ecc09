// Markdown tables for docs/protocol.md, generated from the lists themselves so the
// documentation cannot drift: src/protocol/doc.test.ts checks the doc holds exactly
// these (HEARTH_WRITE_DOCS=1 bun test src/protocol/doc.test.ts rewrites them).
import type { TSchema } from "@sinclair/typebox";
import { BYE_REASONS, BYE_REASON_LIST } from "./close.ts";
import { ERROR_CODES, ERROR_CODE_LIST } from "./errors.ts";
import { ephemeralTypes } from "./ephemeral.ts";
import { eventTypes } from "./events.ts";
import { methods } from "./methods/index.ts";

const cell = (s: string) => s.replaceAll("|", "\\|");

export function errorCodeTable(): string {
  const rows = ERROR_CODE_LIST.map((c) => `| \`${c}\` | ${ERROR_CODES[c].http} | ${cell(ERROR_CODES[c].desc)} |`);
  return ["| code | HTTP | meaning and data |", "| --- | --- | --- |", ...rows].join("\n");
}

export function byeReasonTable(): string {
  const rows = BYE_REASON_LIST.map((r) => {
    const b = BYE_REASONS[r] as { code: number; retry: boolean; refresh?: boolean; desc: string };
    const retry = b.refresh ? "refresh, then reconnect" : b.retry ? "reconnect with backoff, resume" : "no";
    return `| \`${r}\` | ${b.code} | ${retry} | ${cell(b.desc)} |`;
  });
  return ["| bye reason | close code | client retries? | when |", "| --- | --- | --- | --- |", ...rows].join("\n");
}

/** Top-level field names of an object schema, `?` marking optional ones. */
function fieldsOf(schema: TSchema): string {
  const props = (schema as { properties?: Record<string, TSchema> }).properties;
  if (!props) return "—";
  const required = new Set((schema as { required?: string[] }).required ?? []);
  const names = Object.keys(props).map((k) => (required.has(k) ? k : `${k}?`));
  return names.length ? names.map((n) => `\`${n}\``).join(", ") : "{}";
}

export function methodTable(): string {
  const rows = Object.entries(methods).map(([name, m]) => `| \`${name}\` | ${fieldsOf(m.params)} | ${fieldsOf(m.result)} |`);
  return ["| method | params | result |", "| --- | --- | --- |", ...rows].join("\n");
}

export function eventTable(): string {
  const rows = Object.entries(eventTypes).map(([type, data]) => `| \`${type}\` | ${fieldsOf(data as TSchema)} |`);
  return ["| event type | data |", "| --- | --- |", ...rows].join("\n");
}

export function ephemeralTable(): string {
  const rows = Object.entries(ephemeralTypes).map(([type, data]) => `| \`${type}\` | ${fieldsOf(data as TSchema)} |`);
  return ["| ephemeral type | data |", "| --- | --- |", ...rows].join("\n");
}

export const generatedSections: Record<string, () => string> = {
  errors: errorCodeTable,
  bye: byeReasonTable,
  methods: methodTable,
  events: eventTable,
  ephemeral: ephemeralTable,
};
