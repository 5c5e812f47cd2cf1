package domain

// AuthStore keeps accounts, refresh tokens and login throttling.
// (Placeholder: the auth work defines its methods.)
type AuthStore interface{}
