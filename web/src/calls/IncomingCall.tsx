// A 1:1 call ringing here: who calls, accept (with or without camera) or decline.
// Closing the dialog (Escape) declines, as hanging up a ringing phone would.
import { t } from "../i18n/index.ts";
import { nameOf } from "../sync/users.ts";
import { Avatar } from "../ui/Avatar.tsx";
import { Dialog } from "../ui/Dialog.tsx";
import { CallIcon, type CallIconName } from "./CallIcon.tsx";

/** A round answer button with its caption underneath (the caption is the button's name). */
function Answer(props: { label: string; class: string; icon: CallIconName; onClick: () => void }) {
  return (
    <button type="button" class="incoming-choice" onClick={() => props.onClick()}>
      <span class={`call-round big ${props.class}`}><CallIcon name={props.icon} size={28} /></span>
      <span class="incoming-caption">{props.label}</span>
    </button>
  );
}
import { acceptCall, declineCall } from "./store.ts";

export function IncomingCall(props: { from: string }) {
  let answered = false;
  const answer = (video: boolean) => {
    answered = true;
    acceptCall(video);
  };
  return (
    <Dialog title={t("callIncoming")} onClose={() => !answered && declineCall()}>
      <div class="incoming">
        <div class="incoming-ring"><Avatar id={props.from} name={nameOf(props.from)} size={96} /></div>
        <p class="incoming-text">{t("callIsCalling", { name: nameOf(props.from) })}</p>
        <div class="incoming-actions">
          <Answer label={t("callDecline")} class="hangup" icon="hangup" onClick={() => declineCall()} />
          <Answer label={t("callAccept")} class="accept" icon="phone" onClick={() => answer(false)} />
          <Answer label={t("callAcceptVideo")} class="accept" icon="video" onClick={() => answer(true)} />
        </div>
      </div>
    </Dialog>
  );
}
