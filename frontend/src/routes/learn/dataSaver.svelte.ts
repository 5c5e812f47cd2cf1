// The data-saver choice, remembered on this device: when on, the player asks
// before loading a video (showing its size) instead of fetching it.

const KEY = 'densach.dataSaver';

function read(): boolean {
  try {
    return globalThis.localStorage?.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

let on = $state(read());

export const dataSaver = {
  get on(): boolean {
    return on;
  },
};

export function setDataSaver(value: boolean): void {
  on = value;
  try {
    globalThis.localStorage?.setItem(KEY, value ? '1' : '0');
  } catch {
    // not remembered
  }
}
