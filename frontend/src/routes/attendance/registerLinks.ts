// The paper registers the API serves: a session's blank sheet and a class's
// filled record, each as PDF or XLSX (GET /sessions/{id}/register.pdf …).

export type RegisterFormat = 'pdf' | 'xlsx';

/** What a register is of: a class (its filled record) or a session (its blank sheet). */
export type RegisterTarget = { classId: number } | { sessionId: number };

/** The API path (under /api/v1) of a register. */
export function registerPath(target: RegisterTarget, format: RegisterFormat): string {
  if ('sessionId' in target) return `/sessions/${Math.trunc(target.sessionId)}/register.${format}`;
  return `/classes/${Math.trunc(target.classId)}/register.${format}`;
}

/** Offers a downloaded file to the user under its name (a PDF also opens in a new tab where the browser can show it). */
export function saveFile(blob: Blob, name: string, doc: Document = document): void {
  const url = URL.createObjectURL(blob);
  const a = doc.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  doc.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
