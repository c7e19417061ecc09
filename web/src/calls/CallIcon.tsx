// Call icons (24×24 stroke paths, like ui/Icon.tsx). Decorative: the button carries the label.
const paths = {
  phone: "M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2z",
  hangup: "M3 15.5c5-4.7 13-4.7 18 0l-2.2 2.6-3.6-1.6v-2.6a10 10 0 0 0-6.4 0v2.6l-3.6 1.6z",
  video: "M3 7h12v10H3zM15 10l6-3v10l-6-3",
  videoOff: "M3 7h12v10H3zM15 10l6-3v10l-6-3M2 3l20 18",
  mic: "M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5 11a7 7 0 0 0 14 0M12 18v3",
  micOff: "M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3zM5 11a7 7 0 0 0 14 0M12 18v3M3 3l18 18",
  headphones: "M4 17v-5a8 8 0 0 1 16 0v5M4 15h3v5H4zM17 15h3v5h-3z",
  headphonesOff: "M4 17v-5a8 8 0 0 1 16 0v5M4 15h3v5H4zM17 15h3v5h-3zM3 3l18 18",
  screen: "M3 4h18v12H3zM8 20h8M12 16v4M9 10l3-3 3 3M12 7v6",
  settings: "M12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM19 12l2-1-1-3-2 .3-1.3-1.3.3-2-3-1-1 2h-2l-1-2-3 1 .3 2L6 7.3 4 7l-1 3 2 1v2l-2 1 1 3 2-.3 1.3 1.3-.3 2 3 1 1-2h2l1 2 3-1-.3-2 1.3-1.3 2 .3 1-3-2-1z",
  minimize: "M4 14h6v6M20 10h-6V4M14 10l7-7M3 21l7-7",
  expand: "M15 3h6v6M9 21H3v-6M21 3l-7 7M3 21l7-7",
} as const;

export type CallIconName = keyof typeof paths;

export function CallIcon(props: { name: CallIconName; size?: number }) {
  return (
    <svg class="icon" width={props.size ?? 22} height={props.size ?? 22} viewBox="0 0 24 24" fill="none" stroke="currentColor"
      stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
      <path d={paths[props.name]} />
    </svg>
  );
}
