// The protocol version both sides announce in hello/welcome. Bump PROTOCOL_VERSION on any
// change a deployed peer could misread; raise MIN_CLIENT_VERSION only when the server
// drops support for an older client (it then answers hello with bye `client_too_old`).
export const PROTOCOL_VERSION = 3;
export const MIN_CLIENT_VERSION = 3;
