// The QR code, drawn in the browser by lean-qr (no dependencies, about 7 kB
// unminified), imported only when the teacher's code screen needs it.

export interface QR {
  /** The SVG path of the dark modules, in module units. */
  path: string;
  /** The width and height in modules, without the quiet zone. */
  size: number;
}

/** The QR code of a text (medium error correction: readable on a scratched screen). */
export async function qrOf(text: string): Promise<QR> {
  const [{ generate, correction }, { toSvgPath }] = await Promise.all([import('lean-qr'), import('lean-qr/extras/svg')]);
  const code = generate(text, { minCorrectionLevel: correction.M });
  return { path: toSvgPath(code), size: code.size };
}
