// The class pages, loaded together as one chunk when one of them is first
// opened (one lazy import in the route table costs the first visit less).
export { default as ClassList } from './ClassList.svelte';
export { default as Calendar } from './Calendar.svelte';
export { default as ClassWizard } from './ClassWizard.svelte';
export { default as ClassPage } from './ClassPage.svelte';
export { default as Venues } from './Venues.svelte';
