// Top of the web client: signed in → Home, otherwise the auth screen chosen from the
// server's auth info (owner claim on a fresh server, else sign in / register).
import { createResource, Match, Switch } from "solid-js";
import { AuthScreen } from "./accounts/AuthScreen.tsx";
import { initialMode } from "./accounts/mode.ts";
import { Home } from "./home/Home.tsx";
import { api } from "./net/http.ts";
import { session } from "./sync/session.ts";

export function App() {
  // A server that cannot be reached still shows the sign-in form (with the error on submit).
  // Asked again on every sign-out: the owner claim or registration mode may have changed since.
  const [info] = createResource(
    () => session() === null || undefined,
    () => api.info().catch(() => null),
  );
  return (
    <Switch>
      <Match when={session()}>
        <Home />
      </Match>
      <Match when={!info.loading}>
        <AuthScreen info={info() ?? null} initial={initialMode(info() ?? null, new URL(location.href))} />
      </Match>
    </Switch>
  );
}
