// Compiled TypeBox checks and their first error, in the shape both sides report:
// a path and a short reason. Compile once per schema (compiling is slow, checking fast).
import type { TSchema, Static } from "@sinclair/typebox";
import { TypeCompiler, type TypeCheck } from "@sinclair/typebox/compiler";

export interface Checker<T extends TSchema> {
  check(value: unknown): value is Static<T>;
  /** The first problem, or null when the value conforms. */
  firstError(value: unknown): { path: string; reason: string } | null;
}

export function compile<T extends TSchema>(schema: T): Checker<T> {
  const c: TypeCheck<T> = TypeCompiler.Compile(schema);
  return {
    check: (value): value is Static<T> => c.Check(value),
    firstError(value) {
      if (c.Check(value)) return null;
      const e = c.Errors(value).First();
      // "/a/b" → "a.b": what people call a field
      return { path: e ? e.path.slice(1).replaceAll("/", ".") : "", reason: e ? e.message : "invalid" };
    },
  };
}
