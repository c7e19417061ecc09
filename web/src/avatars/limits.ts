// Bounds of avatar editing in the web client (unit last). The server bounds the upload
// itself (size, pixels); these keep what the browser decodes and sends small.
export const avatarLimits = {
  pickBytesMax: 20 * 1024 * 1024, // a picked image larger than this is refused before decoding
  zoomMax: 4, // the cropper zooms in at most this far (of the shorter side)
  outputPx: 512, // the cropped square is sent at most this many pixels wide
  outputQuality: 0.9, // WebP/JPEG quality of the cropped square
  viewPx: 280, // the cropper's square on screen, CSS pixels
} as const;
