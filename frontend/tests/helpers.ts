// A scripted fetch for unit tests: answers requests in order and records them.

export interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
  body: unknown;
  credentials?: RequestCredentials;
}

export type Reply = Response | Error | ((call: Call) => Response | Promise<Response>);

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json', ...headers },
  });
}

// The server's answer to a browser: the refresh token travels only in the
// HttpOnly cookie, never in the JSON.
export function tokens(access: string, expiresIn = 900, mustChangePassword = false) {
  return { access_token: access, token_type: 'Bearer', expires_in: expiresIn, refresh_expires_in: 2592000, must_change_password: mustChangePassword };
}

export function scripted(replies: Reply[]) {
  const calls: Call[] = [];
  const fetch = (async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((v, k) => (headers[k] = v));
    let body: unknown = init.body;
    if (typeof body === 'string' && headers['content-type'] === 'application/json') body = JSON.parse(body);
    const call: Call = { url: String(input), method: init.method ?? 'GET', headers, body, credentials: init.credentials };
    calls.push(call);
    const r = replies.shift();
    if (!r) throw new Error('unexpected request ' + call.method + ' ' + call.url);
    if (r instanceof Error) throw r;
    return typeof r === 'function' ? r(call) : r;
  }) as typeof globalThis.fetch;
  return { fetch, calls, replies };
}

/** A lazy catalogue's rules (as the main one's): the same keys in both languages, none empty, the same placeholders. */
export function sameCatalogues(vi: Record<string, string>, en: Record<string, string>): string[] {
  const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort().join(',');
  const problems: string[] = [];
  const keys = new Set([...Object.keys(vi), ...Object.keys(en)]);
  for (const k of keys) {
    if (!(k in vi) || !(k in en)) problems.push(`${k}: missing in ${k in vi ? 'en' : 'vi'}`);
    else if (!vi[k].trim() || !en[k].trim()) problems.push(`${k}: empty`);
    else if (placeholders(vi[k]) !== placeholders(en[k])) problems.push(`${k}: placeholders differ`);
  }
  return problems;
}
