import { t } from "../i18n/index.ts";

export function Brand() {
  return (
    <div class="brand">
      <img src="/icon.svg" alt="" />
      <div>
        <h1>{t("appName")}</h1>
        <p>{t("tagline")}</p>
      </div>
    </div>
  );
}
