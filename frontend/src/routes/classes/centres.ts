// The centres a class screen can show: those in the acting role's scope
// (a manager's or teacher's own first), and the province of a centre (for
// its library's courses).

import { api, session } from '../../lib/session.svelte';
import { centreFilterOptions, centres, units, type Option } from '../../lib/refdata';

/** The centre options and the one to start at (the centre the caller manages or teaches at). */
export async function centreChoices(): Promise<{ options: Option[]; first: string }> {
  const options = await centreFilterOptions(api, session.grants, session.role);
  const own = session.grants.find((g) => g.role === session.role && g.centre_id);
  const first = own && options.some((o) => o.value === String(own.centre_id)) ? String(own.centre_id) : (options[0]?.value ?? '');
  return { options, first };
}

/** Whether the acting role manages centre id (the server has the last word). */
export function managesCentre(id: number): boolean {
  return session.role === 'admin' || session.grants.some((g) => g.role === 'manager' && session.role === 'manager' && g.centre_id === id);
}

/** The province of a centre (its commune's parent), or 0 when unknown. */
export async function provinceOf(centreId: number): Promise<number> {
  try {
    const [cs, us] = await Promise.all([centres(api), units(api)]);
    const unit = cs.find((c) => c.id === centreId)?.unit_id;
    return us.find((u) => u.id === unit)?.parent_id ?? 0;
  } catch {
    return 0;
  }
}
