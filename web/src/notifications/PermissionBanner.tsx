// The explanation before the browser's permission prompt: what notifications are for, a
// button that asks (the user gesture the prompt needs) and "Not now". On iOS in a browser
// tab it explains "Add to Home Screen" instead (push works only for installed web apps there).
// It sits in the chat list, so on a phone it is gone while a chat is open.
import { Show } from "solid-js";
import { offerPermission } from "./permission.ts";
import { t } from "../i18n/index.ts";
import { Icon } from "../ui/Icon.tsx";
import { askPermission, dismissOffer } from "./permission.ts";
import { currentPlatform, needsHomeScreen } from "./platform.ts";
import { enablePush } from "./push.ts";

/** At the top of the chat list (never over a chat or its composer), while there is something to offer. */
export function NotifyOffer() {
  return (
    <Show when={offerPermission()}>
      <PermissionBanner />
    </Show>
  );
}

function PermissionBanner() {
  const ios = needsHomeScreen(currentPlatform());
  const turnOn = async () => {
    if ((await askPermission()) === "granted") void enablePush();
  };
  return (
    <aside class="notify-offer" role="region" aria-label={t("notifyOfferTitle")}>
      <div class="notify-offer-text">
        <strong>{t("notifyOfferTitle")}</strong>
        <Show when={ios} fallback={<p>{t("notifyOfferText")}</p>}>
          <p>{t("notifyIosHomeScreen")}</p>
        </Show>
      </div>
      <div class="notify-offer-actions">
        <Show when={!ios}>
          <button type="button" onClick={() => void turnOn()}>{t("notifyTurnOn")}</button>
        </Show>
        <button type="button" class="secondary" onClick={dismissOffer}>{t("notifyNotNow")}</button>
      </div>
      <button type="button" class="icon-btn notify-offer-close" aria-label={t("close")} onClick={dismissOffer}><Icon name="close" size={16} /></button>
    </aside>
  );
}
