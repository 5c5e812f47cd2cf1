// Shapes of the Đèn Sách API (JSON under /api/v1), as the Go backend sends them.

export type Role = 'admin' | 'officer' | 'manager' | 'teacher' | 'learner';
export type ScopeKind = 'system' | 'province' | 'commune' | 'centre' | 'self';

export interface Grant {
  id: number;
  role: Role;
  scope_kind: ScopeKind;
  unit_id: number | null;
  unit_name: string | null;
  centre_id: number | null;
  centre_name: string | null;
}

export type Sex = 'male' | 'female';
export type StaffPosition = 'chair' | 'vice_chair' | 'member';

export interface Person {
  id: number;
  full_name: string;
  given_name: string;
  birth_date: string | null;
  birth_year: number | null;
  sex: Sex | null;
  ethnicity: string;
  commune_id: number;
  commune_name: string;
  village: string;
  cccd: string | null;
  phone: string | null;
  email: string | null;
  masked: boolean;
  /** Whether the caller may change this person's profile, sign-in identifiers, account and roles. */
  editable: boolean;
  staff_position: StaffPosition | null;
  has_account: boolean;
  roles: Grant[];
  created_at: string;
  updated_at: string;
}

export interface Me {
  person: Person;
  roles: Grant[];
}

export interface Page<T> {
  items: T[];
  /** Sent for numbered pages (page 1), not for pages opened by cursor. */
  total?: number;
  page: number;
  page_size: number;
  /** Opens the next page; absent on the last one. */
  next_cursor?: string;
}

export interface PeopleQuery {
  q?: string;
  commune_id?: number;
  centre_id?: number;
  role?: Role;
  staff?: boolean;
  page?: number;
  page_size?: number;
  cursor?: string;
}

/** The fields a person can be created with; PATCH sends any subset. */
export interface PersonInput {
  full_name?: string;
  birth_date?: string | null;
  birth_year?: number | null;
  sex?: Sex | null;
  ethnicity?: string;
  commune_id?: number;
  village?: string;
  cccd?: string | null;
  phone?: string | null;
  email?: string | null;
  staff_position?: StaffPosition | null;
  password?: string;
}

export interface ImportRowError {
  row: number;
  field: string;
  code: string;
  message: string;
}

export interface ImportResult {
  dry_run: boolean;
  total_rows: number;
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  errors: ImportRowError[];
}

/** Current kinds, and the historical ones (city, district, town) kept for the units' history. */
export type UnitKind = 'province' | 'commune' | 'ward' | 'special_zone' | 'city' | 'district' | 'town';

export interface Unit {
  id: number;
  code: string;
  name: string;
  kind: UnitKind;
  parent_id: number | null;
  valid_from: string | null;
  valid_to: string | null;
  successor_ids: number[] | null;
}

export interface Centre {
  id: number;
  name: string;
  unit_id: number;
  unit_name: string;
  address: string;
}

/** GET /summary: the home pages' counts, inside the caller's scope. */
export interface Summary {
  provinces: { id: number; code: string; name: string; communes: number }[];
  communes: number;
  centres: number;
  branches: number;
  people: number;
  accounts: number;
  roles: Record<Role, number>;
}

export interface GrantInput {
  role: Role;
  unit_id?: number;
  centre_id?: number;
}

export interface TokenResponse {
  access_token: string;
  token_type: string;
  expires_in: number;
  /** Only for clients that ask for it (include_refresh_token); the web app keeps it in the HttpOnly cookie. */
  refresh_token?: string;
  refresh_expires_in?: number;
  /** Someone else chose the password: only the account page works until it is changed. */
  must_change_password?: boolean;
}

export interface FieldError {
  field: string;
  code: string;
  message: string;
  /** Values for the {placeholders} of the code's catalogue entry. */
  params?: Record<string, string | number>;
}

export interface ErrorBody {
  code: string;
  /** The message key (translated as err.<key>); absent on errors not yet keyed. */
  key?: string;
  message: string;
  params?: Record<string, string | number>;
  fields?: FieldError[];
  request_id?: string;
}
