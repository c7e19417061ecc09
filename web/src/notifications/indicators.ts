// The count outside the page: "(3) Hearth" in the title, a dot on the favicon and the app
// badge (navigator.setAppBadge, installed apps) — all the same number, chats with something
// for the reader (rules.ts unreadChats). The dot is a second static icon: the page's CSP
// allows images from our own origin only, so no canvas-drawn data: URL.
const plainIcon = "/icon.svg";
const dotIcon = "/icon-dot.svg";
let lastShown = -1;
let badge = 0; // the last number given to the app badge (the e2e hook reads it)
export const badgeNow = () => badge;

export function showCount(n: number, appName: string): void {
  document.title = n > 0 ? `(${n}) ${appName}` : appName;
  if (n === lastShown) return;
  const hadDot = lastShown > 0;
  lastShown = n;
  if (hadDot !== n > 0 || n === 0) {
    const link = document.querySelector<HTMLLinkElement>('link[rel="icon"]');
    if (link) link.href = n > 0 ? dotIcon : plainIcon;
  }
  const nav = navigator as Navigator & { setAppBadge?: (n?: number) => Promise<void>; clearAppBadge?: () => Promise<void> };
  badge = n;
  if (n > 0) void nav.setAppBadge?.(n).catch(() => undefined);
  else void nav.clearAppBadge?.().catch(() => undefined);
}

export function resetCount(appName: string): void {
  lastShown = -1;
  showCount(0, appName);
}
