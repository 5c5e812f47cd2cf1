package api

import "testing"

// TestOpenAPIFeedSchemasMatchJSON is TestOpenAPISchemasMatchJSON for the
// calendar feeds' schemas.
func TestOpenAPIFeedSchemasMatchJSON(t *testing.T) {
	checkSchemasMatch(t, parseOpenAPI(t), map[string]any{"CalendarFeed": feedJSON{}, "CalendarFeedCreate": feedCreateJSON{}})
}

// TestFeedURLOnPublicURL: with PUBLIC_URL set, links are given on it
// (whatever Host the request that makes them came with).
func TestFeedURLOnPublicURL(t *testing.T) {
	s := &Server{cfg: Config{PublicURL: "https://laichau.gov.vn/densach/"}}
	if got := s.feedURL(nil, "abc"); got != "https://laichau.gov.vn/densach/ical/abc.ics" {
		t.Fatalf("%q", got)
	}
}
