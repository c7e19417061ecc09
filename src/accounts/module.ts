// The accounts domain as the server sees it: WS methods, the welcome snapshot part,
// HTTP routes, the deletion sweeper (started when the server listens), and authenticate()
// for the WS hello. src/compose.ts lists the module.
import { background } from "../core/background.ts";
import type { Deps } from "../core/deps.ts";
import type { Authenticate, DomainModule } from "../core/module.ts";
import { currentUser } from "./access.ts";
import { startDeletionSweeper } from "./deletion.ts";
import { accountMethodDefs } from "./methods.ts";
import { accountRoutes } from "./routes.ts";
import { makeAuthenticate } from "./sessions.ts";
import { me } from "./views.ts";

export { ensureOwnerClaim } from "./registration.ts";

export function accountsModule(deps: Deps): DomainModule {
  return {
    name: "accounts",
    methods: accountMethodDefs(deps),
    // Small on purpose: sessions and invites are fetched when a screen needs them.
    snapshot: async (userId) => ({ me: me(await currentUser(deps, userId)) }),
    routes: (app) => app.use(accountRoutes(deps)),
    // accounts whose deletion grace period ran out are purged (started when the server listens)
    ...background(() => startDeletionSweeper(deps)),
  };
}

/** Verifies an access token against live state on every call (no cache). */
export const accountsAuthenticate = (deps: Deps): Authenticate => makeAuthenticate(deps);
