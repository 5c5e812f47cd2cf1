// File sizes for people. Its own module (not format.ts, which the first visit
// loads): only the course pages need it, and a module the entry imports is
// loaded whole with it.

/** A file size for people: 950 B, 12,5 KB, 3,4 MB, 1,2 GB (1 KB = 1024 B), the Vietnamese way. */
export function formatBytes(n: number | null | undefined): string {
  if (n === null || n === undefined || Number.isNaN(n) || n < 0) return '';
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = n;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  const digits = i === 0 || v >= 100 ? 0 : 1;
  return new Intl.NumberFormat('vi-VN', { maximumFractionDigits: digits }).format(v) + ' ' + units[i];
}
