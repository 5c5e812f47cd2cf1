// Whether the device can reach the server, from the browser's own signal
// and from requests that failed for lack of a connection.

let online = $state(typeof navigator === 'undefined' ? true : navigator.onLine);

if (typeof window !== 'undefined') {
  window.addEventListener('online', () => (online = true));
  window.addEventListener('offline', () => (online = false));
}

export const net = {
  get online(): boolean {
    return online;
  },
};

/** Records what a request taught us about the connection. */
export function reportNetwork(ok: boolean): void {
  online = ok;
}
