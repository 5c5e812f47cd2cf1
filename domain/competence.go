package domain

import "context"

// FrameworkKind says what a tag of the framework counts as in the
// indicators: digital-skill training or IT-application training.
type FrameworkKind string

// The framework kinds.
const (
	FrameworkDigitalSkills FrameworkKind = "digital_skills" // Thông tư 02/2025/TT-BGDĐT
	FrameworkITApplication FrameworkKind = "it_application" // Thông tư 03/2014/TT-BTTTT
)

// CompetenceFramework is one edition of a competence framework, loaded by
// migrations as reference data, with its areas, competences and levels.
type CompetenceFramework struct {
	ID          int16
	Code        string // "tt02-2025", "tt03-2014"
	Family      string // "tt02": editions of one framework share it
	Edition     int
	Kind        FrameworkKind
	NameVI      string
	NameEN      string
	IssuedBy    string
	IssuedOn    string // YYYY-MM-DD
	Areas       []CompetenceArea
	Competences []Competence
	Levels      []CompetenceLevel // empty when the framework has no levels
}

// CompetenceArea groups competences (TT 02: six areas).
type CompetenceArea struct {
	ID       int16
	Code     string
	NameVI   string
	NameEN   string
	Position int16
}

// Competence is one item a course or lesson can be tagged with.
type Competence struct {
	ID       int32
	AreaID   int16 // 0 when the framework has no areas
	Code     string
	NameVI   string
	NameEN   string
	Advanced bool // TT 03: IU07–IU15
	Position int16
}

// CompetenceLevel is one step of a framework's levels (TT 02: 4 levels over
// 8 steps, CB1 … CS2).
type CompetenceLevel struct {
	Step   int16
	Level  int16
	Code   string
	NameVI string
	NameEN string
}

// CompetenceTag tags a course or a lesson with a competence at an optional
// step of its framework's levels (0 = no level).
type CompetenceTag struct {
	CompetenceID int32
	LevelStep    int16
}

// CompetenceStore reads the frameworks (reference data, never written by
// the application).
type CompetenceStore interface {
	// Frameworks returns every framework with its areas, competences and
	// levels, in framework, then position order.
	Frameworks(ctx context.Context) ([]CompetenceFramework, error)
}
