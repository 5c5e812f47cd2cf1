package postgres

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"

	"densach/domain"
	"densach/domain/classes"
	"densach/domain/feeds"
)

// Feeds keeps the calendar links and reads the sessions they show. It
// implements feeds.Store.
type Feeds struct{ db *DB }

// NewFeeds returns the calendar feeds' store over the pool.
func NewFeeds(db *DB) *Feeds { return &Feeds{db: db} }

var _ feeds.Store = (*Feeds)(nil)

// feedRow is one row of calendar_feeds.
type feedRow struct {
	ID            int64 `gorm:"primaryKey"`
	TokenHash     []byte
	Kind          string
	SubjectID     int64
	PersonID      int64
	CreatedAt     time.Time `gorm:"->"`
	RevokedAt     *time.Time
	LastFetchedAt *time.Time
}

func (feedRow) TableName() string { return "calendar_feeds" }

type feedView struct {
	Row         feedRow `gorm:"embedded"`
	SubjectName string
}

func (v feedView) domain() feeds.Feed {
	r := v.Row
	f := feeds.Feed{ID: r.ID, Kind: feeds.Kind(r.Kind), SubjectID: r.SubjectID, SubjectName: v.SubjectName, PersonID: r.PersonID,
		CreatedAt: r.CreatedAt.UTC(), RevokedAt: r.RevokedAt, LastFetchedAt: r.LastFetchedAt}
	if f.RevokedAt != nil {
		t := f.RevokedAt.UTC()
		f.RevokedAt = &t
	}
	if f.LastFetchedAt != nil {
		t := f.LastFetchedAt.UTC()
		f.LastFetchedAt = &t
	}
	return f
}

// feedSelect reads links with the name of what they show.
const feedSelect = `SELECT f.id, f.token_hash, f.kind, f.subject_id, f.person_id, f.created_at, f.revoked_at, f.last_fetched_at,
	coalesce(CASE f.kind
		WHEN 'class' THEN (SELECT title FROM classes WHERE id = f.subject_id)
		WHEN 'venue' THEN (SELECT name FROM venues WHERE id = f.subject_id)
		ELSE (SELECT full_name FROM people WHERE id = f.subject_id) END, '') AS subject_name
	FROM calendar_feeds f`

// Create stores a link, unless its owner holds max live links already.
func (s *Feeds) Create(ctx context.Context, by domain.Actor, f *feeds.Feed, hash []byte, max int) error {
	return s.db.tx(ctx, "postgres.CreateFeed", func(tx *gorm.DB) error {
		// The owner's row is the lock that serialises their creations.
		if err := tx.Exec(`SELECT id FROM people WHERE id = ? FOR UPDATE`, f.PersonID).Error; err != nil {
			return err
		}
		var live int64
		if err := tx.Model(&feedRow{}).Where("person_id = ? AND revoked_at IS NULL", f.PersonID).Count(&live).Error; err != nil {
			return err
		}
		if live >= int64(max) {
			return domain.Fail(domain.CodeConflict, "feed_limit", domain.Params{"max": max})
		}
		r := feedRow{TokenHash: hash, Kind: string(f.Kind), SubjectID: f.SubjectID, PersonID: f.PersonID}
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		if err := tx.Raw(`SELECT created_at FROM calendar_feeds WHERE id = ?`, r.ID).Scan(&f.CreatedAt).Error; err != nil {
			return err
		}
		f.ID, f.CreatedAt = r.ID, f.CreatedAt.UTC()
		return writeAudit(tx, by, "calendar_feed_created", "calendar_feed", r.ID, map[string]any{"kind": f.Kind, "subject_id": f.SubjectID})
	})
}

// Mine lists a person's live links, the newest first.
func (s *Feeds) Mine(ctx context.Context, personID int64) ([]feeds.Feed, error) {
	var rows []feedView
	err := s.db.q(ctx).Raw(feedSelect+` WHERE f.person_id = ? AND f.revoked_at IS NULL ORDER BY f.created_at DESC, f.id DESC`, personID).Scan(&rows).Error
	out := make([]feeds.Feed, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, translate("postgres.Feeds", err)
}

// Get reads one link.
func (s *Feeds) Get(ctx context.Context, id int64) (feeds.Feed, error) {
	var r feedView
	err := s.db.q(ctx).Raw(feedSelect+` WHERE f.id = ?`, id).Take(&r).Error
	return r.domain(), translate("postgres.Feed", err)
}

// ByHash reads the live link of a token's hash.
func (s *Feeds) ByHash(ctx context.Context, hash []byte) (feeds.Feed, error) {
	var r feedView
	err := s.db.q(ctx).Raw(feedSelect+` WHERE f.token_hash = ? AND f.revoked_at IS NULL`, hash).Take(&r).Error
	return r.domain(), translate("postgres.FeedByHash", err)
}

// Revoke marks a live link revoked.
func (s *Feeds) Revoke(ctx context.Context, by domain.Actor, id int64, at time.Time) error {
	return s.db.tx(ctx, "postgres.RevokeFeed", func(tx *gorm.DB) error {
		res := tx.Model(&feedRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", at)
		if res.Error != nil {
			return res.Error
		}
		if res.RowsAffected == 0 {
			return domain.Fail(domain.CodeNotFound, "feed_not_found", nil)
		}
		return writeAudit(tx, by, "calendar_feed_revoked", "calendar_feed", id, nil)
	})
}

// Fetched records a fetch, at most once a minute per link (calendar
// applications poll; the date is for the owner's list, not an access log).
func (s *Feeds) Fetched(ctx context.Context, id int64, at time.Time) error {
	err := s.db.q(ctx).Exec(`UPDATE calendar_feeds SET last_fetched_at = ? WHERE id = ?
		AND (last_fetched_at IS NULL OR last_fetched_at < ?::timestamptz - interval '1 minute')`, at, id, at).Error
	return translate("postgres.FeedFetched", err)
}

// Principal is a person's current effective grants, when they are active
// and hold an enabled account.
func (s *Feeds) Principal(ctx context.Context, personID int64) (domain.Principal, error) {
	const op = "postgres.FeedPrincipal"
	var ok bool
	err := s.db.q(ctx).Raw(`SELECT EXISTS (SELECT 1 FROM accounts a JOIN people p ON p.id = a.person_id
		WHERE a.person_id = ? AND NOT a.disabled AND p.active)`, personID).Scan(&ok).Error
	if err != nil {
		return domain.Principal{}, translate(op, err)
	}
	if !ok {
		return domain.Principal{}, domain.Fail(domain.CodeNotFound, "not_found", nil)
	}
	var rows []grantRow
	if err := s.db.q(ctx).Raw(grantQuery+` AND g.person_id = ? ORDER BY g.id`, personID).Scan(&rows).Error; err != nil {
		return domain.Principal{}, translate(op, err)
	}
	p := domain.Principal{PersonID: personID}
	for _, r := range rows {
		if g, effective := r.domain(); effective {
			p.Grants = append(p.Grants, g)
		}
	}
	return p, nil
}

// Person reads a person's name and area.
func (s *Feeds) Person(ctx context.Context, id int64) (feeds.Person, error) {
	var r struct {
		FullName   string
		CommuneID  *int64
		ProvinceID *int64
	}
	err := s.db.q(ctx).Raw(`SELECT p.full_name, p.commune_id, u.parent_id AS province_id
		FROM people p LEFT JOIN units u ON u.id = p.commune_id WHERE p.id = ?`, id).Take(&r).Error
	if err != nil {
		return feeds.Person{}, translate("postgres.FeedPerson", err)
	}
	var centres []int64
	err = s.db.q(ctx).Raw(`SELECT DISTINCT centre_id FROM role_grants WHERE person_id = ? AND revoked_at IS NULL AND centre_id IS NOT NULL ORDER BY 1`, id).
		Scan(&centres).Error
	return feeds.Person{Name: r.FullName, Area: domain.Area{PersonID: id, CommuneID: deref(r.CommuneID), ProvinceID: deref(r.ProvinceID), CentreIDs: centres}},
		translate("postgres.FeedPerson", err)
}

// TeachingCentres lists the centres where a person teaches.
func (s *Feeds) TeachingCentres(ctx context.Context, personID int64) ([]int64, error) {
	var ids []int64
	err := s.db.q(ctx).Raw(`SELECT centre_id FROM role_grants WHERE person_id = ? AND revoked_at IS NULL AND role IN ('teacher', 'manager') AND centre_id IS NOT NULL
		UNION SELECT c.centre_id FROM class_teachers ct JOIN classes c ON c.id = ct.class_id WHERE ct.person_id = ?
		ORDER BY 1`, personID, personID).Scan(&ids).Error
	return ids, translate("postgres.TeachingCentres", err)
}

// Enrolled reports an active or completed enrolment in a class.
func (s *Feeds) Enrolled(ctx context.Context, personID, classID int64) (bool, error) {
	var ok bool
	err := s.db.q(ctx).Raw(`SELECT EXISTS (SELECT 1 FROM enrolments WHERE person_id = ? AND class_id = ? AND status IN ('active', 'completed'))`,
		personID, classID).Scan(&ok).Error
	return ok, translate("postgres.Enrolled", err)
}

// maxFeedEvents bounds one feed (a venue used every evening for 460 days
// holds about 500 sessions).
const maxFeedEvents = 5000

// Events lists the sessions of a feed's subject in a window.
func (s *Feeds) Events(ctx context.Context, q feeds.Query) ([]feeds.Event, error) {
	var cond string
	args := []any{q.From, q.To}
	switch q.Kind {
	case feeds.KindClass:
		cond, args = `s.class_id = ?`, append(args, q.SubjectID)
	case feeds.KindVenue:
		cond, args = `s.venue_id = ?`, append(args, q.SubjectID)
	case feeds.KindTeacher:
		cond = `(s.teacher_id = ? OR s.teacher_id IS NULL AND EXISTS (SELECT 1 FROM class_teachers ct WHERE ct.class_id = s.class_id AND ct.person_id = ?))`
		args = append(args, q.SubjectID, q.SubjectID)
	case feeds.KindLearner:
		cond = `s.class_id IN (SELECT class_id FROM enrolments WHERE person_id = ? AND class_id IS NOT NULL AND status IN ('active', 'completed'))`
		args = append(args, q.SubjectID)
	default:
		return nil, &domain.Error{Code: domain.CodeInternal, Op: "postgres.FeedEvents", Err: fmt.Errorf("feed kind %q", q.Kind)}
	}
	var rows []struct {
		SessionID    int64
		ClassID      int64
		ClassTitle   string
		CentreID     int64
		CentreName   string
		CommuneID    int64
		ProvinceID   int64
		StartsAt     time.Time
		EndsAt       time.Time
		Mode         string
		VenueName    string
		VenueAddress string
		TeacherID    int64
		TeacherName  string
		MeetingURL   string
		Status       string
		CancelReason string
		Sequence     int
		CreatedAt    time.Time
		UpdatedAt    time.Time
	}
	err := s.db.q(ctx).Raw(`SELECT s.id AS session_id, s.class_id, c.title AS class_title, c.centre_id, ce.name AS centre_name,
			ce.unit_id AS commune_id, coalesce(cu.parent_id, 0) AS province_id, s.starts_at, s.ends_at, s.mode,
			coalesce(v.name, '') AS venue_name, coalesce(v.address, '') AS venue_address,
			coalesce(s.teacher_id, 0) AS teacher_id, coalesce(p.full_name, '') AS teacher_name,
			s.meeting_url, s.status, s.cancel_reason, s.sequence, s.created_at, s.updated_at
		FROM class_sessions s JOIN classes c ON c.id = s.class_id JOIN centres ce ON ce.id = c.centre_id JOIN units cu ON cu.id = ce.unit_id
		LEFT JOIN venues v ON v.id = s.venue_id LEFT JOIN people p ON p.id = s.teacher_id
		WHERE s.ends_at > ? AND s.starts_at < ? AND `+cond+`
		ORDER BY s.starts_at, s.id LIMIT `+fmt.Sprint(maxFeedEvents), args...).Scan(&rows).Error
	if err != nil {
		return nil, translate("postgres.FeedEvents", err)
	}
	out := make([]feeds.Event, len(rows))
	for i, r := range rows {
		out[i] = feeds.Event{SessionID: r.SessionID, ClassID: r.ClassID, ClassTitle: r.ClassTitle, CentreID: r.CentreID, CentreName: r.CentreName,
			CommuneID: r.CommuneID, ProvinceID: r.ProvinceID, StartsAt: r.StartsAt.UTC(), EndsAt: r.EndsAt.UTC(), Mode: classes.Mode(r.Mode),
			VenueName: r.VenueName, VenueAddress: r.VenueAddress, TeacherID: r.TeacherID, TeacherName: r.TeacherName, MeetingURL: r.MeetingURL,
			Cancelled: r.Status == string(classes.SessionCancelled), CancelReason: r.CancelReason, Sequence: r.Sequence,
			CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
	}
	return out, nil
}
