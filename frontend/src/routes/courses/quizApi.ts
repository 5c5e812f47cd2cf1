// The quiz screens' calls to the API (the learner's attempts, the staff's
// question bank, quiz settings and statistics, a course's learners), kept
// with the course pages' lazy chunks.

import { api } from '../../lib/session.svelte';
import type { components, operations } from '../../lib/api.gen';

type Schemas = components['schemas'];

export type QuizQuestion = Schemas['QuizQuestion'];
export type QuizQuestionInput = Schemas['QuizQuestionInput'];
export type QuestionKind = QuizQuestion['kind'];
export type QuizSettings = Schemas['QuizSettings'];
export type Quiz = Schemas['Quiz'];
export type QuizAnswer = Schemas['QuizAnswer'];
export type QuizAttempt = Schemas['QuizAttempt'];
export type ShownQuestion = Schemas['QuizShownQuestion'];
export type QuizResults = Schemas['QuizResults'];
export type QuizStats = Schemas['QuizStats'];
/**
 * A learner line. The quiz scores (score, quizzes) and the page's
 * quiz_lessons come with the enrolments work on branch i10-back; until that
 * contract is on main they are read when present and the screen does without.
 */
export type LearnerRow = Schemas['EnrolmentSummary'] & {
  score?: number | null;
  quizzes?: { lesson_key: string; best: number; latest: number; attempts: number; passed: boolean }[];
};
export type LearnerPage = { items: LearnerRow[]; next_cursor?: string | null; quiz_lessons?: { key: string; title: string }[] };
/** The list's query; sort "score" comes with the quiz scores (see LearnerRow). */
export type LearnerQuery = Omit<NonNullable<operations['listCourseLearners']['parameters']['query']>, 'sort'> & {
  sort?: NonNullable<operations['listCourseLearners']['parameters']['query']>['sort'] | 'score';
};
export type EnrolmentDetail = Schemas['EnrolmentDetail'];

export async function listQuestions(courseId: number): Promise<QuizQuestion[]> {
  return (await api.get<{ items: QuizQuestion[] | null }>(`/courses/${courseId}/quiz-questions`)).items ?? [];
}
export const addQuestion = (courseId: number, q: QuizQuestionInput) => api.request<QuizQuestion>('POST', `/courses/${courseId}/quiz-questions`, { json: q });
export const updateQuestion = (id: number, q: QuizQuestionInput) => api.request<QuizQuestion>('PUT', `/quiz-questions/${id}`, { json: q });
export const deleteQuestion = (id: number) => api.request<void>('DELETE', `/quiz-questions/${id}`);

export const getQuiz = (lessonId: number) => api.get<Quiz>(`/lessons/${lessonId}/quiz`);
export const saveQuizSettings = (lessonId: number, s: QuizSettings) => api.request<Quiz>('PUT', `/lessons/${lessonId}/quiz`, { json: s });
export const quizStats = (lessonId: number) => api.get<QuizStats>(`/lessons/${lessonId}/quiz/stats`);

export const myResults = (lessonId: number) => api.get<QuizResults>(`/lessons/${lessonId}/quiz/attempts`);
/** Starts an attempt, or resumes the open one (the server decides which). */
export const startAttempt = (lessonId: number) => api.request<QuizAttempt>('POST', `/lessons/${lessonId}/quiz/attempts`);
export const getAttempt = (id: number) => api.get<QuizAttempt>(`/quiz-attempts/${id}`);
/** Submits once; the key is kept for the attempt so that a resend after a dropped connection is the same request. */
export const submitAttempt = (id: number, answers: QuizAnswer[], idempotencyKey: string) =>
  api.request<QuizAttempt>('POST', `/quiz-attempts/${id}/submit`, { json: { answers }, idempotencyKey });

export const getEnrolment = (id: number) => api.get<EnrolmentDetail>(`/enrolments/${id}`);

export async function listLearners(courseId: number, q: LearnerQuery): Promise<LearnerPage> {
  const page = await api.get<LearnerPage>(`/courses/${courseId}/learners`, q as Record<string, string | number>);
  return { ...page, items: page.items ?? [] };
}
