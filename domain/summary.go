package domain

// Summary is the counts a home page shows, inside the caller's scope: current
// provinces (each with its current commune-level units), centres, branches,
// people, people with an account, and people holding each role.
type Summary struct {
	Provinces []ProvinceCount
	Communes  int
	Centres   int
	Branches  int
	People    int
	Accounts  int
	Roles     map[Role]int
	// ByCommune counts, for each current commune-level unit in the caller's
	// area, the people registered on the system who live there (inside the
	// people filter); ByCentre counts, for each open centre in the area, the
	// people with an active role there. Both are empty outside an area.
	ByCommune []PlaceCount
	ByCentre  []PlaceCount
}

// PlaceCount is the number of people registered in one commune-level unit
// or centre.
type PlaceCount struct {
	ID     int64
	Name   string
	Kind   string // the unit's kind; empty for a centre
	People int
}

// ProvinceCount is a current province with the number of its current
// commune-level units.
type ProvinceCount struct {
	ID       int64
	Code     string
	Name     string
	Communes int
}
