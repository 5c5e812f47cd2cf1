package postgres

import (
	"context"
	"time"

	"gorm.io/gorm"

	"densach/domain"
	"densach/domain/classes"
)

// Classes keeps venues, teacher shares, classes, their sessions and the
// provinces' holidays. It implements classes.Store.
type Classes struct{ db *DB }

// NewClasses returns the classes store over the pool.
func NewClasses(db *DB) *Classes { return &Classes{db: db} }

var _ classes.Store = (*Classes)(nil)

// CentreArea locates a centre: its commune and province.
func (s *Classes) CentreArea(ctx context.Context, centreID int64) (domain.Area, error) {
	var r struct{ CommuneID, ProvinceID int64 }
	err := s.db.q(ctx).Raw(`SELECT ce.unit_id AS commune_id, coalesce(u.parent_id, 0) AS province_id
		FROM centres ce JOIN units u ON u.id = ce.unit_id WHERE ce.id = ?`, centreID).Take(&r).Error
	return domain.Area{CommuneID: r.CommuneID, ProvinceID: r.ProvinceID, CentreIDs: []int64{centreID}}, translate("postgres.CentreArea", err)
}

// centreScopeSQL is a read scope as a condition on a centre ce of commune cu.
func centreScopeSQL(f domain.Filter) (string, []any) {
	if f.All {
		return "true", nil
	}
	return `(ce.id = ANY(?::bigint[]) OR ce.unit_id = ANY(?::bigint[]) OR cu.parent_id = ANY(?::bigint[]))`,
		[]any{pgArray(f.CentreIDs), pgArray(f.CommuneIDs), pgArray(f.ProvinceIDs)}
}

// ---- Venues ----

// venueRow is one row of venues.
type venueRow struct {
	ID        int64 `gorm:"primaryKey"`
	CentreID  int64
	Name      string
	Address   string
	Capacity  int
	Computers int
	Projector bool
	Internet  bool
	Active    bool
	CreatedAt time.Time `gorm:"->"`
	UpdatedAt time.Time
}

func (venueRow) TableName() string { return "venues" }

func venueRecordOf(v classes.Venue) venueRow {
	return venueRow{ID: v.ID, CentreID: v.CentreID, Name: v.Name, Address: v.Address, Capacity: v.Capacity, Computers: v.Computers,
		Projector: v.Projector, Internet: v.Internet, Active: v.Active}
}

type venueView struct {
	Row        venueRow `gorm:"embedded"`
	CentreName string
}

func (v venueView) domain() classes.Venue {
	r := v.Row
	return classes.Venue{ID: r.ID, CentreID: r.CentreID, CentreName: v.CentreName, Name: r.Name, Address: r.Address, Capacity: r.Capacity,
		Computers: r.Computers, Projector: r.Projector, Internet: r.Internet, Active: r.Active, CreatedAt: r.CreatedAt.UTC(), UpdatedAt: r.UpdatedAt.UTC()}
}

const venueSelect = `SELECT vn.*, ce.name AS centre_name FROM venues vn JOIN centres ce ON ce.id = vn.centre_id JOIN units cu ON cu.id = ce.unit_id`

// CreateVenue stores a venue.
func (s *Classes) CreateVenue(ctx context.Context, v *classes.Venue) error {
	r := venueRecordOf(*v)
	err := s.db.q(ctx).Create(&r).Error
	v.ID = r.ID
	return translate("postgres.CreateVenue", err)
}

// UpdateVenue replaces a venue's details.
func (s *Classes) UpdateVenue(ctx context.Context, v classes.Venue) error {
	return s.db.tx(ctx, "postgres.UpdateVenue", func(tx *gorm.DB) error {
		// A new name or address changes where the calendar feeds say the
		// sessions to come are: they are revised (SEQUENCE, LAST-MODIFIED).
		if err := tx.Exec(`UPDATE class_sessions SET sequence = sequence + 1, updated_at = now()
			WHERE venue_id = ? AND ends_at > now() AND EXISTS (SELECT 1 FROM venues WHERE id = ? AND (name <> ? OR address <> ?))`,
			v.ID, v.ID, v.Name, v.Address).Error; err != nil {
			return err
		}
		r := venueRecordOf(v)
		return tx.Model(&r).Select("name", "address", "capacity", "computers", "projector", "internet", "active").Updates(&r).Error
	})
}

// Venue reads one venue.
func (s *Classes) Venue(ctx context.Context, id int64) (classes.Venue, error) {
	var r venueView
	err := s.db.q(ctx).Raw(venueSelect+` WHERE vn.id = ?`, id).Take(&r).Error
	return r.domain(), translate("postgres.Venue", err)
}

// Venues lists the venues of the centres in scope, by centre and name.
func (s *Classes) Venues(ctx context.Context, scope domain.Filter, centreID int64) ([]classes.Venue, error) {
	cond, args := centreScopeSQL(scope)
	var rows []venueView
	err := s.db.q(ctx).Raw(venueSelect+` WHERE `+cond+` AND (?::bigint = 0 OR vn.centre_id = ?) ORDER BY ce.name, vn.name, vn.id LIMIT 1000`,
		append(args, centreID, centreID)...).Scan(&rows).Error
	out := make([]classes.Venue, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, translate("postgres.Venues", err)
}

// ---- Teacher shares ----

// teacherShareRow is one row of teacher_shares.
type teacherShareRow struct {
	ID           int64 `gorm:"primaryKey"`
	PersonID     int64
	FromCentreID int64
	ToCentreID   int64
	Note         string
	AgreedBy     int64
	AgreedAt     time.Time `gorm:"->"`
	RevokedBy    *int64
	RevokedAt    *time.Time
}

func (teacherShareRow) TableName() string { return "teacher_shares" }

type shareView struct {
	Row        teacherShareRow `gorm:"embedded"`
	PersonName string
}

func (v shareView) domain() classes.Share {
	r := v.Row
	return classes.Share{ID: r.ID, PersonID: r.PersonID, PersonName: v.PersonName, FromCentreID: r.FromCentreID, ToCentreID: r.ToCentreID,
		Note: r.Note, AgreedBy: r.AgreedBy, AgreedAt: r.AgreedAt.UTC(), RevokedAt: utcTime(r.RevokedAt)}
}

const shareSelect = `SELECT ts.*, p.full_name AS person_name FROM teacher_shares ts JOIN people p ON p.id = ts.person_id`

// CreateShare records an agreement.
func (s *Classes) CreateShare(ctx context.Context, sh *classes.Share) error {
	r := teacherShareRow{PersonID: sh.PersonID, FromCentreID: sh.FromCentreID, ToCentreID: sh.ToCentreID, Note: sh.Note, AgreedBy: sh.AgreedBy}
	err := s.db.q(ctx).Create(&r).Error
	sh.ID = r.ID
	return translate("postgres.CreateShare", err)
}

// Share reads one agreement.
func (s *Classes) Share(ctx context.Context, id int64) (classes.Share, error) {
	var r shareView
	err := s.db.q(ctx).Raw(shareSelect+` WHERE ts.id = ?`, id).Take(&r).Error
	return r.domain(), translate("postgres.Share", err)
}

// Shares lists the standing agreements from or to a centre.
func (s *Classes) Shares(ctx context.Context, centreID int64) ([]classes.Share, error) {
	var rows []shareView
	err := s.db.q(ctx).Raw(shareSelect+` WHERE ts.revoked_at IS NULL AND (ts.from_centre_id = ? OR ts.to_centre_id = ?) ORDER BY ts.agreed_at DESC, ts.id`,
		centreID, centreID).Scan(&rows).Error
	out := make([]classes.Share, len(rows))
	for i, r := range rows {
		out[i] = r.domain()
	}
	return out, translate("postgres.Shares", err)
}

// RevokeShare ends an agreement.
func (s *Classes) RevokeShare(ctx context.Context, id, by int64, at time.Time) error {
	err := s.db.q(ctx).Model(&teacherShareRow{ID: id}).Where("revoked_at IS NULL").Updates(map[string]any{"revoked_by": by, "revoked_at": at}).Error
	return translate("postgres.RevokeShare", err)
}

// TeacherCentres lists the centres where the person teaches or manages.
func (s *Classes) TeacherCentres(ctx context.Context, personID int64) ([]int64, error) {
	var ids []int64
	err := s.db.q(ctx).Raw(`SELECT DISTINCT centre_id FROM role_grants WHERE person_id = ? AND role IN ('teacher', 'manager')
		AND revoked_at IS NULL AND centre_id IS NOT NULL ORDER BY centre_id`, personID).Scan(&ids).Error
	return ids, translate("postgres.TeacherCentres", err)
}

// SharedTo is the centre that lends the person to centreID, while the
// person still teaches there (0: none).
func (s *Classes) SharedTo(ctx context.Context, personID, centreID int64) (int64, error) {
	var ids []int64
	err := s.db.q(ctx).Raw(`SELECT ts.from_centre_id FROM teacher_shares ts WHERE ts.person_id = ? AND ts.to_centre_id = ? AND ts.revoked_at IS NULL
		AND EXISTS (SELECT 1 FROM role_grants g WHERE g.person_id = ts.person_id AND g.centre_id = ts.from_centre_id
			AND g.role IN ('teacher', 'manager') AND g.revoked_at IS NULL)
		ORDER BY ts.agreed_at LIMIT 1`, personID, centreID).Scan(&ids).Error
	if err != nil || len(ids) == 0 {
		return 0, translate("postgres.SharedTo", err)
	}
	return ids[0], nil
}
