// A QR code as SVG built from uqr's module matrix: one <path> of 1×1 squares, no
// innerHTML and no script, so it stays inside a strict Content-Security-Policy. Dark
// modules on a white quiet zone in every theme: scanners need the contrast.
import { encode } from "uqr";
import { t } from "../i18n/index.ts";
import { qrPath } from "./qr.ts";

export function Qr(props: { text: string; label?: string }) {
  const qr = () => encode(props.text, { ecc: "M", border: 2 });
  return (
    <svg class="qr" viewBox={`0 0 ${qr().size} ${qr().size}`} role="img" aria-label={props.label ?? t("qrCode")} shape-rendering="crispEdges">
      <rect width="100%" height="100%" fill="#fff" />
      <path d={qrPath(qr().data)} fill="#000" />
    </svg>
  );
}
