// Materials' calls shared by the course editor and the class sessions:
// announce an upload (for a course or a session), send the bytes straight
// from the browser to the object store through the presigned POST the server
// hands out (XMLHttpRequest, for its upload progress; the API server never
// sees the bytes), confirm, download by a short-lived link, delete.

import { api } from '../session.svelte';
import type { components } from '../api.gen';

type Schemas = components['schemas'];

/** A material of a course or of a class session (pending until confirmed). */
export type Material = Schemas['Material'];
/** POST …/uploads: the pending material and the presigned POST for the browser. */
export type UploadTicket = Schemas['UploadGrant'];
/** GET /materials/{id}/download: a short-lived link. */
export type MaterialDownload = Schemas['MaterialDownload'];
/** GET /sessions/{id}/materials. */
export type SessionMaterialList = Schemas['SessionMaterialList'];

/** What an upload is for: a course's lessons and cover, or a class session (slides, handouts). */
export type UploadTarget = { course: number } | { session: number };

export function uploadsPath(target: UploadTarget): string {
  return 'course' in target ? `/courses/${target.course}/uploads` : `/sessions/${target.session}/uploads`;
}

export const startUpload = (target: UploadTarget, file: { file_name: string; content_type: string; size: number }) =>
  api.request<UploadTicket>('POST', uploadsPath(target), { json: file });
export const confirmMaterial = (id: number) => api.request<Material>('POST', `/materials/${id}/confirm`);
export const deleteMaterial = (id: number) => api.request<void>('DELETE', `/materials/${id}`);
/** A link to the file; inline asks to show it in the browser (PDF, images, audio, video only). */
export const downloadMaterial = (id: number, inline = false) =>
  api.get<MaterialDownload>(`/materials/${id}/download`, inline ? { inline: true } : undefined);

export async function listSessionMaterials(sessionId: number): Promise<SessionMaterialList> {
  const l = await api.get<SessionMaterialList>(`/sessions/${sessionId}/materials`);
  return { ...l, items: l.items ?? [] };
}

/** Content types by extension, for files the browser cannot name (the server checks the bytes anyway). */
const TYPES: Record<string, string> = {
  pdf: 'application/pdf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  mp4: 'video/mp4',
  webm: 'video/webm',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  ogg: 'audio/ogg',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pptx: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  odt: 'application/vnd.oasis.opendocument.text',
  ods: 'application/vnd.oasis.opendocument.spreadsheet',
};

/** The accept attribute of a file input that takes every allowed type. */
export const ACCEPT_ALL = [...new Set(Object.values(TYPES))].join(',') + ',' + Object.keys(TYPES).map((e) => '.' + e).join(',');

export function contentTypeOf(file: { name: string; type: string }): string {
  if (file.type) return file.type;
  const ext = file.name.split('.').pop()?.toLowerCase() ?? '';
  return TYPES[ext] ?? 'application/octet-stream';
}

export interface UploadHandle {
  /** Stops the transfer; the promise then rejects with an AbortError. */
  abort(): void;
  done: Promise<void>;
}

/**
 * Sends a file to the presigned POST URL (the policy's fields first, the file
 * last, as S3 wants), reporting progress as the browser sends the bytes.
 */
export function postToStore(ticket: UploadTicket['upload'], file: Blob, onProgress: (sent: number, total: number) => void): UploadHandle {
  const xhr = new XMLHttpRequest();
  const done = new Promise<void>((resolve, reject) => {
    const form = new FormData();
    for (const [k, v] of Object.entries(ticket.fields)) form.append(k, v);
    form.append('file', file);
    xhr.upload.onprogress = (e) => onProgress(e.loaded, e.lengthComputable ? e.total : file.size);
    xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve() : reject(new UploadError(xhr.status, xhr.responseText)));
    xhr.onerror = () => reject(new UploadError(0, ''));
    xhr.ontimeout = () => reject(new UploadError(0, ''));
    xhr.onabort = () => reject(new DOMException('upload cancelled', 'AbortError'));
    xhr.open('POST', ticket.url);
    xhr.send(form);
  });
  return { abort: () => xhr.abort(), done };
}

/** The object store refused an upload (status 0: it could not be reached). */
export class UploadError extends Error {
  readonly status: number;
  /** The store's error code (EntityTooLarge, AccessDenied for an expired policy, …), when it said one. */
  readonly storeCode: string;
  constructor(status: number, body: string) {
    super('upload failed: ' + status);
    this.status = status;
    this.storeCode = /<Code>([^<]+)<\/Code>/.exec(body)?.[1] ?? '';
  }
}
