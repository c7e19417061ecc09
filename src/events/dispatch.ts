// `req` dispatch: the method table built once from the domain modules, params validated
// against each method's TypeBox schema before its handler runs, and every outcome
// turned into a `res` body (result, or a WireError mapped in one place).
import type { TSchema } from "@sinclair/typebox";
import type { WireError } from "../protocol/errors.ts";
import { schemaProblem } from "../errors.ts";
import { type Checker, compile } from "../protocol/validate.ts";
import { toWireError } from "../server/errors.ts";
import type { CallContext, DomainModule, MethodDef } from "../core/module.ts";

export interface MethodEntry {
  def: MethodDef;
  params: Checker<TSchema>;
}

export type MethodTable = ReadonlyMap<string, MethodEntry>;

/** One table for all modules; a name defined twice is a programming error. */
export function methodTable(modules: readonly DomainModule[]): MethodTable {
  const table = new Map<string, MethodEntry>();
  for (const m of modules) {
    for (const def of m.methods) {
      if (table.has(def.name)) throw new Error(`method ${def.name} is defined twice (module ${m.name})`);
      table.set(def.name, { def, params: compile(def.params) });
    }
  }
  return table;
}

export type Outcome = { result: unknown } | { error: WireError };

export async function callMethod(table: MethodTable, method: string, rawParams: unknown, ctx: CallContext): Promise<Outcome> {
  const entry = table.get(method);
  if (!entry) return { error: { code: "unknown_method", message: `No method ${method.slice(0, 64)}` } };
  const params = rawParams === undefined ? {} : rawParams;
  const bad = entry.params.firstError(params);
  if (bad) return { error: paramsError(bad) };
  try {
    // params passed the very schema the handler was bound with (bind / testMethod), which
    // is what makes them the handler's params type; the table erases that type per entry.
    const result = await (entry.def.handler as (c: CallContext, p: unknown) => Promise<unknown>)(ctx, params);
    return { result: result === undefined ? null : result };
  } catch (e) {
    return { error: toWireError(e, ctx.requestId, ctx.log) };
  }
}

function paramsError(bad: { path: string; reason: string }): WireError {
  const e = schemaProblem(bad, "request params");
  return { code: e.code, message: e.message, data: e.data } as WireError;
}
