// The address announced in ICE candidates when calls.announcedAddress is empty. Detection
// lives in src/net/lan.ts so the TLS certificate's names use the very same addresses.
export { announcedAddress, lanAddress } from "../net/lan.ts";
