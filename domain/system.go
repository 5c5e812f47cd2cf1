package domain

// System is the principal of commands and background jobs run by the
// operator (`densach units import`, `densach seed`): it holds the
// administrator role over the whole system and names no person, so the
// audit log records its writes without an actor.
func System() Principal {
	return Principal{Grants: []Grant{{Role: RoleAdmin, Kind: ScopeSystem}}}
}
