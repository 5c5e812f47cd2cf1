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
}

// ProvinceCount is a current province with the number of its current
// commune-level units.
type ProvinceCount struct {
	ID       int64
	Code     string
	Name     string
	Communes int
}
