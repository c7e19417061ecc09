// The wire contract shared by the server, the web client and bots. Imports nothing from
// src/ outside protocol/ and uses no Node or Bun API, so it bundles for the browser.
export * from "./version.ts";
export * from "./errors.ts";
export * from "./close.ts";
export * from "./frames.ts";
export * from "./codec.ts";
export * from "./shape.ts";
export * from "./validate.ts";
export * from "./methods/index.ts";
export * from "./events.ts";
export * from "./media.ts";
