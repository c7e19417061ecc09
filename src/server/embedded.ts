// What the compiled executable carries inside itself, registered by the entry module
// build.ts generates (src/build-entry.gen.ts) before the CLI runs. When running from the
// source tree nothing is registered and callers fall back to files on disk.
export interface EmbeddedWorker {
  path: string; // embedded file path (/$bunfs/…): copy out before spawning
  sha256: string;
}

export interface Embedded {
  web: Readonly<Record<string, string>> | null; // URL path → embedded file path
  worker: EmbeddedWorker | null;
  version: string;
  commit: string;
}

let current: Embedded | null = null;

export function registerEmbedded(embedded: Embedded): void {
  current = embedded;
}

/** null when running from source (`bun src/main.ts`). */
export function embedded(): Embedded | null {
  return current;
}
