// The configuration schema: every key, its type, default, accepted values and meaning.
// Precedence: defaults < config file (TOML, --config) < environment (HEARTH_<SECTION>_<KEY>)
// < CLI flags. Loading and validation live in src/config/load.ts; docs/operations.md's
// reference table is checked against this file by a test.
import { limits } from "../limits.ts";

export type KeyType = "string" | "int" | "bool" | "enum" | "list";

export interface KeySpec {
  type: KeyType;
  default: string | number | boolean | readonly string[];
  desc: string;
  accepted?: readonly string[]; // enum values
  min?: number;
  max?: number;
  secretish?: boolean; // never logged
}

const k = <S extends KeySpec>(s: S) => s;

export const schema = {
  server: {
    host: k({ type: "string", default: "0.0.0.0", desc: "Address the HTTP/WebSocket server binds to." }),
    port: k({ type: "int", default: 8080, min: 0, max: 65535, desc: "Port of the HTTP/WebSocket server (0 picks a free port)." }),
    publicUrl: k({ type: "string", default: "", desc: "URL people use to reach Hearth (used in printed links). Empty: derived from host and port." }),
    trustedProxies: k({ type: "list", default: [] as readonly string[], desc: "Peer addresses or CIDRs whose X-Forwarded-For / X-Real-IP headers are trusted." }),
  },
  data: {
    dir: k({ type: "string", default: "./data", desc: "Data directory: database, secrets, backups, extracted SFU worker." }),
  },
  storage: {
    durability: k({ type: "enum", default: "normal", accepted: ["normal", "full"] as const, desc: "SQLite synchronous mode: normal survives process crashes, full also power loss (slower)." }),
  },
  log: {
    level: k({ type: "enum", default: "info", accepted: ["debug", "info", "warn", "error"] as const, desc: "Minimum log level." }),
    format: k({ type: "enum", default: "auto", accepted: ["auto", "json", "pretty"] as const, desc: "auto: pretty on a terminal, JSON otherwise." }),
  },
  metrics: {
    enabled: k({ type: "bool", default: true, desc: "Serve Prometheus metrics." }),
    bind: k({ type: "string", default: "", desc: "host:port for a separate metrics listener. Empty: /metrics on the main server." }),
  },
  accounts: {
    registration: k({ type: "enum", default: "invite", accepted: ["open", "invite", "closed"] as const, desc: "Who may register: anyone, holders of an invite, or nobody." }),
    loginAttemptsPerAccount: k({ type: "int", default: limits.loginAttemptsPerAccountPerWindow, min: 1, max: 100_000, desc: "Failed logins per account per window before throttling." }),
    loginAttemptsPerIp: k({ type: "int", default: limits.loginAttemptsPerIpPerWindow, min: 1, max: 100_000, desc: "Failed logins per client IP per window before throttling." }),
    registerAttemptsPerIp: k({ type: "int", default: limits.registerAttemptsPerIpPerWindow, min: 1, max: 100_000, desc: "Registration attempts (successful or not) per client IP per login throttling window." }),
    claimAttemptsPerIp: k({ type: "int", default: limits.claimAttemptsPerIpPerWindow, min: 1, max: 100_000, desc: "Owner-claim attempts per client IP per login throttling window." }),
    loginThrottleWindowMs: k({ type: "int", default: limits.loginThrottleWindowMs, min: 1000, max: 86_400_000, desc: "Login throttling window." }),
    deletionGraceMs: k({
      type: "int",
      default: limits.accountDeletionGraceMsDefault,
      min: 0,
      max: limits.accountDeletionGraceMsMax,
      desc: "How long a requested account deletion waits before the account is purged (the person may cancel at sign-in meanwhile). 0: at the next sweep.",
    }),
  },
  protocol: {
    requestsPerSecondPerConnection: k({ type: "int", default: limits.requestsPerSecondPerConnection, min: 1, max: 1_000_000, desc: "WebSocket requests per second per connection (token bucket)." }),
    requestsPerSecondPerUser: k({ type: "int", default: limits.requestsPerSecondPerUser, min: 1, max: 1_000_000, desc: "WebSocket requests per second per user across connections." }),
    frameBytesMax: k({ type: "int", default: limits.frameBytesMax, min: 1024, max: 16 * 1024 * 1024, desc: "Largest accepted WebSocket frame." }),
    heartbeatIntervalMs: k({ type: "int", default: limits.heartbeatIntervalMs, min: 100, max: 600_000, desc: "Server ping interval (jitter added)." }),
  },
  calls: {
    workers: k({ type: "int", default: 0, min: 0, max: 256, desc: "mediasoup workers; 0 = one per CPU core." }),
    rtcPort: k({ type: "int", default: 40000, min: 0, max: 65535, desc: "Single UDP+TCP port for WebRTC media." }),
    announcedAddress: k({ type: "string", default: "", desc: "IP announced in ICE candidates. Empty: detected LAN address." }),
    iceServers: k({ type: "list", default: [] as readonly string[], desc: "STUN/TURN URLs handed to call clients (stun:, turn:, turns:)." }),
    turnUsername: k({ type: "string", default: "", desc: "Static TURN username (ignored when turnSecret is set)." }),
    turnCredential: k({ type: "string", default: "", secretish: true, desc: "Static TURN password." }),
    turnSecret: k({ type: "string", default: "", secretish: true, desc: "Shared secret for ephemeral TURN credentials (TURN REST API, coturn use-auth-secret)." }),
    maxIncomingBitrate: k({ type: "int", default: 3_000_000, min: 0, max: 100_000_000, desc: "Cap on media a client sends per transport, bit/s (0 = no cap)." }),
    initialOutgoingBitrate: k({ type: "int", default: 1_000_000, min: 100_000, max: 100_000_000, desc: "Bandwidth estimate a new receiving transport starts from, bit/s." }),
  },
  images: {
    enabled: k({ type: "bool", default: true, desc: "Make thumbnails, placeholders and metadata-stripped copies of images on the server (the built-in native library, sharp). false: clients upload their own thumbnails." }),
  },
  chats: {
    groupMembersMax: k({ type: "int", default: limits.groupMembersMax, min: 2, max: limits.groupMembersMax, desc: "Members a group may have, the owner included; adding or joining beyond it is limit_exceeded." }),
  },
  previews: {
    enabled: k({ type: "bool", default: true, desc: "Fetch link previews (title, description, image) of URLs people send. Off: preview.get answers null and messages carry none." }),
    allowHosts: k({ type: "list", default: [] as readonly string[], desc: "Host names, addresses or CIDRs the preview fetcher may reach although they are not public (e.g. intranet.example, 10.1.0.0/16). Ports stay 80/443." }),
  },
  tls: {
    mode: k({ type: "enum", default: "local-ca", accepted: ["local-ca", "acme", "own", "off"] as const, desc: "HTTPS: local-ca (Hearth's own CA; LAN default), acme (public domain, Let's Encrypt-compatible), own (tls.certFile/keyFile), off (plain HTTP only, e.g. behind a TLS-terminating proxy)." }),
    port: k({ type: "int", default: 8443, min: 0, max: 65535, desc: "Port of the HTTPS listener (same address as server.host). 0 picks a free port, as does server.port = 0." }),
    certFile: k({ type: "string", default: "", desc: "PEM certificate chain (tls.mode = own)." }),
    keyFile: k({ type: "string", default: "", desc: "PEM private key matching tls.certFile (tls.mode = own)." }),
    acmeDomain: k({ type: "string", default: "", desc: "Public DNS name to get a certificate for (tls.mode = acme)." }),
    acmeEmail: k({ type: "string", default: "", desc: "Contact address given to the ACME CA (optional)." }),
    acmeDirectoryUrl: k({ type: "string", default: "https://acme-v02.api.letsencrypt.org/directory", desc: "ACME directory URL (Let's Encrypt production by default)." }),
    acmeChallenge: k({ type: "enum", default: "http-01", accepted: ["http-01", "tls-alpn-01"] as const, desc: "ACME challenge: http-01 (served on server.port, which must be reachable as port 80) or tls-alpn-01 (on tls.port, reachable as 443)." }),
  },
  push: {
    enabled: k({ type: "bool", default: true, desc: "Send Web Push notifications (needs the server to reach the browsers' push services on the internet)." }),
    contact: k({ type: "string", default: "", desc: "The VAPID `sub` push services may contact (mailto: or https: URL). Empty: mailto:hearth@<host of server.publicUrl, or localhost>." }),
    caFile: k({ type: "string", default: "", desc: "PEM file of extra CA certificates trusted for push-service endpoints (besides the system roots); for tests and private push services." }),
    allowPrivateHosts: k({ type: "list", default: [] as readonly string[], desc: "Endpoint host names or IPs allowed although they are loopback/private (push endpoints must otherwise be public https)." }),
  },
  media: {
    fileBytesMax: k({ type: "int", default: limits.mediaFileBytesMax, min: 1, max: Number.MAX_SAFE_INTEGER, desc: "Largest file a user may upload, in bytes." }),
    userQuotaBytes: k({ type: "int", default: limits.mediaUserQuotaBytes, min: 0, max: Number.MAX_SAFE_INTEGER, desc: "Media bytes per user (finished media plus unfinished uploads); 0 = no per-user limit." }),
    serverQuotaBytes: k({ type: "int", default: 0, min: 0, max: Number.MAX_SAFE_INTEGER, desc: "Media bytes on the whole server; 0 = no server limit (the disk is)." }),
    uploadsPerMinute: k({ type: "int", default: limits.uploadsPerUserPerMinute, min: 1, max: 100_000, desc: "New uploads a user may start per minute; more are rate_limited." }),
  },
  backup: {
    enabled: k({ type: "bool", default: true, desc: "Back up the database and media on a schedule while serving (verified after writing; old ones pruned)." }),
    dir: k({ type: "string", default: "", desc: "Directory of scheduled backups. Empty: <data.dir>/backups/scheduled. On another disk it survives the data disk; on the same filesystem media are hard links (no extra space)." }),
    at: k({ type: "string", default: "03:30", desc: "Time of day (HH:MM, the server's local time) of the daily backup; ignored when backup.intervalMs is set." }),
    intervalMs: k({ type: "int", default: 0, min: 0, max: 7 * 24 * 60 * 60_000, desc: "Back up every this many ms instead of daily at backup.at (0 = daily). At least 1000 when set." }),
    keepDaily: k({ type: "int", default: limits.backupKeepDailyDefault, min: 1, max: 3660, desc: "Keep the newest backup of each of this many most recent days (UTC) that have one." }),
    keepWeekly: k({ type: "int", default: limits.backupKeepWeeklyDefault, min: 0, max: 520, desc: "Also keep the newest backup of each of this many most recent ISO weeks (UTC) that have one." }),
  },
  mdns: {
    enabled: k({ type: "bool", default: true, desc: "Announce Hearth on the LAN over mDNS/DNS-SD (_https._tcp and <mdns.name>.local)." }),
    name: k({ type: "string", default: "hearth", desc: "mDNS host and service name: people open https://<name>.local:<tls.port>." }),
  },
} as const;

type Spec = typeof schema;
type ValueOf<S> = S extends { type: "int" }
  ? number
  : S extends { type: "bool" }
    ? boolean
    : S extends { type: "list" }
      ? string[]
      : S extends { type: "enum"; accepted: readonly (infer A)[] }
        ? A
        : string;

export type Config = { [Sec in keyof Spec]: { [Key in keyof Spec[Sec]]: ValueOf<Spec[Sec][Key]> } } & {
  /** Path of the config file that was read, if any. */
  readonly source: { file: string | null };
};
