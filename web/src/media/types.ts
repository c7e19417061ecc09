// The media shapes the web client uses, taken from the wire contract (src/protocol/media.ts,
// src/protocol/methods/previews.ts). Type-only imports: nothing of the schemas lands in the bundle.
export type { Attachment, MediaKind, UploadPurpose, CreateUploadBody, CreateUploadResult } from "../../../src/protocol/media.ts";
export type { WireLinkPreview as LinkPreview } from "../../../src/protocol/methods/previews.ts";
