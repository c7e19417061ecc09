// Placeholder for the signed-in app: the chat list and conversation views grow here.
import { t } from "../i18n/index.ts";
import { api } from "../net/http.ts";
import { session, setSession } from "../sync/session.ts";
import { Brand } from "../ui/Brand.tsx";

export function Home() {
  const signOut = async () => {
    const current = session();
    setSession(null);
    if (current) await api.logout(current.accessToken).catch(() => undefined); // signed out locally either way
  };
  return (
    <main class="center">
      <Brand />
      <div class="card">
        <p>{t("welcome")}</p>
        <p class="hint">{t("signedInAs")}</p>
        <button type="button" onClick={signOut}>{t("signOut")}</button>
      </div>
    </main>
  );
}
