import { render } from "solid-js/web";
import { App } from "./app.tsx";
import { lang } from "./i18n/index.ts";
import { applyTheme } from "./ui/theme.ts";
import "./ui/theme.css";
import "./ui/app.css";
import "./emoji/font.css";

applyTheme();
document.documentElement.lang = lang();
render(() => <App />, document.getElementById("root")!);

// The service worker caches the app shell so Hearth opens offline (web/public/sw.js).
if ("serviceWorker" in navigator && isSecureContext) {
  addEventListener("load", () => void navigator.serviceWorker.register("/sw.js").catch(() => undefined));
}
