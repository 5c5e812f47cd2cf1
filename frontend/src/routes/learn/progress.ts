// The player's progress arithmetic, free of the DOM so that it can be tested:
// the ranges of a video really played (from timeupdate while playing, never
// from a seek), the union of ranges, which lessons a sequential course still
// locks, and the course percentage the way the server counts it.

export type Range = [number, number];

/** The longest gap between two timeupdates that still counts as playing on (browsers fire every 0.25 s or so). */
const MAX_STEP_S = 2;

/**
 * Follows a video's playback. tick() gets the media time on every timeupdate
 * while it plays; a jump (a seek, or more than MAX_STEP_S at once) starts a
 * new range instead of counting what was skipped. take() hands over what was
 * played since the last take() and keeps following from there.
 */
export class PlayTracker {
  private from: number | null = null;
  private last = 0;
  private done: Range[] = [];

  tick(t: number): void {
    if (!Number.isFinite(t) || t < 0) return;
    if (this.from !== null && t >= this.last && t - this.last <= MAX_STEP_S) {
      this.last = t;
      return;
    }
    this.stop();
    this.from = t;
    this.last = t;
  }

  /** The playing stopped (pause, seeking, ended): the current range is closed. */
  stop(): void {
    if (this.from !== null && this.last > this.from) this.done.push([this.from, this.last]);
    this.from = null;
  }

  /** The ranges played since the last call (the open one up to now, which goes on from there). */
  take(): Range[] {
    const out = this.done;
    this.done = [];
    if (this.from !== null && this.last > this.from) {
      out.push([this.from, this.last]);
      this.from = this.last;
    }
    return out;
  }
}

/** The union of ranges, sorted and merged (touching ranges join). */
export function union(ranges: readonly Range[]): Range[] {
  const sorted = ranges.filter(([a, b]) => b > a).map(([a, b]) => [a, b] as Range).sort((x, y) => x[0] - y[0]);
  const out: Range[] = [];
  for (const r of sorted) {
    const lastR = out[out.length - 1];
    if (lastR && r[0] <= lastR[1]) lastR[1] = Math.max(lastR[1], r[1]);
    else out.push(r);
  }
  return out;
}

/** Seconds covered by the ranges, rounded to whole seconds as the server stores them. */
export function coveredSeconds(ranges: readonly Range[]): number {
  return union(ranges.map(([a, b]) => [Math.round(a), Math.round(b)] as Range)).reduce((s, [a, b]) => s + (b - a), 0);
}

/** The share (0–1) of a video of duration seconds that the ranges cover. */
export function watchedShare(ranges: readonly Range[], duration: number | null | undefined): number {
  if (!duration || duration <= 0) return 0;
  return Math.min(1, coveredSeconds(ranges) / Math.max(1, Math.round(duration)));
}

export interface OutlineLesson {
  id: number;
  required: boolean;
}

/**
 * The lessons a learner may not open yet: in a sequential course, every
 * lesson after the first required lesson not done. Other courses lock none.
 */
export function lockedLessons(lessons: readonly OutlineLesson[], done: (id: number) => boolean, sequential: boolean): Set<number> {
  const locked = new Set<number>();
  if (!sequential) return locked;
  let blocked = false;
  for (const l of lessons) {
    if (blocked) locked.add(l.id);
    else if (l.required && !done(l.id)) blocked = true;
  }
  return locked;
}

/** The course percentage as the server counts it: required lessons done (all lessons when none is required), rounded down. */
export function percentDone(lessons: readonly OutlineLesson[], done: (id: number) => boolean): number {
  const counted = lessons.some((l) => l.required) ? lessons.filter((l) => l.required) : lessons;
  if (counted.length === 0) return 0;
  return Math.floor((100 * counted.filter((l) => done(l.id)).length) / counted.length);
}

/** "m:ss" (or "h:mm:ss") for a position in seconds. */
export function clock(s: number): string {
  const t = Math.max(0, Math.floor(s));
  const h = Math.floor(t / 3600);
  const m = Math.floor((t % 3600) / 60);
  const sec = String(t % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
