// The app's pages. Order matters: fixed paths before "/nguoi/:id".

import type { Component } from 'svelte';
import type { Key } from '../lib/i18n/index.svelte';
import ManagerHome from './home/ManagerHome.svelte';
import TeacherHome from './home/TeacherHome.svelte';
import LearnerHome from './home/LearnerHome.svelte';
import OfficerHome from './home/OfficerHome.svelte';
import AdminHome from './home/AdminHome.svelte';

// Pages take their route parameters as props (e.g. { id } for /nguoi/:id).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Page = Component<any>;

export interface PageDef {
  pattern: string;
  /** The page's component; the homes come with the first load, the rest as their own chunk. */
  load: () => Promise<Page>;
  title: Key;
}

/** A page that is part of the first load. */
const now = (c: Page) => () => Promise.resolve(c);

// The people, account and jobs pages load when first opened, so that the
// first visit (the sign-in form) downloads less on a slow connection.
const PeopleList = () => import('./people/PeopleList.svelte').then((m) => m.default);
const PersonNew = () => import('./people/PersonNew.svelte').then((m) => m.default);
const PeopleImport = () => import('./people/PeopleImport.svelte').then((m) => m.default);
const PersonView = () => import('./people/PersonView.svelte').then((m) => m.default);
const Account = () => import('./account/Account.svelte').then((m) => m.default);
const Jobs = () => import('./jobs/Jobs.svelte').then((m) => m.default);
const Audit = () => import('./admin/Audit.svelte').then((m) => m.default);
const Units = () => import('./admin/Units.svelte').then((m) => m.default);
const Centres = () => import('./admin/Centres.svelte').then((m) => m.default);
const Branches = () => import('./admin/Branches.svelte').then((m) => m.default);
// The staff's course pages come as one chunk (one lazy import, fewer bytes in the first visit).
const staff = (name: 'CourseList' | 'CourseNew' | 'CourseEditor' | 'Library' | 'CourseLearners') => () => import('./courses/staffPages').then((m) => m[name]);
// The class pages (calendar, wizard, class page, venues) come as one chunk.
const classes = (name: 'ClassList' | 'Calendar' | 'ClassWizard' | 'ClassPage' | 'Venues') => () => import('./classes/classPages').then((m) => m[name]);
const Learners = () => import('./teacher/Learners.svelte').then((m) => m.default);
const Catalogue = () => import('./courses/Catalogue.svelte').then((m) => m.default);
const CoursePage = () => import('./courses/CoursePage.svelte').then((m) => m.default);
const QuizTake = () => import('./courses/QuizTake.svelte').then((m) => m.default);
const MyCourses = () => import('./learn/MyCourses.svelte').then((m) => m.default);
const MyResults = () => import('./learn/MyResults.svelte').then((m) => m.default);
const Player = () => import('./learn/Player.svelte').then((m) => m.default);
const SessionPage = () => import('./classes/SessionPage.svelte').then((m) => m.default);
const RegisterPage = () => import('./attendance/RegisterPage.svelte').then((m) => m.default);
const CalendarSync = () => import('./feeds/CalendarSync.svelte').then((m) => m.default);
// The timetables (my sessions, classes near me, my schedule) come as one chunk.
const schedule = (name: 'TeacherSessions' | 'OpenClasses' | 'MySchedule') => () => import('./schedule/pages').then((m) => m[name]);
// The self check-in (the teacher's code screen, the learner's check-in) come as one chunk.
const checkin = (name: 'CheckinCode' | 'CheckIn') => () => import('./checkin/pages').then((m) => m[name]);
// The attendance pages (a class's grid, my attendance, the teacher's registers) come as one chunk.
const attendance = (name: 'ClassAttendance' | 'MyAttendance' | 'AttendanceToday' | 'AttendanceRoster') => () => import('./attendance/pages').then((m) => m[name]);

export const pages: readonly PageDef[] = [
  { pattern: '/quan-ly', load: now(ManagerHome), title: 'home.manager.title' },
  { pattern: '/giao-vien', load: now(TeacherHome), title: 'home.teacher.title' },
  { pattern: '/hoc-vien', load: now(LearnerHome), title: 'home.learner.title' },
  { pattern: '/khuyen-hoc', load: now(OfficerHome), title: 'home.officer.title' },
  { pattern: '/quan-tri', load: now(AdminHome), title: 'home.admin.title' },
  { pattern: '/nguoi', load: PeopleList, title: 'people.title' },
  { pattern: '/nguoi/moi', load: PersonNew, title: 'person.new.title' },
  { pattern: '/nguoi/nhap', load: PeopleImport, title: 'import.title' },
  { pattern: '/nguoi/:id', load: PersonView, title: 'person.view.title' },
  { pattern: '/tai-khoan', load: Account, title: 'account.title' },
  { pattern: '/quan-tri/cong-viec', load: Jobs, title: 'jobs.title' },
  { pattern: '/quan-tri/nhat-ky', load: Audit, title: 'audit.title' },
  { pattern: '/quan-tri/don-vi', load: Units, title: 'units.title' },
  { pattern: '/quan-tri/trung-tam', load: Centres, title: 'centres.title' },
  { pattern: '/quan-tri/chi-hoi', load: Branches, title: 'branches.title' },
  { pattern: '/khoa-hoc', load: staff('CourseList'), title: 'nav.courses' },
  { pattern: '/khoa-hoc/moi', load: staff('CourseNew'), title: 'courses.new.title' },
  { pattern: '/khoa-hoc/:id/sua', load: staff('CourseEditor'), title: 'courses.edit.title' },
  { pattern: '/khoa-hoc/:id/hoc-vien', load: staff('CourseLearners'), title: 'nav.learners' },
  { pattern: '/thu-vien', load: staff('Library'), title: 'courses.library.title' },
  { pattern: '/lop-hoc', load: classes('ClassList'), title: 'nav.classes' },
  { pattern: '/lop-hoc/lich', load: classes('Calendar'), title: 'nav.calendar' },
  { pattern: '/lop-hoc/moi', load: classes('ClassWizard'), title: 'nav.newClass' },
  { pattern: '/lop-hoc/dia-diem', load: classes('Venues'), title: 'nav.venues' },
  { pattern: '/lop-hoc/:id', load: classes('ClassPage'), title: 'nav.classes' },
  { pattern: '/giao-vien/hoc-vien', load: Learners, title: 'learners.title' },
  { pattern: '/giao-vien/buoi-day', load: schedule('TeacherSessions'), title: 'home.teacher.mySessions' },
  { pattern: '/lop-gan-toi', load: schedule('OpenClasses'), title: 'home.learner.nearby' },
  { pattern: '/lich-hoc', load: schedule('MySchedule'), title: 'home.learner.mySchedule' },
  { pattern: '/danh-muc', load: Catalogue, title: 'catalogue.title' },
  { pattern: '/khoa-hoc/:id', load: CoursePage, title: 'course.view.title' },
  { pattern: '/kiem-tra/:lessonId', load: QuizTake, title: 'course.view.title' },
  { pattern: '/khoa-hoc-cua-toi', load: MyCourses, title: 'home.learner.courses' },
  { pattern: '/ket-qua-cua-toi', load: MyResults, title: 'home.learner.results' },
  { pattern: '/hoc/:id', load: Player, title: 'course.view.title' },
  { pattern: '/buoi-hoc/:id', load: SessionPage, title: 'session.view.title' },
  { pattern: '/lich/dong-bo', load: CalendarSync, title: 'feeds.title' },
  { pattern: '/so-diem-danh/:id', load: RegisterPage, title: 'registers.title' },
  { pattern: '/diem-danh', load: checkin('CheckIn'), title: 'checkin.title' },
  { pattern: '/diem-danh/:sessionId/ma', load: checkin('CheckinCode'), title: 'checkin.code.title' },
  { pattern: '/lop-hoc/:id/diem-danh', load: attendance('ClassAttendance'), title: 'attendance.grid.title' },
  { pattern: '/chuyen-can-cua-toi', load: attendance('MyAttendance'), title: 'attendance.mine.title' },
  { pattern: '/giao-vien/diem-danh', load: attendance('AttendanceToday'), title: 'attendance.title' },
  { pattern: '/giao-vien/diem-danh/:id', load: attendance('AttendanceRoster'), title: 'attendance.title' },
];
