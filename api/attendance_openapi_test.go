package api

import "testing"

// TestOpenAPIAttendanceSchemasMatchJSON is TestOpenAPISchemasMatchJSON for
// the attendance schemas: each has exactly the JSON names of its Go type.
func TestOpenAPIAttendanceSchemasMatchJSON(t *testing.T) {
	doc := parseOpenAPI(t)
	checkSchemasMatch(t, doc, map[string]any{
		"AttendanceMarkInput": markInputJSON{}, "AttendanceBatch": batchJSON{}, "AttendanceMark": markJSON{},
		"AttendanceBatchResult": batchResultJSON{}, "AttendanceRosterEntry": rosterEntryJSON{}, "SessionAttendance": sessionAttendanceJSON{},
		"AttendanceEvent": attendanceEventJSON{}, "AttendanceWeights": weightsJSON{}, "AttendanceRate": rateJSON{},
		"AttendanceCell": cellJSON{}, "AttendanceGridLearner": gridLearnerJSON{}, "AttendanceGrid": gridJSON{},
		"MyAttendanceSession": myAttendanceSessionJSON{}, "MyAttendanceClass": myAttendanceClassJSON{},
	})
}
