// The few icons only voice messages use (24×24 strokes like ui/Icon.tsx; filled shapes for play/pause/stop).
export type VoiceIconName = "mic" | "stop" | "play" | "pause" | "trash";

const strokes: Record<VoiceIconName, string> = {
  mic: "M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5 11a7 7 0 0 0 14 0M12 18v3",
  stop: "",
  play: "",
  pause: "",
  trash: "M5 7h14M10 7V4h4v3M7 7l1 13h8l1-13",
};
const fills: Partial<Record<VoiceIconName, string>> = {
  stop: "M7 7h10v10H7z",
  play: "M8 5.5v13l11-6.5z",
  pause: "M7 5h4v14H7zM13 5h4v14h-4z",
};

export function VoiceIcon(props: { name: VoiceIconName; size?: number }) {
  const fill = () => fills[props.name];
  return (
    <svg class="icon" width={props.size ?? 20} height={props.size ?? 20} viewBox="0 0 24 24" aria-hidden="true"
      fill={fill() ? "currentColor" : "none"} stroke={fill() ? "none" : "currentColor"} stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
      <path d={fill() ?? strokes[props.name]} />
    </svg>
  );
}
