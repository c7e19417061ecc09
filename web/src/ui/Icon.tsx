// Inline SVG icons (24×24 stroke paths): no icon font, no extra request. Decorative —
// the button around an icon carries the aria-label.
const paths = {
  send: "M4 12l16-8-6 16-3-7-7-1z",
  search: "M11 4a7 7 0 1 0 0 14 7 7 0 0 0 0-14zM21 21l-5-5",
  paperclip: "M20 11l-8.5 8.5a5 5 0 0 1-7-7L13 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L14 7",
  camera: "M4 8h3l2-3h6l2 3h3v11H4zM12 10a3.5 3.5 0 1 0 0 7 3.5 3.5 0 0 0 0-7z",
  file: "M6 3h8l5 5v13H6zM14 3v5h5",
  download: "M12 4v11M7 10l5 5 5-5M5 20h14",
  play: "M8 5v14l11-7z",
  next: "M9 5l7 7-7 7",
  expand: "M4 9V4h5M20 9V4h-5M4 15v5h5M20 15v5h-5",
  plus: "M12 5v14M5 12h14",
  menu: "M4 7h16M4 12h16M4 17h16",
  back: "M15 5l-7 7 7 7",
  info: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 11v6M12 7.5v.5",
  smile: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM8.5 14.5c1.8 2 5.2 2 7 0M9 9.5v.5M15 9.5v.5",
  reply: "M10 8L4 13l6 5M4 13h10a6 6 0 0 1 6 6",
  edit: "M4 20h4L19 9l-4-4L4 16v4zM14 6l4 4",
  trash: "M5 7h14M10 7V4h4v3M7 7l1 13h8l1-13",
  pin: "M9 4h6l-1 6 4 4H6l4-4zM12 14v7",
  check: "M5 12l5 5 9-10",
  checks: "M2 12l5 5 9-10M10 16l1.5 1.5 9-10",
  clock: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM12 7v5l3 2",
  timer: "M10 2h4M12 6a7.5 7.5 0 1 0 0 15 7.5 7.5 0 0 0 0-15zM12 9.5v4l2.5 1.5M18.5 6.5l1.5-1.5",
  close: "M6 6l12 12M18 6L6 18",
  alert: "M12 3L2 20h20zM12 10v4M12 17v.5",
  down: "M6 9l6 6 6-6",
  forward: "M14 8l6 5-6 5M20 13H10a6 6 0 0 0-6 6",
  copy: "M9 9h11v11H9zM5 15H4V4h11v1",
  link: "M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1",
} as const;

export type IconName = keyof typeof paths;

export function Icon(props: { name: IconName; size?: number }) {
  return (
    <svg
      class="icon"
      width={props.size ?? 20}
      height={props.size ?? 20}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      stroke-width="2"
      stroke-linecap="round"
      stroke-linejoin="round"
      aria-hidden="true"
    >
      <path d={paths[props.name]} />
    </svg>
  );
}
