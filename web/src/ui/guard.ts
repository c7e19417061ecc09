// The error line of a panel: `guard(p)` clears it, awaits p, and shows what p failed with.
import { createSignal } from "solid-js";
import { errorOf } from "../i18n/index.ts";

export function createGuard() {
  const [error, setError] = createSignal("");
  const guard = async (p: Promise<unknown>): Promise<void> => {
    setError("");
    try {
      await p;
    } catch (e) {
      setError(errorOf(e));
    }
  };
  return { error, setError, guard };
}
