// A 1:1 call ringing here: who calls, accept (with or without camera) or decline.
// Closing the dialog (Escape) declines, as hanging up a ringing phone would.
import { t } from "../i18n/index.ts";
import { nameOf } from "../sync/users.ts";
import { Avatar } from "../ui/Avatar.tsx";
import { Dialog } from "../ui/Dialog.tsx";
import { CallIcon } from "./CallIcon.tsx";
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
          <button type="button" class="call-round hangup big" aria-label={t("callDecline")} title={t("callDecline")} onClick={() => declineCall()}>
            <CallIcon name="hangup" size={26} />
          </button>
          <button type="button" class="call-round accept big" aria-label={t("callAccept")} title={t("callAccept")} onClick={() => answer(false)}>
            <CallIcon name="phone" size={26} />
          </button>
          <button type="button" class="call-round accept big" aria-label={t("callAcceptVideo")} title={t("callAcceptVideo")} onClick={() => answer(true)}>
            <CallIcon name="video" size={26} />
          </button>
        </div>
      </div>
    </Dialog>
  );
}
