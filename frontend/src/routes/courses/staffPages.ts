// The staff's course pages, loaded together as one chunk: one lazy import in
// the route table costs the first visit less than five.
export { default as CourseList } from './CourseList.svelte';
export { default as CourseNew } from './CourseNew.svelte';
export { default as CourseEditor } from './CourseEditor.svelte';
export { default as Library } from './Library.svelte';
export { default as CourseLearners } from './CourseLearners.svelte';
