// Svelte action that sets an element's HTML from the server's sanitised
// rendering (goldmark + bluemonday). Used instead of {@html …}: that block
// pulls a part of Svelte's runtime into the chunk the first visit loads.

export function serverHtml(node: HTMLElement, html: string): { update(next: string): void } {
  node.innerHTML = html;
  return {
    update(next: string) {
      node.innerHTML = next;
    },
  };
}
