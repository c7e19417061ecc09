// Link previews as the server sees them: the preview.get WS method. Any signed-in user
// may ask (a preview holds nothing private); the service rate-limits per user.
import { previewMethods } from "../protocol/methods/previews.ts";
import type { Deps } from "../core/deps.ts";
import { type DomainModule, bind } from "../core/module.ts";

export function previewsModule(deps: Deps): DomainModule {
  return {
    name: "previews",
    methods: [
      bind("preview.get", async (ctx, p) => ({ preview: deps.previews ? await deps.previews.get(ctx.userId, p.url) : null })),
    ],
  };
}
