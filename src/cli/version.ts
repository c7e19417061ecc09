// `hearth version`: what this executable is made of. The package.json import is
// resolved by the bundler, so the version is embedded at build time.
import pkg from "../../package.json" with { type: "json" };
import { mediasoupVersion } from "../calls/worker-binary.ts";
import { PROTOCOL_VERSION } from "../protocol/version.ts";
import { embedded } from "../server/embedded.ts";
import { resolveConfig } from "../config/load.ts";
import type { Command } from "./command.ts";

/** The build records its commit; from the source tree the package version alone. */
function hearthVersion(): string {
  const built = embedded();
  return built ? `hearth ${built.version} (${built.commit})` : `hearth ${pkg.version}`;
}

export const versionCommand: Command = {
  name: "version",
  summary: "Print the versions of Hearth, Bun, the protocol and mediasoup",
  examples: ["hearth version"],
  async run({ globals }) {
    // Nothing here reads the configuration, but a bad flag value (--port x) is still the
    // same one-line error every other command gives, never silently ignored.
    resolveConfig(globals);
    const lines = [
      hearthVersion(),
      `bun ${Bun.version}`,
      `protocol ${PROTOCOL_VERSION}`,
      `mediasoup ${mediasoupVersion}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  },
};
