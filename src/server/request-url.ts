// A request's URL, read without ever throwing. Bun builds `request.url` from the Host
// header, so a request with no Host (an HTTP/1.0 probe), an empty one or a malformed one
// (`a b`, `x:99999`, `[::1`) has a url `new URL()` refuses. Everything at the edge reads
// the URL through here: `requestUrl` is null for such a request (the edge answers it 400),
// `requestPath` is its path either way (for logs and metrics of that very answer).

const urls = new WeakMap<Request, URL | null>();

export function requestUrl(request: Request): URL | null {
  if (urls.has(request)) return urls.get(request)!;
  let url: URL | null;
  try {
    url = new URL(request.url);
  } catch {
    url = null;
  }
  urls.set(request, url);
  return url;
}

/** The path without the query (it may carry tokens); "/" when none can be made out. */
export function requestPath(request: Request): string {
  const url = requestUrl(request);
  if (url) return url.pathname;
  const raw = request.url;
  const scheme = raw.indexOf("://");
  const start = raw.startsWith("/") ? 0 : scheme >= 0 ? raw.indexOf("/", scheme + 3) : -1;
  if (start < 0) return "/";
  try {
    return new URL(raw.slice(start).replace(/^\/+/, "/"), "http://host.invalid").pathname;
  } catch {
    return "/";
  }
}
