// Calls need calls.rtcPort (UDP and TCP) on every interface. Free is ok; held while this
// data dir's server answers /healthz is most likely that very server (warn); otherwise the
// port is named so the operator can free it or choose another calls.rtcPort.
import { isFree, mediaPortText, mediaPorts, probeMediaPort } from "../../../calls/media-port.ts";
import { listeners, portState } from "../../ports.ts";
import { type Check, type CheckResult, fail, ok, warn } from "../check.ts";

export const mediaPortCheck: Check = async ({ config }) => {
  const ports = mediaPorts(config);
  if (ports.length === 0) return [ok("media port", "0: the worker picks a free port at start")];
  const states = await Promise.all(ports.map(probeMediaPort));
  const taken = states.filter((s) => !isFree(s));
  if (taken.length === 0) return [ok("media port", `${ports.join(", ")} UDP+TCP free`)];
  const server = listeners(config)[0];
  const ours = server ? (await portState(server)).kind === "hearth" : false;
  return taken.map((s): CheckResult => {
    const line = mediaPortText(s, ports[0]!);
    return ours
      ? warn("media port", `${line} — probably held by the Hearth server running on port ${server!.port}`)
      : fail("media port", `${line}; calls will be unavailable: stop the program holding it or choose another calls.rtcPort`);
  });
};
