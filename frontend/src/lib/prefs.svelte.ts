// Device preferences that are not part of the account: large type.

const LARGE_KEY = 'densach.large';

function read(): boolean {
  try {
    return globalThis.localStorage?.getItem(LARGE_KEY) === '1';
  } catch {
    return false;
  }
}

let large = $state(read());

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
  try {
    globalThis.localStorage?.setItem(LARGE_KEY, on ? '1' : '0');
  } catch {
    // not remembered
  }
  apply();
}

apply();
