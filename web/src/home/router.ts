// Keeps the URL and the navigation signals (nav.ts) in step, both ways:
// - a change of place (open a chat, settings, info, a call) pushes a history entry; going
//   back to the place just left steps back instead, so Back never reopens what was closed;
// - Back/Forward (popstate) sets the signals from the URL; a plain dialog (new chat,
//   delete, action sheet…) has an entry of its own (ui/Dialog.tsx), so Back closes it;
// - a deep link or reload always has the chat list below it, so Back on a phone goes
//   from a chat to the list rather than out of the app.
import { createEffect, createRoot, on } from "solid-js";
import { calls, joinCall } from "../calls/store.ts";
import { loadMoreChats } from "../chats/actions.ts";
import { status } from "../net/connection.ts";
import { state } from "../sync/store.ts";
import { infoOpen, linked, selectedChat, setFocusSeq, setInfoOpen, setLinked, setSelectedChat, setSettingsOpen, settingsOpen } from "./nav.ts";
import { parseRoute, type Route, routePath } from "./routes.ts";

interface Entry {
  hearth: true;
  prev: string | null; // the path of the entry below, when it is ours
}

function current(): Route {
  if (settingsOpen()) return { kind: "settings" };
  const chatId = selectedChat();
  if (!chatId) return { kind: "list" };
  if (calls.current?.chatId === chatId) return { kind: "chat", chatId, view: "call" };
  if (infoOpen()) return { kind: "chat", chatId, view: "info" };
  const l = linked();
  return l?.chatId === chatId ? { kind: "message", chatId, seq: l.seq } : { kind: "chat", chatId, view: "chat" };
}

function apply(r: Route): void {
  setSettingsOpen(r.kind === "settings");
  if (r.kind === "settings") return;
  const chatId = r.kind === "list" ? null : r.chatId;
  setSelectedChat(chatId);
  setInfoOpen(r.kind === "chat" && r.view === "info");
  setLinked(r.kind === "message" ? { chatId: r.chatId, seq: r.seq } : null);
  if (r.kind === "message") setFocusSeq(r.seq);
}

const linkPagesMax = 20; // chat.list pages (100 chats each) looked through for a linked chat

const entry = (prev: string | null): Entry => ({ hearth: true, prev });
const ours = (s: unknown): s is Entry => !!s && (s as Entry).hearth === true;

/** Call once when the signed-in app mounts; returns the cleanup. */
export function startRouter(): () => void {
  const first = parseRoute(location.pathname);
  const target = routePath(first);
  const keep = location.search + location.hash; // ?e2e and invite/join fragments stay
  if (!ours(history.state)) {
    if (first.kind === "list") history.replaceState(entry(null), "", target + keep);
    else {
      history.replaceState(entry(null), "", "/");
      history.pushState(entry("/"), "", target + keep);
    }
  } else if (location.pathname !== target) history.replaceState(history.state, "", target + keep);
  apply(first);
  // a reload during a call joins it again once the snapshot shows it still running
  let rejoinChat = first.kind === "chat" && first.view === "call" ? first.chatId : null;

  const onPop = (e: PopStateEvent) => {
    // Back from a dialog's own entry (ui/Dialog.tsx) closes the top dialog; the page stays
    const dialogs = document.querySelectorAll<HTMLDialogElement>("dialog[open]:not([data-routed])");
    if (dialogs.length > 0) return dialogs[dialogs.length - 1]!.close();
    // the spent entry of a dialog closed by its buttons: step over it
    if ((e.state as { spent?: boolean } | null)?.spent && (e.state as Entry).prev !== null) return history.back();
    rejoinChat = null;
    apply(parseRoute(location.pathname));
  };
  addEventListener("popstate", onPop);

  const dispose = createRoot((dispose) => {
    createEffect(on(current, (r) => {
      const path = routePath(r);
      if (path === location.pathname) return;
      if (ours(history.state) && history.state.prev === path) history.back();
      else history.pushState(entry(location.pathname), "", path);
    }, { defer: true }));
    // a link to a chat beyond the loaded part of the list pages the list until it is there
    // (bounded); a chat that is not yours (or no longer) sends you to the list
    let paging = false;
    let pages = 0;
    createEffect(() => {
      const chatId = selectedChat();
      if (!chatId || status() !== "online" || !state.me || state.chats[chatId] || paging) return;
      if (state.hasMoreChats && pages < linkPagesMax) {
        paging = true;
        pages++;
        void loadMoreChats().catch(() => undefined).finally(() => (paging = false));
      } else setSelectedChat(null);
    });
    // a reload during a call: join again once the snapshot shows the call still running
    createEffect(() => {
      const chatId = rejoinChat;
      if (chatId && calls.live[chatId] && !calls.current && state.chats[chatId]) {
        rejoinChat = null;
        void joinCall(chatId, false);
      }
    });
    return dispose;
  });
  return () => {
    removeEventListener("popstate", onPop);
    dispose();
    // Signed out: the next person to sign in on this page starts at the list, not in the
    // settings or chat the last one had open.
    apply({ kind: "list" });
    history.replaceState(null, "", "/" + location.search);
  };
}

/** The in-app back arrow: the same as the browser's Back when the list is below. */
export function backToList(): void {
  if (ours(history.state) && history.state.prev === "/") history.back();
  else setSelectedChat(null);
}
