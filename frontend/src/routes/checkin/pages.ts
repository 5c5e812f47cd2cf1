// The check-in pages as one lazy chunk.
export { default as CheckinCode } from './CheckinCode.svelte';
export { default as CheckIn } from './CheckIn.svelte';
