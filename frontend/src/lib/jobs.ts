// The background job queue as the administrator sees it (GET /api/v1/jobs,
// POST /api/v1/jobs/{id}/retry). Kept apart from api.ts so that the screen
// and its types travel together.

import type { Api } from './api';
import type { components } from './api.gen';
import { has, t } from './i18n/index.svelte';

export const JOB_STATES = ['failed', 'retrying', 'running', 'waiting', 'scheduled', 'completed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** A job as GET /jobs lists it (generated from the API contract). */
export type Job = components['schemas']['Job'];

/** One page of jobs, newest first. */
export type JobPage = components['schemas']['JobList'];

/** A page of jobs, newest first; state '' means every state. */
export async function listJobs(api: Api, state: JobState | '', before: number | null, signal?: AbortSignal): Promise<JobPage> {
  const page = await api.get<JobPage>('/jobs', { state, before, limit: 50 }, signal);
  return { items: page.items ?? [], next_before: page.next_before ?? null };
}

/** Makes a failed job run again now. */
export function retryJob(api: Api, id: number): Promise<Job> {
  return api.request<Job>('POST', `/jobs/${id}/retry`);
}

/** Whether the administrator may run a job in this state again. */
export function retryable(s: JobState): boolean {
  return s === 'failed' || s === 'retrying' || s === 'cancelled';
}

/** What a job does, in words; an unknown kind shows its code. */
export function jobKindLabel(kind: string): string {
  const key = 'jobs.kind.' + kind;
  return has(key) ? t(key) : kind;
}
