// The data-saver choice, remembered on this device: when on, the player asks
// before loading a video (showing its size) instead of fetching it.

import { readFlag, writeFlag } from '../../lib/prefs.svelte';

const KEY = 'densach.dataSaver';

let on = $state(readFlag(KEY));

export const dataSaver = {
  get on(): boolean {
    return on;
  },
};

export function setDataSaver(value: boolean): void {
  on = value;
  writeFlag(KEY, value);
}
