package domain

// PeopleCursor is a position in the people list, which is ordered by the
// Vietnamese register order of names (SortKey) and then by id. A page that
// starts after a cursor costs the same wherever it is in the list.
type PeopleCursor struct {
	SortKey []byte
	ID      int64
}

// PeoplePage is one page of the people list.
type PeoplePage struct {
	Items []Person
	// Total is the number of people in the whole list when the query asked
	// for it (Counted), else 0.
	Total   int
	Counted bool
	// Next is the position after the last item, nil on the last page.
	Next *PeopleCursor
}
