// The media port(s) calls listen on: calls.rtcPort (+1 per extra worker), UDP and TCP on
// every interface. `hearth doctor` and the start-up log probe them, so a port someone else
// holds is named before the first call fails on it (mediasoup's own error is a raw
// `uv_udp_bind() failed`, which nobody should have to decode).
import type { Config } from "../config/schema.ts";
import type { Logger } from "../log/port.ts";
import { announcedAddress } from "./address.ts";

export type Bind = "free" | "in_use" | { error: string };
export interface MediaPortState {
  port: number;
  udp: Bind;
  tcp: Bind;
}

/** The ports the worker pool will bind with this configuration; none when rtcPort is 0 (any free one). */
export function mediaPorts(config: Config): number[] {
  const { rtcPort, workers } = config.calls;
  if (rtcPort === 0) return [];
  const n = workers || navigator.hardwareConcurrency || 1;
  return Array.from({ length: n }, (_, i) => rtcPort + i).filter((p) => p <= 65535);
}

const bindResult = (err: unknown): Bind => {
  const code = (err as { code?: string }).code ?? "";
  return code === "EADDRINUSE" ? "in_use" : { error: code || (err as Error).message };
};

/** Binds and releases UDP and TCP on 0.0.0.0:port, as the worker will. */
export async function probeMediaPort(port: number): Promise<MediaPortState> {
  let udp: Bind = "free";
  let tcp: Bind = "free";
  try {
    (await Bun.udpSocket({ hostname: "0.0.0.0", port })).close();
  } catch (err) {
    udp = bindResult(err);
  }
  try {
    Bun.listen({ hostname: "0.0.0.0", port, socket: { data() {} } }).stop(true);
  } catch (err) {
    tcp = bindResult(err);
  }
  return { port, udp, tcp };
}

const bindText = (b: Bind) => (b === "free" ? "free" : b === "in_use" ? "in use" : `cannot bind (${b.error})`);

/** One line naming the port and what is wrong with it, e.g. "40000 (calls.rtcPort): UDP in use, TCP free". */
export const mediaPortText = (s: MediaPortState, first: number) =>
  `${s.port} (${s.port === first ? "calls.rtcPort" : `calls.rtcPort+${s.port - first}`}): UDP ${bindText(s.udp)}, TCP ${bindText(s.tcp)}`;

export const isFree = (s: MediaPortState) => s.udp === "free" && s.tcp === "free";

/** The start-up log names the media port and the announced address, and warns at once if the port is taken. */
export async function logMediaPort(config: Config, log: Logger): Promise<void> {
  const ports = mediaPorts(config);
  const announced = announcedAddress(config.calls.announcedAddress);
  log.info("calls media port", { rtcPorts: ports.length ? ports : "any free port", protocols: "udp+tcp", announcedAddress: announced });
  const taken = (await Promise.all(ports.map(probeMediaPort))).filter((s) => !isFree(s));
  for (const s of taken) log.warn("calls media port unavailable: calls will fail until it is free", { port: mediaPortText(s, ports[0]!) });
}
