import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FatalError } from "../errors.ts";
import { limits } from "../limits.ts";
import { envName, loadConfig, redactConfig, resolveConfig, SECRETISH_KEYS } from "./load.ts";

const file = (text: string, path = "/etc/hearth.toml") => ({ path, text });

/** The FatalError message thrown by fn (fails the test if nothing or something else is thrown). */
function fatal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(FatalError);
    return (err as FatalError).message;
  }
  throw new Error("expected a FatalError");
}

describe("layers", () => {
  test("defaults come from the schema", () => {
    const c = loadConfig({});
    expect(c.server.port).toBe(8080);
    expect(c.server.host).toBe("0.0.0.0");
    expect(c.server.trustedProxies).toEqual([]);
    expect(c.metrics.enabled).toBe(true);
    expect(c.accounts.loginAttemptsPerIp).toBe(limits.loginAttemptsPerIpPerWindow);
    expect(c.source.file).toBeNull();
  });

  test("file < env < flags", () => {
    const f = file('[server]\nport = 9000\nhost = "127.0.0.1"\n[log]\nlevel = "debug"\n');
    const env = { HEARTH_SERVER_PORT: "9001", HEARTH_LOG_LEVEL: "warn" };
    expect(loadConfig({ file: f }).server.port).toBe(9000);
    expect(loadConfig({ file: f, env }).server.port).toBe(9001);
    const c = loadConfig({ file: f, env, flags: { port: "9002", set: ["log.level=error"] } });
    expect(c.server.port).toBe(9002);
    expect(c.server.host).toBe("127.0.0.1");
    expect(c.log.level).toBe("error");
    expect(c.source.file).toBe("/etc/hearth.toml");
  });

  test("--set is applied after the named flags and in order", () => {
    const c = loadConfig({ flags: { port: "1", set: ["server.port=2", "server.port=3"] } });
    expect(c.server.port).toBe(3);
  });

  test("env names are SCREAMING_SNAKE; lists are comma-separated", () => {
    expect(envName("storage", "postgresUrl")).toBe("HEARTH_STORAGE_POSTGRES_URL");
    expect(envName("protocol", "requestsPerSecondPerUser")).toBe("HEARTH_PROTOCOL_REQUESTS_PER_SECOND_PER_USER");
    const c = loadConfig({ env: { HEARTH_SERVER_TRUSTED_PROXIES: " 10.0.0.0/8, ::1 ,", HEARTH_DATA_DIR: "/srv/h" } });
    expect(c.server.trustedProxies).toEqual(["10.0.0.0/8", "::1"]);
    expect(c.data.dir).toBe("/srv/h");
    expect(loadConfig({ env: { HEARTH_SERVER_TRUSTED_PROXIES: "" } }).server.trustedProxies).toEqual([]);
  });

  test("booleans from text", () => {
    expect(loadConfig({ env: { HEARTH_METRICS_ENABLED: "false" } }).metrics.enabled).toBe(false);
    expect(loadConfig({ env: { HEARTH_METRICS_ENABLED: "0" } }).metrics.enabled).toBe(false);
    expect(loadConfig({ flags: { set: ["metrics.enabled=yes"] } }).metrics.enabled).toBe(true);
    expect(fatal(() => loadConfig({ env: { HEARTH_METRICS_ENABLED: "maybe" } }))).toBe(
      'invalid metrics.enabled (env HEARTH_METRICS_ENABLED): "maybe" is not a boolean; accepted: true or false',
    );
  });

  test("unrelated environment variables are ignored", () => {
    const env = { PATH: "/bin", HEARTH_CONFIG: "/x", HEARTH_SOMETHING_ELSE_ENTIRELY: "1", HEARTH_CACHE_DIR: "/c", HEARTH_SYSTEM_DEPS: "1" };
    expect(loadConfig({ env }).server.port).toBe(8080);
  });
});

describe("errors name the key, the source and what is accepted", () => {
  test("out of range, from env", () => {
    expect(fatal(() => loadConfig({ env: { HEARTH_SERVER_PORT: "70000" } }))).toBe(
      'invalid server.port (env HEARTH_SERVER_PORT): "70000" is out of range; accepted: an integer from 0 to 65535',
    );
  });

  test("not an integer, from a flag", () => {
    expect(fatal(() => loadConfig({ flags: { port: "eighty" } }))).toBe(
      'invalid server.port (flag --port): "eighty" is not an integer; accepted: an integer from 0 to 65535',
    );
  });

  test("wrong TOML type names the file", () => {
    expect(fatal(() => loadConfig({ file: file('[server]\nport = "8080"\n') }))).toBe(
      'invalid server.port (file /etc/hearth.toml): "8080" has type string, expected an integer; accepted: an integer from 0 to 65535',
    );
    expect(fatal(() => loadConfig({ file: file("[server]\ntrustedProxies = [1]\n") }))).toContain(
      "expected an array of strings",
    );
  });

  test("enum not accepted, via --set", () => {
    expect(fatal(() => loadConfig({ flags: { set: ["storage.durability=maybe"] } }))).toBe(
      'invalid storage.durability (flag --set storage.durability): "maybe" is not an accepted value; accepted: one of normal, full',
    );
  });

  test("unknown key in the file with did-you-mean", () => {
    expect(fatal(() => loadConfig({ file: file("[server]\nprot = 1\n") }))).toBe(
      "unknown config key server.prot (file /etc/hearth.toml); did you mean server.port?",
    );
    expect(fatal(() => loadConfig({ file: file('[servr]\nhost = "x"\n') }))).toBe(
      'unknown config section "servr" (file /etc/hearth.toml); did you mean "server"?',
    );
    expect(fatal(() => loadConfig({ file: file("port = 1\n") }))).toContain('unknown config section "port"');
    expect(fatal(() => loadConfig({ file: file('[server]\nzzzzzzzz = "x"\n') }))).toBe(
      "unknown config key server.zzzzzzzz (file /etc/hearth.toml)",
    );
  });

  test("unknown env variable with did-you-mean", () => {
    expect(fatal(() => loadConfig({ env: { HEARTH_SERVER_PROT: "1" } }))).toBe(
      "unknown config variable env HEARTH_SERVER_PROT; did you mean HEARTH_SERVER_PORT?",
    );
    expect(fatal(() => loadConfig({ env: { HEARTH_SERVR_PORT: "1" } }))).toContain("did you mean HEARTH_SERVER_PORT?");
    expect(fatal(() => loadConfig({ env: { HEARTH_LOG_EVERYTHING_PLEASE: "1" } }))).toBe(
      "unknown config variable env HEARTH_LOG_EVERYTHING_PLEASE",
    );
  });

  test("unknown key via --set, malformed --set", () => {
    expect(fatal(() => loadConfig({ flags: { set: ["metrics.bnd=x"] } }))).toBe(
      "unknown config key metrics.bnd (flag --set metrics.bnd); did you mean metrics.bind?",
    );
    expect(fatal(() => loadConfig({ flags: { set: ["port=1"] } }))).toContain("must look like section.key=value");
  });

  test("a section must be a table", () => {
    expect(fatal(() => loadConfig({ file: file('server = "x"\n') }))).toBe(
      'config section "server" in /etc/hearth.toml must be a table ([server])',
    );
  });

  test("unparsable TOML names the file and line", () => {
    expect(fatal(() => loadConfig({ file: file("[server]\nport = 80\nhost = \n") }))).toBe(
      "cannot parse config file /etc/hearth.toml at line 3, column 8: invalid value",
    );
  });

  test("format rules: bind, publicUrl, trustedProxies", () => {
    expect(fatal(() => loadConfig({ env: { HEARTH_METRICS_BIND: "localhost" } }))).toBe(
      'invalid metrics.bind (env HEARTH_METRICS_BIND): "localhost" is not host:port; accepted: empty, or host:port such as 127.0.0.1:9100',
    );
    expect(loadConfig({ env: { HEARTH_METRICS_BIND: "127.0.0.1:9100" } }).metrics.bind).toBe("127.0.0.1:9100");
    expect(loadConfig({ env: { HEARTH_METRICS_BIND: "[::1]:0" } }).metrics.bind).toBe("[::1]:0");
    expect(fatal(() => loadConfig({ env: { HEARTH_METRICS_BIND: "h:99999" } }))).toContain("is not host:port");
    expect(fatal(() => loadConfig({ flags: { set: ["server.publicUrl=chat.example.com"] } }))).toContain("is not an http(s) URL");
    expect(fatal(() => loadConfig({ env: { HEARTH_SERVER_TRUSTED_PROXIES: "10.0.0.0/33" } }))).toContain(
      'contains "10.0.0.0/33", which is not an IP address or CIDR',
    );
  });

  test("secretish values are never echoed", () => {
    const msg = fatal(() => loadConfig({ file: file("[calls]\nturnSecret = 5\n") }));
    expect(msg).toBe("invalid calls.turnSecret (file /etc/hearth.toml): has type number, expected a string; accepted: a string");
  });

  test("keys for storage and bus drivers this build lacks are unknown, not silently accepted", () => {
    expect(fatal(() => loadConfig({ flags: { set: ["storage.driver=postgres"] } }))).toContain("unknown config key storage.driver");
    expect(fatal(() => loadConfig({ file: file('[bus]\nredisUrl = "redis://h"\n') }))).toContain('unknown config section "bus"');
  });

  test("an oversize file is refused before parsing", () => {
    const big = "# " + "x".repeat(limits.configFileBytesMax) + "\n";
    expect(fatal(() => loadConfig({ file: file(big) }))).toContain(`the limit is ${limits.configFileBytesMax} bytes`);
  });
});

describe("file reading", () => {
  const dir = mkdtempSync(join(tmpdir(), "hearth-config-"));

  test("--config wins over HEARTH_CONFIG", () => {
    writeFileSync(join(dir, "a.toml"), "[server]\nport = 1111\n");
    writeFileSync(join(dir, "b.toml"), "[server]\nport = 2222\n");
    const env = { HEARTH_CONFIG: join(dir, "b.toml") };
    expect(resolveConfig({}, env).server.port).toBe(2222);
    const c = resolveConfig({ config: join(dir, "a.toml") }, env);
    expect(c.server.port).toBe(1111);
    expect(c.source.file).toBe(join(dir, "a.toml"));
  });

  test("missing or oversize file is fatal", () => {
    expect(fatal(() => resolveConfig({ config: join(dir, "none.toml") }, {}))).toBe(
      `cannot read config file ${join(dir, "none.toml")}: ENOENT`,
    );
    writeFileSync(join(dir, "big.toml"), Buffer.alloc(limits.configFileBytesMax + 1, 0x20));
    expect(fatal(() => resolveConfig({ config: join(dir, "big.toml") }, {}))).toContain("bytes; the limit is");
  });

  test("without a file, only env and flags apply", () => {
    expect(resolveConfig({ port: 0 }, {}).server.port).toBe(0);
  });
});

describe("redaction", () => {
  test("secretish keys are redacted, empty ones stay empty", () => {
    const c = loadConfig({ env: { HEARTH_CALLS_TURN_SECRET: "s3cret" } });
    const r = redactConfig(c) as { calls: { turnSecret: string; turnCredential: string } };
    expect(r.calls.turnSecret).toBe("[redacted]");
    expect(r.calls.turnCredential).toBe("");
    expect(SECRETISH_KEYS).toEqual(["turnCredential", "turnSecret"]);
  });
});
