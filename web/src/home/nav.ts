// Which chat and which side panels are open: the app's navigation state. The URL follows
// these signals and sets them back on Back/Forward and reloads (router.ts).
import { createSignal } from "solid-js";

export const [selectedChat, setSelectedChat] = createSignal<string | null>(null);
export const [infoOpen, setInfoOpen] = createSignal(false);
export const [settingsOpen, setSettingsOpen] = createSignal(false);
/** A message to scroll to and highlight once its page is loaded (jump to reply / pin). */
export const [focusSeq, setFocusSeq] = createSignal<number | null>(null);
/** The message a link pointed at (/chat/<id>/message/<seq>); kept in the URL while that chat is open. */
export const [linked, setLinked] = createSignal<{ chatId: string; seq: number } | null>(null);

export function openChat(chatId: string): void {
  setSelectedChat(chatId);
  setInfoOpen(false);
}
