// A small history-API router: the server answers every app path with
// index.html, and this module keeps the current path in a reactive state.

let path = $state(typeof location === 'undefined' ? '/' : location.pathname);
let search = $state(typeof location === 'undefined' ? '' : location.search);

if (typeof window !== 'undefined') {
  window.addEventListener('popstate', () => {
    path = location.pathname;
    search = location.search;
  });
}

export const route = {
  get path(): string {
    return path;
  },
  get query(): URLSearchParams {
    return new URLSearchParams(search);
  },
};

/** Goes to an app path ("/nguoi?q=an"), adding a history entry unless replace. */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  const url = new URL(to, location.origin);
  if (url.pathname === path && url.search === search && !opts.replace) return;
  if (opts.replace) history.replaceState(null, '', url.pathname + url.search);
  else history.pushState(null, '', url.pathname + url.search);
  path = url.pathname;
  search = url.search;
}

/** Changes the query string of the current page without a new history entry. */
export function setQuery(params: Record<string, string | number | undefined | null>): void {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString() ? '?' + p.toString() : '';
  history.replaceState(null, '', path + s);
  search = s;
}

/** Matches "/nguoi/:id" against a path; returns the parameters or null. */
export function match(pattern: string, p: string): Record<string, string> | null {
  const a = pattern.split('/').filter(Boolean);
  const b = p.split('/').filter(Boolean);
  if (a.length !== b.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < a.length; i++) {
    if (a[i].startsWith(':')) params[a[i].slice(1)] = decodeURIComponent(b[i]);
    else if (a[i] !== b[i]) return null;
  }
  return params;
}

/** Svelte action for <a href="/...">: follows app links without reloading the page. */
export function link(node: HTMLAnchorElement): { destroy(): void } {
  const onClick = (e: MouseEvent) => {
    if (e.defaultPrevented || e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    const href = node.getAttribute('href');
    if (!href || !href.startsWith('/') || node.target || node.hasAttribute('download')) return;
    e.preventDefault();
    navigate(href);
  };
  node.addEventListener('click', onClick);
  return { destroy: () => node.removeEventListener('click', onClick) };
}
