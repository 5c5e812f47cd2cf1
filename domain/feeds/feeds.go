// Package feeds holds the use cases of calendar feeds: secret, revocable
// links to the sessions of a class, a teacher, a learner or a venue, which
// calendar applications (Google Calendar, Apple Calendar, Outlook)
// subscribe to. The use cases decide who may make which link, and at every
// fetch whether its owner may still read what it shows; the api renders
// the events as iCalendar (RFC 5545).
package feeds

import (
	"context"
	"time"

	"densach/domain"
	"densach/domain/classes"
)

// Kind is what a feed shows.
type Kind string

// The kinds of feeds.
const (
	KindClass   Kind = "class"   // the sessions of one class
	KindTeacher Kind = "teacher" // the sessions a person teaches
	KindLearner Kind = "learner" // the sessions of the classes a person is enrolled in
	KindVenue   Kind = "venue"   // the sessions held at one venue
)

// Valid reports whether k is one of the kinds.
func (k Kind) Valid() bool {
	switch k {
	case KindClass, KindTeacher, KindLearner, KindVenue:
		return true
	}
	return false
}

// Feed is one calendar link. The secret token is never kept: only its hash.
type Feed struct {
	ID            int64
	Kind          Kind
	SubjectID     int64
	SubjectName   string
	PersonID      int64 // the owner
	CreatedAt     time.Time
	RevokedAt     *time.Time
	LastFetchedAt *time.Time
}

// Created is a new link with its secret token, shown to its owner once.
type Created struct {
	Feed
	// Token is the link's secret (32 random bytes, base64url without
	// padding): the feed is at /ical/{Token}.ics.
	Token string
}

// Event is one session as a feed shows it.
type Event struct {
	SessionID    int64
	ClassID      int64
	ClassTitle   string
	CentreID     int64
	CentreName   string
	CommuneID    int64
	ProvinceID   int64
	StartsAt     time.Time
	EndsAt       time.Time
	Mode         classes.Mode // in_person or online
	VenueName    string
	VenueAddress string
	TeacherID    int64
	TeacherName  string
	MeetingURL   string
	Cancelled    bool
	CancelReason string
	// Sequence is bumped on every change of the session (RFC 5545 SEQUENCE).
	Sequence  int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Area is where the event's class is, for scope checks.
func (e Event) Area() domain.Area {
	return domain.Area{CommuneID: e.CommuneID, ProvinceID: e.ProvinceID, CentreIDs: []int64{e.CentreID}}
}

// Calendar is what a feed shows when fetched.
type Calendar struct {
	Feed Feed
	// Name is the calendar's name in the subscriber's application.
	Name string
	// Description says what the calendar holds.
	Description string
	Events      []Event
}

// Query selects the sessions of a feed's subject overlapping [From, To).
type Query struct {
	Kind      Kind
	SubjectID int64
	From, To  time.Time
}

// Person is a feed's subject person: their name and where they are, for
// the scope checks.
type Person struct {
	Name string
	Area domain.Area
}

// Classes is what feeds need of the classes' store: the class and venue a
// feed names, and where a centre is.
type Classes interface {
	// Class reads a class with its teachers; CodeNotFound when unknown.
	Class(ctx context.Context, id int64) (classes.Class, error)
	// Venue reads a venue; CodeNotFound when unknown.
	Venue(ctx context.Context, id int64) (classes.Venue, error)
	// CentreArea locates a centre; CodeNotFound when unknown.
	CentreArea(ctx context.Context, centreID int64) (domain.Area, error)
}

// Store keeps the links and reads what they show.
type Store interface {
	// Create stores a link with its token's hash and sets its ID and
	// CreatedAt, audited; CodeConflict feed_limit when the owner holds max
	// live links already (counted under a lock on the owner, so two
	// concurrent creations cannot both pass the limit).
	Create(ctx context.Context, by domain.Actor, f *Feed, hash []byte, max int) error
	// Mine lists a person's live links, the newest first, with their
	// subjects' names.
	Mine(ctx context.Context, personID int64) ([]Feed, error)
	// Get reads a link (live or revoked); CodeNotFound when unknown.
	Get(ctx context.Context, id int64) (Feed, error)
	// ByHash reads the live link whose token hashes to hash; CodeNotFound
	// when there is none (unknown or revoked).
	ByHash(ctx context.Context, hash []byte) (Feed, error)
	// Revoke marks a live link revoked, audited; CodeNotFound when it is
	// not live.
	Revoke(ctx context.Context, by domain.Actor, id int64, at time.Time) error
	// Fetched records a fetch (at most one write a minute per link).
	Fetched(ctx context.Context, id int64, at time.Time) error
	// Principal is a person's current grants, as a sign-in would derive
	// them; CodeNotFound when the person is inactive or has no enabled
	// account.
	Principal(ctx context.Context, personID int64) (domain.Principal, error)
	// Person reads a person's name and area (commune, province, the
	// centres of their grants); CodeNotFound when unknown.
	Person(ctx context.Context, id int64) (Person, error)
	// TeachingCentres lists the centres where a person teaches: those of
	// their teacher and manager grants and of the classes they teach.
	TeachingCentres(ctx context.Context, personID int64) ([]int64, error)
	// Enrolled reports whether a person is (or was, to completion)
	// enrolled in a class: an active or completed enrolment.
	Enrolled(ctx context.Context, personID, classID int64) (bool, error)
	// Events lists the sessions a query selects (cancelled ones too), in
	// time order: a class's; those a teacher teaches (and those of their
	// classes with no teacher named); those of the classes a learner is
	// enrolled in (active or completed); those at a venue.
	Events(ctx context.Context, q Query) ([]Event, error)
}
