import { describe, expect, test } from "bun:test";
import { type Command, UsageError } from "./command.ts";
import { locate, parse } from "./parse.ts";

const isGroup = (name: string) => name === "admin";

const cmd: Command = {
  name: "admin promote",
  summary: "",
  args: [{ name: "username", required: true, desc: "" }],
  flags: { role: { type: "string", desc: "" }, yes: { type: "boolean", short: "y", desc: "" } },
  examples: [],
  run: async () => 0,
};

function usageError(fn: () => unknown): UsageError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UsageError) return e;
    throw e;
  }
  throw new Error("expected a UsageError");
}

describe("locate", () => {
  test("global flags with values may come before the command", () => {
    expect(locate(["--data", "/d", "--set", "a.b=1", "admin", "promote", "bob", "--role", "owner"], isGroup)).toEqual({
      names: ["admin", "promote"],
      rest: ["--data", "/d", "--set", "a.b=1", "bob", "--role", "owner"],
    });
  });

  test("a plain command takes one name; everything after -- is an argument", () => {
    expect(locate(["backup", "out.sqlite", "--", "--help"], isGroup)).toEqual({ names: ["backup"], rest: ["out.sqlite", "--", "--help"] });
    expect(locate(["--port=9000"], isGroup)).toEqual({ names: [], rest: ["--port=9000"] });
  });
});

describe("parse", () => {
  test("flags, short flags, globals and positionals", () => {
    const input = parse(cmd, ["bob", "--role", "owner", "-y", "--data", "/d", "--set", "a.b=1", "--set=c.d=2"]);
    expect(input.positionals).toEqual(["bob"]);
    expect(input.flags.role).toBe("owner");
    expect(input.flags.yes).toBe(true);
    expect(input.globals).toEqual({ data: "/d", set: ["a.b=1", "c.d=2"] });
  });

  test.each([
    [["bob", "--nope"], 'unknown flag --nope (see "hearth admin promote --help")'],
    [["bob", "-q"], "unknown flag -q"],
    [["bob", "--role"], "flag --role needs a value"],
    [["bob", "--yes=1"], "flag --yes takes no value"],
    [[], "missing <username>"],
    [["bob", "alice"], 'unexpected argument "alice"'],
  ])("%p is a usage error (exit 2): %s", (args, message) => {
    const e = usageError(() => parse(cmd, args));
    expect(e.exitCode).toBe(2);
    expect(e.message).toContain(message);
  });
});
