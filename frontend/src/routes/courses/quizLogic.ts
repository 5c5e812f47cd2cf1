// The quiz screens' pure rules, unit-tested in tests/quiz-logic.test.ts:
// reading a number typed the Vietnamese way, the learner's answers as the
// server takes them, the countdown.

import type { QuizAnswer, ShownQuestion } from './quizApi';

/**
 * A number typed by a learner: the Vietnamese decimal comma ("1,5") and the
 * point ("1.5") both mean one and a half; with a comma, points and spaces
 * group thousands ("1.000,5"); several points without a comma group
 * thousands too ("1.000.000"). Null when it is not a number.
 */
export function parseDecimal(raw: string): number | null {
  let s = raw.trim().replace(/[\s\u00a0]/g, '').replace(/^\u2212/, '-');
  if (!s) return null;
  if (s.includes(',')) {
    if (s.indexOf(',') !== s.lastIndexOf(',')) return null;
    s = s.replace(/\./g, '').replace(',', '.');
  } else if ((s.match(/\./g)?.length ?? 0) > 1) {
    s = s.replace(/\./g, '');
  }
  if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(s)) return null;
  const n = Number(s);
  return Number.isFinite(n) ? n : null;
}

/** What the learner has given for one question (numeric: the text as typed). */
export interface Given {
  choices?: number[];
  bool?: boolean;
  text?: string;
}

/** Whether a question has an answer the server can take. */
export function isAnswered(kind: string, g: Given | undefined): boolean {
  if (!g) return false;
  if (kind === 'true_false') return g.bool !== undefined;
  if (kind === 'numeric') return parseDecimal(g.text ?? '') !== null;
  return (g.choices?.length ?? 0) > 0;
}

/** The answers to send: one per answered question, in the attempt's order; unanswered ones are left out. */
export function toAnswers(questions: readonly ShownQuestion[], given: Record<number, Given>): QuizAnswer[] {
  const out: QuizAnswer[] = [];
  for (const q of questions) {
    const g = given[q.id];
    if (!isAnswered(q.kind, g)) continue;
    if (q.kind === 'true_false') out.push({ question_id: q.id, value_bool: g.bool });
    else if (q.kind === 'numeric') out.push({ question_id: q.id, value_num: parseDecimal(g.text ?? '')! });
    else out.push({ question_id: q.id, choices: [...g.choices!].sort((a, b) => a - b) });
  }
  return out;
}

/** Toggles an option: a single-choice question keeps one, a multiple-choice one any set. */
export function choose(kind: string, current: readonly number[] | undefined, i: number): number[] {
  if (kind !== 'multiple') return [i];
  const c = current ?? [];
  return c.includes(i) ? c.filter((x) => x !== i) : [...c, i].sort((a, b) => a - b);
}

/**
 * Whole seconds left before the server's deadline. skewMs is how far the
 * device's clock runs ahead of the server's (measured when the attempt
 * started), so that a wrong phone clock does not change the time allowed.
 */
export function secondsLeft(deadline: string, nowMs: number, skewMs = 0): number {
  return Math.max(0, Math.floor((Date.parse(deadline) - (nowMs - skewMs)) / 1000));
}

/** "4:05", "1:02:03". */
export function clock(totalSeconds: number): string {
  const s = Math.max(0, Math.floor(totalSeconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
