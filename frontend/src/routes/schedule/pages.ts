// The timetable pages as one lazy chunk (one import, fewer bytes on a slow connection).
export { default as TeacherSessions } from './TeacherSessions.svelte';
export { default as OpenClasses } from './OpenClasses.svelte';
export { default as MySchedule } from './MySchedule.svelte';
