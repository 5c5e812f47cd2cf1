import { describe, expect, it } from 'vitest';
import { Api } from '../src/lib/api';
import type { Auth } from '../src/lib/auth';
import { JOB_STATES, jobKindLabel, listJobs, retryable, retryJob } from '../src/lib/jobs';
import { setLang } from '../src/lib/i18n/index.svelte';
import { json, scripted } from './helpers';

// The job screen's client needs only a token from Auth.
function apiWith(replies: Parameters<typeof scripted>[0]) {
  const s = scripted(replies);
  const auth = { token: async () => 'A1', refresh: async () => false } as unknown as Auth;
  return { api: new Api(auth, { fetch: s.fetch }), calls: s.calls };
}

describe('jobs client', () => {
  it('lists one state, pages by before, and reads a missing items list as empty', async () => {
    const { api, calls } = apiWith([json(200, { items: null, next_before: null }), json(200, { items: [], next_before: 7 })]);
    expect(await listJobs(api, 'failed', null)).toEqual({ items: [], next_before: null });
    expect(await listJobs(api, '', 12)).toEqual({ items: [], next_before: 7 });
    expect(calls[0].url).toBe('/api/v1/jobs?state=failed&limit=50');
    expect(calls[1].url).toBe('/api/v1/jobs?before=12&limit=50');
    expect(calls[0].headers.authorization).toBe('Bearer A1');
  });

  it('retries with a POST to the job', async () => {
    const { api, calls } = apiWith([json(200, { id: 5, state: 'waiting' })]);
    await retryJob(api, 5);
    expect(calls[0].method).toBe('POST');
    expect(calls[0].url).toBe('/api/v1/jobs/5/retry');
  });

  it('offers a retry only for jobs that stopped without success', () => {
    expect(JOB_STATES.filter(retryable)).toEqual(['failed', 'retrying', 'cancelled']);
  });

  it('names known kinds in the language shown and shows unknown kinds by code', async () => {
    await setLang('vi');
    expect(jobKindLabel('purge_refresh_tokens')).toBe('Xoá phiên đăng nhập đã hết hạn');
    await setLang('en');
    expect(jobKindLabel('purge_login_throttle')).toBe('Remove old failed sign-in counters');
    expect(jobKindLabel('render_certificate')).toBe('render_certificate');
    await setLang('vi');
  });
});
