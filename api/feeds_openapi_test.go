package api

import "testing"

// TestOpenAPIFeedSchemasMatchJSON is TestOpenAPISchemasMatchJSON for the
// calendar feeds' schemas.
func TestOpenAPIFeedSchemasMatchJSON(t *testing.T) {
	checkSchemasMatch(t, parseOpenAPI(t), map[string]any{"CalendarFeed": feedJSON{}, "CalendarFeedCreate": feedCreateJSON{}})
}
