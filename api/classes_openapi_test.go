package api

import "testing"

// TestOpenAPIClassSchemasMatchJSON is TestOpenAPISchemasMatchJSON for the
// classes' schemas: each has exactly the JSON names of its Go type.
func TestOpenAPIClassSchemasMatchJSON(t *testing.T) {
	doc := parseOpenAPI(t)
	checkSchemasMatch(t, doc, map[string]any{
		"Venue": venueJSON{}, "VenueCreate": venueCreateJSON{}, "VenueUpdate": venueFieldsJSON{},
		"TeacherShare": shareJSON{}, "TeacherShareCreate": shareCreateJSON{},
		"ClassTeacher": classTeacherJSON{}, "Class": classJSON{}, "ClassCreate": classCreateJSON{}, "ClassUpdate": classUpdateJSON{},
		"Session": sessionJSON{}, "MySession": mySessionJSON{}, "SessionCreate": sessionCreateJSON{}, "SessionPatch": sessionPatchJSON{}, "SessionCancel": cancelJSON{},
		"Recurrence": recurrenceJSON{}, "SessionPlanRequest": planRequestJSON{}, "SkippedDay": skippedJSON{},
		"SessionConflict": conflictJSON{}, "SessionPlan": planJSON{}, "Holiday": holidayJSON{}, "HolidayCreate": holidayCreateJSON{},
	})
}
