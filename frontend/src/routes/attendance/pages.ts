// The attendance pages as one lazy chunk (one import, fewer bytes on a slow connection).
export { default as ClassAttendance } from './ClassAttendance.svelte';
export { default as MyAttendance } from './MyAttendance.svelte';
export { default as AttendanceToday } from './Today.svelte';
export { default as AttendanceRoster } from './Roster.svelte';
