import { formatNumber } from '../format';

export type Params = Record<string, string | number>;

/**
 * Fills "{name}" placeholders from params; numbers are written the Vietnamese
 * way (1.234). A placeholder without a value is left as it is, so that a
 * missing parameter shows up instead of vanishing.
 */
export function interpolate(template: string, params?: Params): string {
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    if (v === undefined) return whole;
    return typeof v === 'number' ? formatNumber(v) : v;
  });
}
