// What the compiled executable carries inside itself, registered by the entry module
// build.ts generates (src/build-entry.gen.ts) before the CLI runs. When running from the
// source tree nothing is registered and callers fall back to files on disk.
export interface EmbeddedWorker {
  path: string; // embedded file path (/$bunfs/…): copy out before spawning
  sha256: string;
}

/** libvips-cpp.so for sharp (src/media/image/native.ts): written to <dataDir>/lib, then dlopen'ed. */
export interface EmbeddedLibrary {
  path: string; // embedded file path (/$bunfs/…)
  name: string; // its soname, e.g. libvips-cpp.so.8.17.3: the addon's NEEDED entry
  sha256: string;
}

export interface Embedded {
  web: Readonly<Record<string, string>> | null; // URL path → embedded file path
  worker: EmbeddedWorker | null;
  /** null: this build has no native image library (the arm64 build); images are processed by clients. */
  libvips?: EmbeddedLibrary | null;
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
