// A one-time message carried to the next page ("Đã lưu").

let message = ''; // read once by the next page, so not reactive

export function setFlash(text: string): void {
  message = text;
}

/** Returns the message and forgets it. */
export function takeFlash(): string {
  const m = message;
  message = '';
  return m;
}
