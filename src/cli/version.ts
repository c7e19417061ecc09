// `hearth version`: what this executable is made of. The package.json import is
// resolved by the bundler, so the version is embedded at build time.
import pkg from "../../package.json" with { type: "json" };
import type { Command } from "./command.ts";

async function protocolVersion(): Promise<string> {
  try {
    const mod = (await import("../protocol/version.ts")) as Record<string, unknown>;
    const v = mod.PROTOCOL_VERSION ?? mod.protocolVersion ?? mod.version;
    return v === undefined ? "unknown" : String(v);
  } catch {
    return "unknown";
  }
}

async function mediasoupVersion(): Promise<string> {
  try {
    return (await import("../calls/worker-binary.ts")).mediasoupVersion;
  } catch {
    return "unknown";
  }
}

export const versionCommand: Command = {
  name: "version",
  summary: "Print the versions of Hearth, Bun, the protocol and mediasoup",
  examples: ["hearth version"],
  async run() {
    const lines = [
      `hearth ${pkg.version}`,
      `bun ${Bun.version}`,
      `protocol ${await protocolVersion()}`,
      `mediasoup ${await mediasoupVersion()}`,
    ];
    process.stdout.write(`${lines.join("\n")}\n`);
    return 0;
  },
};
