// Light / dark / system theme: a data-theme attribute on <html> that theme.css reads.
import { createSignal } from "solid-js";

export type Theme = "system" | "light" | "dark";
const storageKey = "hearth.theme";

function load(): Theme {
  try {
    const v = localStorage.getItem(storageKey);
    return v === "light" || v === "dark" ? v : "system";
  } catch {
    return "system";
  }
}

const [theme, setThemeSignal] = createSignal<Theme>(load());
export { theme };

export function applyTheme(): void {
  document.documentElement.dataset.theme = theme();
}

export function setTheme(t: Theme): void {
  setThemeSignal(t);
  try {
    localStorage.setItem(storageKey, t);
  } catch {
    // not persisted
  }
  applyTheme();
}
