#!/usr/bin/env bun
// The entry point of `hearth` (and of the executable build.ts makes): the command line
// decides what runs. Nothing imports this file, so no unit depends on the entry.
import { runCli } from "./cli/index.ts";

if (import.meta.main) void runCli(Bun.argv.slice(2));
