// Flags every command accepts: they choose and override the configuration.
import type { ConfigFlags } from "../config/load.ts";
import type { FlagSpec, FlagValues } from "./command.ts";

export const globalFlags: Record<string, FlagSpec> = {
  config: { type: "string", value: "file", desc: "TOML config file (default: $HEARTH_CONFIG, else none)" },
  data: { type: "string", value: "dir", desc: "Data directory (config data.dir, default ./data)" },
  set: { type: "string", multiple: true, value: "section.key=value", desc: "Override one config key; repeatable" },
  port: { type: "string", value: "port", desc: "Server port (config server.port)" },
  host: { type: "string", value: "address", desc: "Server bind address (config server.host)" },
};

/** Global flags whose value is the next argument, as written before the command name. */
export const globalValueFlags = new Set(Object.keys(globalFlags).map((name) => `--${name}`));

export function pickGlobals(values: FlagValues): ConfigFlags {
  const out: ConfigFlags = {};
  if (typeof values.config === "string") out.config = values.config;
  if (typeof values.data === "string") out.data = values.data;
  if (typeof values.port === "string") out.port = values.port;
  if (typeof values.host === "string") out.host = values.host;
  if (Array.isArray(values.set)) out.set = values.set;
  return out;
}
