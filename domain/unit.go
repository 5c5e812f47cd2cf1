package domain

import (
	"slices"
	"time"
)

// UnitKind is the kind of an administrative unit.
type UnitKind string

// Unit kinds. Since 1 July 2025 only provinces and commune-level units (ward,
// commune, special zone) are current; city, town and district remain for
// history so that old baselines roll up into today's units.
const (
	UnitProvince    UnitKind = "province"
	UnitWard        UnitKind = "ward"
	UnitCommune     UnitKind = "commune"
	UnitSpecialZone UnitKind = "special_zone"
	UnitCity        UnitKind = "city"
	UnitDistrict    UnitKind = "district"
	UnitTown        UnitKind = "town"
)

// CommuneLevelKinds are the kinds of the units where people live and
// centres stand.
var CommuneLevelKinds = []UnitKind{UnitWard, UnitCommune, UnitSpecialZone}

// CommuneLevel reports whether the kind is a commune-level unit.
func (k UnitKind) CommuneLevel() bool { return slices.Contains(CommuneLevelKinds, k) }

// Valid reports whether k is a known kind.
func (k UnitKind) Valid() bool {
	switch k {
	case UnitProvince, UnitWard, UnitCommune, UnitSpecialZone, UnitCity, UnitDistrict, UnitTown:
		return true
	}
	return false
}

// Unit is an administrative unit with a validity period; merged units end
// and point to their successors.
type Unit struct {
	ID           int64
	Code         string
	Name         string
	Kind         UnitKind
	ParentID     *int64
	ValidFrom    time.Time
	ValidTo      *time.Time
	SuccessorIDs []int64
}

// UnitFilter selects units in a list.
type UnitFilter struct {
	Kind           UnitKind
	ParentID       int64
	IncludeExpired bool
	// Today is the day whose current units are listed (Vietnam's civil
	// date, see Today): the use case sets it from its clock. Needed unless
	// IncludeExpired.
	Today time.Time
}

// Centre is a community learning centre (TTHTCĐ) of one commune-level unit.
type Centre struct {
	ID        int64
	UnitID    int64
	UnitName  string
	Name      string
	Address   string
	CreatedAt time.Time
}

// CentreContact is someone a centre's own people can turn to: one of its
// managers, with the phone number they gave.
type CentreContact struct {
	Name  string
	Phone string
}

// Branch is a commune branch of the learning-promotion association.
type Branch struct {
	ID       int64
	UnitID   int64
	UnitName string
	Name     string
}

// Area locates something in the geography: the commune-level unit and its
// province, and the centres it belongs to. Scope checks compare areas.
type Area struct {
	PersonID   int64
	CommuneID  int64
	ProvinceID int64
	CentreIDs  []int64
}

// sortByTitle orders items by a whole name (units, centres: no given name)
// with the one pool of Vietnamese collators that people's sort keys use.
func sortByTitle[T any](items []T, title func(T) string) {
	s := nameSorters.Get().(*nameSorter)
	defer nameSorters.Put(s)
	slices.SortStableFunc(items, func(a, b T) int { return s.c.CompareString(title(a), title(b)) })
}

// SortUnits orders units by name with Vietnamese collation.
func SortUnits(us []Unit) { sortByTitle(us, func(u Unit) string { return u.Name }) }

// SortCentres orders centres by name with Vietnamese collation.
func SortCentres(cs []Centre) { sortByTitle(cs, func(c Centre) string { return c.Name }) }

// SortBranches orders association branches by name with Vietnamese collation.
func SortBranches(bs []Branch) { sortByTitle(bs, func(b Branch) string { return b.Name }) }

// UnknownStart is the start of validity recorded for a former unit whose
// start date the official list does not give.
var UnknownStart = time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)
