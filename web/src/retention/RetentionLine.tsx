// One retention announcement in the chat's timeline, centred like a day separator.
import { For } from "solid-js";
import { nameOf } from "../sync/users.ts";
import { Icon } from "../ui/Icon.tsx";
import { noticeLines, type RetentionNotice } from "./retention.ts";

export function RetentionLine(props: { notice: RetentionNotice }) {
  return (
    <For each={noticeLines(props.notice, nameOf(props.notice.by))}>
      {(line) => (
        <div class="service-line" role="status">
          <span><Icon name="timer" size={14} /> {line}</span>
        </div>
      )}
    </For>
  );
}
