// The calendar-sync screen's calls to the API, loaded with the screen only.

import { api } from '../../lib/session.svelte';
import type { components } from '../../lib/api.gen';

type Schemas = components['schemas'];
export type CalendarFeed = Schemas['CalendarFeed'];
export type FeedKind = CalendarFeed['kind'];
export const FEED_KINDS: readonly FeedKind[] = ['learner', 'teacher', 'class', 'venue'];

export const listFeeds = () => api.get<Schemas['CalendarFeedList']>('/calendar-feeds');
export const createFeed = (kind: FeedKind, subject_id: number) => api.request<CalendarFeed>('POST', '/calendar-feeds', { json: { kind, subject_id } });
export const revokeFeed = (id: number) => api.request<void>('DELETE', `/calendar-feeds/${id}`);
export const listClasses = () => api.get<Schemas['ClassList']>('/classes');
export const listVenues = () => api.get<Schemas['VenueList']>('/venues');

/** The same address for calendar apps that subscribe by the webcal scheme (Apple Calendar). */
export function webcalOf(url: string): string {
  return url.replace(/^https?:\/\//, 'webcal://');
}
