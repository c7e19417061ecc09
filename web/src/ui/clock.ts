// A coarse clock signal (1 s) so expiring things (typing notices) re-render without timers per row.
import { createRoot, createSignal } from "solid-js";

export const now = createRoot(() => {
  const [value, setValue] = createSignal(Date.now());
  setInterval(() => setValue(Date.now()), 1000);
  return value;
});
