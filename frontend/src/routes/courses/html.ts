// Inserts HTML that the server has rendered from Markdown and sanitised.

/**
 * Svelte action: sets the element's content to `value` as HTML. Use it ONLY
 * for HTML the server has sanitised (description_html, body_html: goldmark
 * without raw HTML, then bluemonday's UGC policy, api/markdown.go); never for
 * anything a person typed or a third party sent. It does what {@html} does;
 * an action keeps Svelte's {@html} runtime out of the first visit's shared
 * chunk (about 280 bytes gzip, measured), which has a 70 KB budget.
 */
export function html(node: HTMLElement, value: string | null | undefined): { update(v: string | null | undefined): void } {
  node.innerHTML = value ?? '';
  return {
    update(v) {
      node.innerHTML = v ?? '';
    },
  };
}
