// The player's progress arithmetic: played ranges from real playback (never a
// seek), their union and share, sequential locks and the course percentage.
import { describe, expect, it } from 'vitest';
import { PlayTracker, clock, coveredSeconds, lockedLessons, percentDone, union, watchedShare } from '../src/routes/learn/progress';

describe('PlayTracker', () => {
  it('counts continuous playback as one range and hands it over in pieces', () => {
    const t = new PlayTracker();
    for (let s = 0; s <= 5; s += 0.25) t.tick(s);
    expect(t.take()).toEqual([[0, 5]]);
    for (let s = 5.25; s <= 8; s += 0.25) t.tick(s);
    expect(t.take()).toEqual([[5, 8]]);
    expect(t.take()).toEqual([]);
  });

  it('does not count a seek forward or back', () => {
    const t = new PlayTracker();
    t.tick(0);
    t.tick(1);
    t.tick(2);
    t.tick(50); // a seek: 48 s skipped are not played
    t.tick(51);
    t.tick(20); // back
    t.tick(21.5);
    expect(t.take()).toEqual([
      [0, 2],
      [50, 51],
      [20, 21.5],
    ]);
  });

  it('closes the range on stop (pause, seeking) and ignores bad times', () => {
    const t = new PlayTracker();
    t.tick(3);
    t.tick(4);
    t.stop();
    t.tick(4.5); // a new range after a pause starts where the video is
    t.tick(NaN);
    t.tick(-1);
    t.tick(5);
    expect(t.take()).toEqual([
      [3, 4],
      [4.5, 5],
    ]);
  });
});

describe('ranges', () => {
  it('unions overlapping and touching ranges', () => {
    expect(union([[5, 8], [0, 2], [2, 3], [7, 10], [4, 4]])).toEqual([
      [0, 3],
      [5, 10],
    ]);
  });

  it('counts whole seconds as the server rounds them, replays counted once', () => {
    expect(coveredSeconds([[0, 4.6], [0, 4.6], [10.2, 12]])).toBe(5 + 2);
    expect(watchedShare([[0, 9]], 10)).toBeCloseTo(0.9);
    expect(watchedShare([[0, 9], [0, 9]], 10)).toBeCloseTo(0.9);
    expect(watchedShare([[0, 3]], 0)).toBe(0);
    expect(watchedShare([[0, 30]], 10)).toBe(1);
  });
});

describe('outline', () => {
  const lessons = [
    { id: 1, required: true },
    { id: 2, required: true },
    { id: 3, required: false },
    { id: 4, required: true },
  ];

  it('locks what follows the first required lesson not done in a sequential course', () => {
    expect([...lockedLessons(lessons, () => false, true)]).toEqual([2, 3, 4]);
    expect([...lockedLessons(lessons, (id) => id === 1, true)]).toEqual([3, 4]);
    // an optional lesson not done does not lock the ones after it
    expect([...lockedLessons(lessons, (id) => id === 1 || id === 2, true)]).toEqual([]);
    expect([...lockedLessons(lessons, () => false, false)]).toEqual([]);
  });

  it('counts the percentage over required lessons, rounded down', () => {
    expect(percentDone(lessons, (id) => id === 1)).toBe(33);
    expect(percentDone(lessons, (id) => id === 3)).toBe(0);
    expect(percentDone(lessons, (id) => id !== 3)).toBe(100);
    expect(percentDone([{ id: 9, required: false }], () => true)).toBe(100);
    expect(percentDone([], () => true)).toBe(0);
  });

  it('writes positions as a clock', () => {
    expect(clock(65)).toBe('1:05');
    expect(clock(3725)).toBe('1:02:05');
  });
});
