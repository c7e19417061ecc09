// Which profile card is open (one at a time, over everything): set by any tap on a name.
import { createSignal } from "solid-js";

const [profileUserId, setProfileUserId] = createSignal<string | null>(null);
export { profileUserId };
export const showProfile = (userId: string) => setProfileUserId(userId);
export const closeProfile = () => setProfileUserId(null);
