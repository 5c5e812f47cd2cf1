// Device preferences that are not part of the account: large type, and the
// yes/no flags other device choices (the player's data saver) keep the same way.

const LARGE_KEY = 'densach.large';

/** A yes/no choice remembered on this device (false when storage is refused). */
export function readFlag(key: string): boolean {
  try {
    return globalThis.localStorage?.getItem(key) === '1';
  } catch {
    return false;
  }
}

/** Remembers a yes/no choice on this device (silently not, when storage is refused). */
export function writeFlag(key: string, on: boolean): void {
  try {
    globalThis.localStorage?.setItem(key, on ? '1' : '0');
  } catch {
    // not remembered
  }
}

let large = $state(readFlag(LARGE_KEY));

function apply(): void {
  if (typeof document !== 'undefined') document.documentElement.classList.toggle('large', large);
}

export const prefs = {
  get large(): boolean {
    return large;
  },
};

/** Turns large type on or off and remembers it on this device. */
export function setLarge(on: boolean): void {
  large = on;
  writeFlag(LARGE_KEY, on);
  apply();
}

apply();
