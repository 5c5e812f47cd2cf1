// Shapes of the Đèn Sách API (JSON under /api/v1): names for the types that
// openapi-typescript generates from api/openapi.json into api.gen.ts
// (`npm run gen:api`). Change the contract in api/openapi/*.json, never here.

import type { components, operations } from './api.gen';

type Schemas = components['schemas'];

export type Grant = Schemas['Grant'];
export type Person = Schemas['Person'];
export type Me = Schemas['Me'];
export type ImportRowError = Schemas['ImportRowError'];
export type ImportResult = Schemas['ImportResult'];
export type Unit = Schemas['Unit'];
export type Centre = Schemas['Centre'];
/** GET /centres/mine: a centre the caller belongs to, with address and contacts. */
export type MyCentre = Schemas['MyCentre'];
/** GET /summary: the home pages' counts, inside the caller's scope. */
export type Summary = Schemas['Summary'];
export type GrantInput = Schemas['GrantCreate'];
export type TokenResponse = Schemas['TokenResponse'];
/** What a person needs for their first sign-in; the password is shown this once. */
export type SignInSlip = Schemas['SignInSlip'];
export type SignInLogin = Schemas['SignInLogin'];
export type FieldError = Schemas['FieldError'];
export type ErrorBody = Schemas['Error'];

export type Role = Grant['role'];
export type ScopeKind = Grant['scope_kind'];
export type Sex = NonNullable<Person['sex']>;
export type StaffPosition = NonNullable<Person['staff_position']>;
/** Current kinds, and the historical ones (city, district, town) kept for the units' history. */
export type UnitKind = Unit['kind'];

/** The query of GET /people. */
export type PeopleQuery = NonNullable<operations['listPeople']['parameters']['query']>;

/** The fields a person can be created with; PATCH sends any subset. */
export type PersonInput = Partial<Schemas['PersonCreate']>;

/** One page of a paged list (PersonPage is Page<Person>). */
export type Page<T> = Omit<Schemas['PersonPage'], 'items'> & { items: T[] };
