// Where the schedule pages link to: the class page and the calendar-feed page
// (built with the class and feed screens), and which meeting links are safe to open.

/** The class page of a class. */
export function classHref(id: number): string {
  return `/lop-hoc/${id}`;
}

/** The calendar-feed page ("Đồng bộ lịch"), filled in for my own teaching or learning. */
export function feedHref(kind: 'teacher' | 'learner', personId: number): string {
  return `/lich/dong-bo?kind=${kind}&subject=${personId}`;
}

/** A meeting link as a link to follow, only when it is an http(s) address. */
export function meetingHref(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const u = new URL(url);
    return u.protocol === 'https:' || u.protocol === 'http:' ? u.href : null;
  } catch {
    return null;
  }
}
