// Where things live inside the data directory, for the commands that work on files.
import { join } from "node:path";
import type { Config } from "../config/schema.ts";

export const databaseFile = (config: Config) => join(config.data.dir, "hearth.sqlite");
