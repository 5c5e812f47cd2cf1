package feeds

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"io"
	"slices"
	"time"

	"densach/domain"
	"densach/domain/classes"
)

// Service is the calendar feeds' use cases, built by field assignment in cmd/.
type Service struct {
	Store   Store
	Classes Classes
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Random is the source of tokens; nil means crypto/rand.
	Random io.Reader
}

// The window a feed shows, around the time of the fetch.
const (
	WindowPast   = 60 * 24 * time.Hour
	WindowFuture = 400 * 24 * time.Hour
)

// MaxLive is how many live links one person may hold.
const MaxLive = 50

// tokenBytes is the size of a link's secret.
const tokenBytes = 32

var (
	errFeedNotFound    = domain.Fail(domain.CodeNotFound, "feed_not_found", nil)
	errSubjectNotFound = domain.Fail(domain.CodeNotFound, "feed_subject_not_found", nil)
	errClassNotFound   = domain.Fail(domain.CodeNotFound, "class_not_found", nil)
	errVenueNotFound   = domain.Fail(domain.CodeNotFound, "venue_not_found", nil)
	errNotAllowed      = domain.Fail(domain.CodeForbidden, "feed_not_allowed", nil)
)

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

// HashToken is what is stored of a token: the SHA-256 of its 32 bytes;
// false when the text is not a token (then no link has it).
func HashToken(token string) ([]byte, bool) {
	raw, err := base64.RawURLEncoding.DecodeString(token)
	if err != nil || len(raw) != tokenBytes || len(token) != base64.RawURLEncoding.EncodedLen(tokenBytes) {
		return nil, false
	}
	sum := sha256.Sum256(raw)
	return sum[:], true
}

// newToken draws a secret and returns it with its hash.
func (s *Service) newToken() (string, []byte, error) {
	raw := make([]byte, tokenBytes)
	var err error
	if s.Random != nil {
		_, err = io.ReadFull(s.Random, raw)
	} else {
		_, err = rand.Read(raw)
	}
	if err != nil {
		return "", nil, domain.Wrap("feeds.newToken", domain.CodeInternal, err)
	}
	sum := sha256.Sum256(raw)
	return base64.RawURLEncoding.EncodeToString(raw), sum[:], nil
}

// subject is what a feed shows, once its owner may read it.
type subject struct {
	name, calName, description string
	// visible filters the events (nil: all).
	visible func(Event) bool
}

// authorize decides whether the principal may hold a feed of the kind and
// subject: 404 when they do not see the subject, 403 when they see it but
// may not subscribe to it.
//
//   - class: its staff (who read its centre in full, its teachers) and its
//     enrolled learners (active or completed);
//   - teacher: the teacher themself, or a manager of a centre where they
//     teach (who sees only the sessions of the centres they read);
//   - learner: the learner themself only;
//   - venue: those who read the venue's centre.
func (s *Service) authorize(ctx context.Context, p domain.Principal, kind Kind, id int64) (subject, error) {
	if p.PersonID == 0 {
		return subject{}, errNotAllowed
	}
	switch kind {
	case KindClass:
		c, err := s.Classes.Class(ctx, id)
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return subject{}, errClassNotFound
		}
		if err != nil {
			return subject{}, err
		}
		sub := subject{name: c.Title, calName: c.Title + " · " + c.CentreName, description: "Lịch các buổi học của lớp " + c.Title + " (" + c.CentreName + ")"}
		if classes.StaffReads(p, c) {
			return sub, nil
		}
		enrolled, err := s.Store.Enrolled(ctx, p.PersonID, c.ID)
		switch {
		case err != nil:
			return subject{}, err
		case enrolled:
			return sub, nil
		case classes.ReadsClass(p, c):
			return subject{}, errNotAllowed
		}
		return subject{}, errClassNotFound
	case KindVenue:
		v, err := s.Classes.Venue(ctx, id)
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return subject{}, errVenueNotFound
		}
		if err != nil {
			return subject{}, err
		}
		a, err := s.Classes.CentreArea(ctx, v.CentreID)
		if err != nil {
			return subject{}, err
		}
		if !classes.ReadsCentre(p, a) {
			return subject{}, errVenueNotFound
		}
		return subject{name: v.Name, calName: v.Name + " · " + v.CentreName,
			description: "Lịch sử dụng địa điểm " + v.Name + " (" + v.CentreName + ")"}, nil
	case KindTeacher, KindLearner:
		who, err := s.Store.Person(ctx, id)
		if domain.ErrorCode(err) == domain.CodeNotFound {
			return subject{}, errSubjectNotFound
		}
		if err != nil {
			return subject{}, err
		}
		if kind == KindLearner {
			sub := subject{name: who.Name, calName: "Lịch học · " + who.Name, description: "Lịch các buổi học của " + who.Name}
			return sub, s.selfOnly(p, id, who)
		}
		sub := subject{name: who.Name, calName: "Lịch dạy · " + who.Name, description: "Lịch các buổi dạy của " + who.Name}
		centres, err := s.Store.TeachingCentres(ctx, id)
		if err != nil {
			return subject{}, err
		}
		if id == p.PersonID {
			if len(centres) == 0 {
				return subject{}, errNotAllowed // teaches nowhere: nothing to show
			}
			return sub, nil
		}
		if slices.ContainsFunc(centres, func(c int64) bool { return classes.ManagesCentre(p, c) }) {
			// A manager sees the sessions of the centres they read, not
			// those the teacher gives elsewhere.
			sub.visible = func(e Event) bool { return classes.ReadsCentre(p, e.Area()) }
			return sub, nil
		}
		return subject{}, s.selfOnly(p, id, who)
	}
	return subject{}, domain.Invalid(domain.FieldOf("kind", "feed_kind_invalid", nil))
}

// selfOnly allows the person themself; others get 403 when they read the
// person, else 404.
func (s *Service) selfOnly(p domain.Principal, id int64, who Person) error {
	if id == p.PersonID {
		return nil
	}
	if p.PeopleFilter(domain.ActRead).Matches(who.Area) {
		return errNotAllowed
	}
	return errSubjectNotFound
}

// Create makes a link to a subject the caller may subscribe to, and
// returns it with its secret token (which is never shown again).
func (s *Service) Create(ctx context.Context, p domain.Principal, kind Kind, subjectID int64) (Created, error) {
	var f domain.Fields
	if !kind.Valid() {
		f.AddOf("kind", "feed_kind_invalid", nil)
	}
	if subjectID <= 0 {
		f.AddOf("subject_id", "required", domain.Params{"field": "subject_id"})
	}
	if err := f.Err(); err != nil {
		return Created{}, err
	}
	sub, err := s.authorize(ctx, p, kind, subjectID)
	if err != nil {
		return Created{}, err
	}
	token, hash, err := s.newToken()
	if err != nil {
		return Created{}, err
	}
	feed := Feed{Kind: kind, SubjectID: subjectID, SubjectName: sub.name, PersonID: p.PersonID}
	if err := s.Store.Create(ctx, domain.ActorOf(ctx, p), &feed, hash, MaxLive); err != nil {
		return Created{}, err
	}
	return Created{Feed: feed, Token: token}, nil
}

// Mine lists the caller's live links (without their tokens).
func (s *Service) Mine(ctx context.Context, p domain.Principal) ([]Feed, error) {
	if p.PersonID == 0 {
		return nil, errNotAllowed
	}
	return s.Store.Mine(ctx, p.PersonID)
}

// Revoke ends one of the caller's links at once; another's link, or one
// revoked already, is not found.
func (s *Service) Revoke(ctx context.Context, p domain.Principal, id int64) error {
	f, err := s.Store.Get(ctx, id)
	if domain.ErrorCode(err) == domain.CodeNotFound || err == nil && (f.PersonID != p.PersonID || p.PersonID == 0 || f.RevokedAt != nil) {
		return errFeedNotFound
	}
	if err != nil {
		return err
	}
	err = s.Store.Revoke(ctx, domain.ActorOf(ctx, p), id, s.now())
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return errFeedNotFound // revoked by a concurrent request
	}
	return err
}

// Fetch is the public read of a link: the sessions it shows from
// WindowPast ago to WindowFuture ahead. A token that is unknown or
// revoked, or whose owner may no longer read the subject (grants change,
// enrolments end), is not found, with no detail.
func (s *Service) Fetch(ctx context.Context, token string) (Calendar, error) {
	hash, ok := HashToken(token)
	if !ok {
		return Calendar{}, errFeedNotFound
	}
	f, err := s.Store.ByHash(ctx, hash)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return Calendar{}, errFeedNotFound
	}
	if err != nil {
		return Calendar{}, err
	}
	owner, err := s.Store.Principal(ctx, f.PersonID)
	if domain.ErrorCode(err) == domain.CodeNotFound {
		return Calendar{}, errFeedNotFound
	}
	if err != nil {
		return Calendar{}, err
	}
	sub, err := s.authorize(ctx, owner, f.Kind, f.SubjectID)
	switch domain.ErrorCode(err) {
	case "":
	case domain.CodeNotFound, domain.CodeForbidden, domain.CodeInvalid:
		return Calendar{}, errFeedNotFound
	default:
		return Calendar{}, err
	}
	now := s.now()
	events, err := s.Store.Events(ctx, Query{Kind: f.Kind, SubjectID: f.SubjectID, From: now.Add(-WindowPast), To: now.Add(WindowFuture)})
	if err != nil {
		return Calendar{}, err
	}
	if sub.visible != nil {
		events = slices.DeleteFunc(events, func(e Event) bool { return !sub.visible(e) })
	}
	// The fetch's date is a convenience for the owner's list; a failure to
	// record it must not cost the subscriber their calendar.
	_ = s.Store.Fetched(ctx, f.ID, now)
	f.SubjectName = sub.name
	return Calendar{Feed: f, Name: sub.calName, Description: sub.description, Events: events}, nil
}
