// The windows in which the server takes a session's attendance actions — the
// self check-in and the online join — as GET /me/sessions gives them
// (checkin_opens_at … checkin_closes_at, join_opens_at … join_closes_at).
// The server decides them; the screen offers an action inside its window and
// keeps no copy of the rule.

/** Whether now lies in the window from opens to closes, both included; never when the server gave none (null). */
export function within(opens: string | null, closes: string | null, now: Date): boolean {
  if (opens === null || closes === null) return false;
  const t = now.getTime();
  return t >= Date.parse(opens) && t <= Date.parse(closes);
}
