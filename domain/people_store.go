package domain

// PeopleStore keeps people and their role grants.
// (Placeholder: the people work defines its methods.)
type PeopleStore interface{}
