// The app's pages. Order matters: fixed paths before "/nguoi/:id".

import type { Component } from 'svelte';
import type { Key } from '../lib/i18n/index.svelte';
import ManagerHome from './home/ManagerHome.svelte';
import TeacherHome from './home/TeacherHome.svelte';
import LearnerHome from './home/LearnerHome.svelte';
import OfficerHome from './home/OfficerHome.svelte';
import AdminHome from './home/AdminHome.svelte';
import PeopleList from './people/PeopleList.svelte';
import PersonNew from './people/PersonNew.svelte';
import PeopleImport from './people/PeopleImport.svelte';
import PersonView from './people/PersonView.svelte';
import Account from './account/Account.svelte';
import Jobs from './jobs/Jobs.svelte';
import Audit from './admin/Audit.svelte';
import Units from './admin/Units.svelte';
import Centres from './admin/Centres.svelte';
import Branches from './admin/Branches.svelte';
import Learners from './teacher/Learners.svelte';

export interface PageDef {
  pattern: string;
  // Pages take their route parameters as props (e.g. { id } for /nguoi/:id).
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  component: Component<any>;
  title: Key;
}

export const pages: readonly PageDef[] = [
  { pattern: '/quan-ly', component: ManagerHome, title: 'home.manager.title' },
  { pattern: '/giao-vien', component: TeacherHome, title: 'home.teacher.title' },
  { pattern: '/hoc-vien', component: LearnerHome, title: 'home.learner.title' },
  { pattern: '/khuyen-hoc', component: OfficerHome, title: 'home.officer.title' },
  { pattern: '/quan-tri', component: AdminHome, title: 'home.admin.title' },
  { pattern: '/nguoi', component: PeopleList, title: 'people.title' },
  { pattern: '/nguoi/moi', component: PersonNew, title: 'person.new.title' },
  { pattern: '/nguoi/nhap', component: PeopleImport, title: 'import.title' },
  { pattern: '/nguoi/:id', component: PersonView, title: 'person.view.title' },
  { pattern: '/tai-khoan', component: Account, title: 'account.title' },
  { pattern: '/quan-tri/cong-viec', component: Jobs, title: 'jobs.title' },
  { pattern: '/quan-tri/nhat-ky', component: Audit, title: 'audit.title' },
  { pattern: '/quan-tri/don-vi', component: Units, title: 'units.title' },
  { pattern: '/quan-tri/trung-tam', component: Centres, title: 'centres.title' },
  { pattern: '/quan-tri/chi-hoi', component: Branches, title: 'branches.title' },
  { pattern: '/giao-vien/hoc-vien', component: Learners, title: 'learners.title' },
];
