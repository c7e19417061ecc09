// What this browser can do about notifications (pure over what it is given; tested).
// iOS and iPadOS allow Web Push only to a web app added to the Home Screen (16.4+), so
// there we explain that first instead of offering a prompt that cannot work.
export interface Platform {
  userAgent: string;
  maxTouchPoints: number;
  standalone: boolean; // display-mode: standalone, or Safari's navigator.standalone
}

export function isIos(p: Platform): boolean {
  if (/iPhone|iPad|iPod/.test(p.userAgent)) return true;
  // iPadOS asks for the desktop site by default: a "Macintosh" with a touch screen
  return /Macintosh/.test(p.userAgent) && p.maxTouchPoints > 1;
}

/** iOS in a browser tab: push needs "Add to Home Screen" first. */
export const needsHomeScreen = (p: Platform) => isIos(p) && !p.standalone;

export function currentPlatform(): Platform {
  const standalone = matchMedia("(display-mode: standalone)").matches || (navigator as Navigator & { standalone?: boolean }).standalone === true;
  return { userAgent: navigator.userAgent, maxTouchPoints: navigator.maxTouchPoints ?? 0, standalone };
}
