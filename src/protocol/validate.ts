// Compiled TypeBox checks and their first error, in the shape both sides report:
// a path and a short reason. Compile once per schema (compiling is slow, checking fast).
// In a browser page the web client's Content-Security-Policy allows no eval, which the
// compiler needs (new Function): there the same checks run interpreted (Value), without
// even trying to compile, since a refused attempt is itself reported as a violation.
import type { TSchema, Static } from "@sinclair/typebox";
import { TypeCompiler } from "@sinclair/typebox/compiler";
import { Value } from "@sinclair/typebox/value";

export interface Checker<T extends TSchema> {
  check(value: unknown): value is Static<T>;
  /** The first problem, or null when the value conforms. */
  firstError(value: unknown): { path: string; reason: string } | null;
}

interface Engine {
  check(value: unknown): boolean;
  first(value: unknown): { path: string; message: string } | undefined;
}

const inPage = typeof document !== "undefined";

function engine(schema: TSchema): Engine {
  if (inPage) return { check: (v) => Value.Check(schema, v), first: (v) => Value.Errors(schema, v).First() };
  const c = TypeCompiler.Compile(schema);
  return { check: (v) => c.Check(v), first: (v) => c.Errors(v).First() };
}

export function compile<T extends TSchema>(schema: T): Checker<T> {
  const c = engine(schema);
  return {
    check: (value): value is Static<T> => c.check(value),
    firstError(value) {
      if (c.check(value)) return null;
      const e = c.first(value);
      // "/a/b" → "a.b": what people call a field
      return { path: e ? e.path.slice(1).replaceAll("/", ".") : "", reason: e ? e.message : "invalid" };
    },
  };
}
