// Link previews: the server fetches a web page's <head> (SSRF-safe: only public
// addresses, see docs/architecture.md) and answers its title, description, site name and
// an image it re-encoded and stores itself, so readers never contact the linked site.
// The composer asks preview.get while the sender types; message.send { preview: { url } }
// attaches it to the message (a snapshot: later changes of the page change nothing).
import { type Static, Type } from "@sinclair/typebox";

/** Transport cap; src/previews/ applies limits.previewUrlLengthMax with invalid_field. */
export const PreviewUrlSchema = Type.String({ minLength: 1, maxLength: 4096 });

/** A preview image: a media item (GET /media/:id, /media/:id/thumb/:w) any signed-in user may read. */
export const PreviewImageSchema = Type.Object({
  id: Type.String(),
  width: Type.Integer(),
  height: Type.Integer(),
  placeholder: Type.Optional(Type.String()), // thumbhash, base64
});

export const LinkPreviewSchema = Type.Object({
  url: Type.String(), // the URL as asked for (it occurs in the message text)
  siteName: Type.Optional(Type.String()),
  title: Type.Optional(Type.String()),
  description: Type.Optional(Type.String()),
  image: Type.Optional(PreviewImageSchema),
});

/** What message.send takes: the URL (it must occur in the text); null or absent = no preview. */
export const PreviewChoiceSchema = Type.Union([Type.Object({ url: PreviewUrlSchema }), Type.Null()]);

export const previewMethods = {
  /**
   * The preview of an http(s) URL, or null when there is none: previews are off, the
   * page is not reachable or not public, not HTML, too slow or too big, or its <head>
   * has no title or description. Cached on the server for limits.previewCacheTtlMs.
   */
  "preview.get": {
    params: Type.Object({ url: PreviewUrlSchema }),
    result: Type.Object({ preview: Type.Union([LinkPreviewSchema, Type.Null()]) }),
  },
} as const;

export type WireLinkPreview = Static<typeof LinkPreviewSchema>;
export type PreviewMethodName = keyof typeof previewMethods;
export type PreviewParams<M extends PreviewMethodName> = Static<(typeof previewMethods)[M]["params"]>;
export type PreviewResult<M extends PreviewMethodName> = Static<(typeof previewMethods)[M]["result"]>;
