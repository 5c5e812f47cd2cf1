package api

import (
	"bytes"
	"encoding/json"
	"time"

	"densach/domain"
	"densach/domain/people"
)

// grantJSON is a role grant as clients see it.
type grantJSON struct {
	ID         int64   `json:"id"`
	Role       string  `json:"role"`
	ScopeKind  string  `json:"scope_kind"`
	UnitID     *int64  `json:"unit_id"`
	UnitName   *string `json:"unit_name"`
	CentreID   *int64  `json:"centre_id"`
	CentreName *string `json:"centre_name"`
}

// personJSON is a person as clients see it; absent values are null.
type personJSON struct {
	ID            int64       `json:"id"`
	FullName      string      `json:"full_name"`
	GivenName     string      `json:"given_name"`
	BirthDate     *string     `json:"birth_date"`
	BirthYear     *int        `json:"birth_year"`
	Sex           *string     `json:"sex"`
	Ethnicity     string      `json:"ethnicity"`
	CommuneID     int64       `json:"commune_id"`
	CommuneName   string      `json:"commune_name"`
	CommuneKind   string      `json:"commune_kind"`
	Village       string      `json:"village"`
	CCCD          *string     `json:"cccd"`
	Phone         *string     `json:"phone"`
	Email         *string     `json:"email"`
	Masked        bool        `json:"masked"`
	Editable      bool        `json:"editable"`
	StaffPosition *string     `json:"staff_position"`
	HasAccount    bool        `json:"has_account"`
	Active        bool        `json:"active"`
	MergedIntoID  *int64      `json:"merged_into_id"`
	Roles         []grantJSON `json:"roles"`
	CreatedAt     time.Time   `json:"created_at"`
	UpdatedAt     time.Time   `json:"updated_at"`
}

func strOrNil(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func idOrNil(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

func grantsOut(gs []domain.Grant) []grantJSON {
	out := make([]grantJSON, 0, len(gs))
	for _, g := range gs {
		out = append(out, grantJSON{ID: g.ID, Role: string(g.Role), ScopeKind: string(g.Kind), UnitID: idOrNil(g.UnitID),
			UnitName: strOrNil(g.UnitName), CentreID: idOrNil(g.CentreID), CentreName: strOrNil(g.CentreName)})
	}
	return out
}

// personOut converts a person as the caller sees them (already masked
// when Masked is set).
func personOut(v people.View) personJSON {
	p := v.Person
	out := personJSON{ID: p.ID, FullName: p.FullName, GivenName: p.GivenName(), Sex: strOrNil(string(p.Sex)), Ethnicity: p.Ethnicity,
		CommuneID: p.CommuneID, CommuneName: p.CommuneName, CommuneKind: string(p.CommuneKind), Village: p.Village, CCCD: strOrNil(p.CCCD), Phone: strOrNil(p.Phone),
		Email: strOrNil(p.Email), Masked: v.Masked, Editable: v.Editable, StaffPosition: strOrNil(string(p.StaffPosition)), HasAccount: p.HasAccount,
		Active: p.Active,
		Roles:  grantsOut(p.Grants), CreatedAt: p.CreatedAt, UpdatedAt: p.UpdatedAt}
	if p.BirthDate != nil {
		out.BirthDate = strOrNil(p.BirthDate.Format(time.DateOnly))
	}
	if p.MergedIntoID != 0 {
		m := p.MergedIntoID
		out.MergedIntoID = &m
	}
	if p.BirthYear != 0 {
		y := p.BirthYear
		out.BirthYear = &y
	}
	return out
}

// optional tells a field sent as null or a value from a field not sent, so
// that PATCH changes only what the client named.
type optional[T any] struct {
	Set, Null bool
	V         T
}

// UnmarshalJSON records that the field was present.
func (o *optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if bytes.Equal(bytes.TrimSpace(b), []byte("null")) {
		o.Null = true
		return nil
	}
	return json.Unmarshal(b, &o.V)
}

// ptr returns nil when the field was absent and the zero value (which
// clears an optional field) when it was null.
func (o optional[T]) ptr() *T {
	if !o.Set {
		return nil
	}
	v := o.V
	return &v
}

// personPatch is the body of PATCH /people/:id; every field is optional.
type personPatch struct {
	FullName      optional[string] `json:"full_name"`
	BirthDate     optional[string] `json:"birth_date"`
	BirthYear     optional[int]    `json:"birth_year"`
	Sex           optional[string] `json:"sex"`
	Ethnicity     optional[string] `json:"ethnicity"`
	CommuneID     optional[int64]  `json:"commune_id"`
	Village       optional[string] `json:"village"`
	CCCD          optional[string] `json:"cccd"`
	Phone         optional[string] `json:"phone"`
	Email         optional[string] `json:"email"`
	StaffPosition optional[string] `json:"staff_position"`
}

// personCreate is the body of POST /people: a person and, optionally, the
// password of a new account.
type personCreate struct {
	personPatch
	Password optional[string] `json:"password"`
}

func (in personPatch) changes() domain.PersonChanges {
	return domain.PersonChanges{FullName: in.FullName.ptr(), BirthDate: in.BirthDate.ptr(), BirthYear: in.BirthYear.ptr(),
		Sex: in.Sex.ptr(), Ethnicity: in.Ethnicity.ptr(), CommuneID: in.CommuneID.ptr(), Village: in.Village.ptr(),
		CCCD: in.CCCD.ptr(), Phone: in.Phone.ptr(), Email: in.Email.ptr(), StaffPosition: in.StaffPosition.ptr()}
}

// grantCreate is the body of POST /people/:id/roles.
type grantCreate struct {
	Role     string `json:"role"`
	UnitID   int64  `json:"unit_id"`
	CentreID int64  `json:"centre_id"`
}

// passwordBody is the body of POST /people/:id/account: a password, or
// none (absent or null) for a one-time password.
type passwordBody struct {
	Password *string `json:"password"`
}

// loginJSON is one identifier a person signs in with.
type loginJSON struct {
	Kind  string `json:"kind"`
	Value string `json:"value"`
}

// slipJSON is the sign-in slip: what the person needs for their first
// sign-in, with the one-time password shown this once.
type slipJSON struct {
	PersonID           int64       `json:"person_id"`
	FullName           string      `json:"full_name"`
	Logins             []loginJSON `json:"logins"`
	Password           string      `json:"password"`
	MustChangePassword bool        `json:"must_change_password"`
	AccountCreated     bool        `json:"account_created"`
}

func slipOut(s people.Slip) slipJSON {
	out := slipJSON{PersonID: s.Person.ID, FullName: s.Person.FullName, Logins: make([]loginJSON, 0, len(s.Logins)),
		Password: s.Password, MustChangePassword: true, AccountCreated: s.Created}
	for _, l := range s.Logins {
		out.Logins = append(out.Logins, loginJSON{Kind: string(l.Kind), Value: l.Value})
	}
	return out
}

// rowErrorJSON is one line's error in an import answer.
type rowErrorJSON struct {
	Row     int           `json:"row"`
	Field   string        `json:"field"`
	Code    string        `json:"code"`
	Message string        `json:"message"`
	Params  domain.Params `json:"params,omitempty"`
}

// importJSON is the answer of an import or a dry run.
type importJSON struct {
	DryRun    bool            `json:"dry_run"`
	TotalRows int             `json:"total_rows"`
	Created   int             `json:"created"`
	Updated   int             `json:"updated"`
	Unchanged int             `json:"unchanged"`
	Failed    int             `json:"failed"`
	Enrolled  int             `json:"enrolled"`
	Updates   []rowUpdateJSON `json:"updates"`
	Errors    []rowErrorJSON  `json:"errors"`
	// Warnings name what the file held but the import did not read.
	Warnings []importWarningJSON `json:"warnings"`
}

// rowUpdateJSON is one row that updates an existing person.
type rowUpdateJSON struct {
	Row       int               `json:"row"`
	PersonID  int64             `json:"person_id"`
	Name      string            `json:"name"`
	MatchedBy string            `json:"matched_by"`
	OtherName bool              `json:"other_name"`
	Changes   []fieldChangeJSON `json:"changes"`
}

// fieldChangeJSON is one field's old and new value.
type fieldChangeJSON struct {
	Field string `json:"field"`
	Old   string `json:"old"`
	New   string `json:"new"`
}

// importWarningJSON is one warning about a whole import file.
type importWarningJSON struct {
	Code    string        `json:"code"`
	Message string        `json:"message"`
	Params  domain.Params `json:"params,omitempty"`
}

// auditJSON is one audit log entry.
type auditJSON struct {
	ID        int64          `json:"id"`
	At        time.Time      `json:"at"`
	ActorID   *int64         `json:"actor_id"`
	Action    string         `json:"action"`
	Entity    string         `json:"entity"`
	EntityID  *int64         `json:"entity_id"`
	Changes   map[string]any `json:"changes"`
	RequestID string         `json:"request_id"`
}

func auditOut(es []domain.AuditEntry) []auditJSON {
	out := make([]auditJSON, 0, len(es))
	for _, e := range es {
		out = append(out, auditJSON{ID: e.ID, At: e.At, ActorID: idOrNil(e.ActorID), Action: e.Action, Entity: e.Entity,
			EntityID: idOrNil(e.EntityID), Changes: e.Changes, RequestID: e.RequestID})
	}
	return out
}
