import { expect, test } from "vitest";
import { messageUrl, parseRoute, type Route, routePath } from "./routes.ts";

test("every route survives a round trip through its path", () => {
  const routes: Route[] = [
    { kind: "list" },
    { kind: "settings" },
    { kind: "chat", chatId: "c_01HX-abc", view: "chat" },
    { kind: "chat", chatId: "c1", view: "info" },
    { kind: "chat", chatId: "c1", view: "call" },
    { kind: "message", chatId: "c1", seq: 9001 },
  ];
  for (const r of routes) expect(parseRoute(routePath(r))).toEqual(r);
});

test("unknown or malformed paths fall back to the nearest place that exists", () => {
  expect(parseRoute("/nowhere")).toEqual({ kind: "list" });
  expect(parseRoute("/chat/")).toEqual({ kind: "list" });
  expect(parseRoute("/chat/a%ZZ")).toEqual({ kind: "list" });
  expect(parseRoute("/chat/../x")).toEqual({ kind: "list" });
  expect(parseRoute("/chat/c1/message/0")).toEqual({ kind: "chat", chatId: "c1", view: "chat" });
  expect(parseRoute("/chat/c1/message/1.5")).toEqual({ kind: "chat", chatId: "c1", view: "chat" });
  expect(parseRoute("/chat/c1/whatever")).toEqual({ kind: "chat", chatId: "c1", view: "chat" });
  expect(parseRoute("/settings/")).toEqual({ kind: "settings" });
});

test("message links are absolute", () => {
  expect(messageUrl("https://h.local", "c1", 5)).toBe("https://h.local/chat/c1/message/5");
});
