package api

import (
	"fmt"
	"testing"

	"densach/domain"
)

// TestPagingOf checks the one paging parser every list uses: defaults,
// bounds, overflowing numbers and cursors.
func TestPagingOf(t *testing.T) {
	cases := []struct {
		page, size, cursor string
		cursors            bool
		want               paging
		field, code        string // the field error expected, "" when accepted
	}{
		{"", "", "", true, paging{Page: 1, PageSize: 20}, "", ""},
		{"3", "50", "", false, paging{Page: 3, PageSize: 50}, "", ""},
		{"1", "100", "", false, paging{Page: 1, PageSize: 100}, "", ""},
		{"501", "20", "", false, paging{Page: 501, PageSize: 20}, "", ""},
		{"502", "20", "", false, paging{}, "page", "page_out_of_range"},
		{"9223372036854775807", "", "", false, paging{}, "page", "page_out_of_range"},
		{"9223372036854775808", "", "", false, paging{}, "page", "page_out_of_range"},
		{"1152921504606846978", "16", "", false, paging{}, "page", "page_out_of_range"},
		{"0", "", "", false, paging{}, "page", "page_out_of_range"},
		{"-1", "", "", false, paging{}, "page", "page_out_of_range"},
		{"abc", "", "", false, paging{}, "page", "int_invalid"},
		{"1.5", "", "", false, paging{}, "page", "int_invalid"},
		{"", "0", "", false, paging{}, "page_size", "page_size_out_of_range"},
		{"", "-5", "", false, paging{}, "page_size", "page_size_out_of_range"},
		{"", "101", "", false, paging{}, "page_size", "page_size_out_of_range"},
		{"", "99999999999999999999", "", false, paging{}, "page_size", "page_size_out_of_range"},
		{"", "x", "", false, paging{}, "page_size", "int_invalid"},
		{"", "10", "abc", true, paging{Page: 1, PageSize: 10, Cursor: "abc"}, "", ""},
		{"", "", "abc", false, paging{}, "cursor", "cursor_unsupported"},
		{"2", "", "abc", true, paging{}, "cursor", "cursor_with_page"},
		{"", "", string(make([]byte, maxCursorLen+1)), true, paging{}, "cursor", "cursor_invalid"},
	}
	for _, tc := range cases {
		name := fmt.Sprintf("page=%s&page_size=%s&cursor=%.10s", tc.page, tc.size, tc.cursor)
		t.Run(name, func(t *testing.T) {
			got, err := pagingOf(tc.page, tc.size, tc.cursor, tc.cursors)
			if tc.code == "" {
				if err != nil || got != tc.want {
					t.Fatalf("got %+v, %v; want %+v", got, err, tc.want)
				}
				return
			}
			e := domain.AsError(err)
			if err == nil || e.Code != domain.CodeInvalid || len(e.Fields) != 1 || e.Fields[0].Field != tc.field || e.Fields[0].Code != tc.code {
				t.Fatalf("got %+v, %v; want %s on %s", got, err, tc.code, tc.field)
			}
		})
	}
}

// TestListsRefuseOutOfRangePaging sends out-of-range paging to every list
// endpoint: each answers 422, none wraps round to a page.
func TestListsRefuseOutOfRangePaging(t *testing.T) {
	e := newTestEnv(t)
	admin := e.token(e.w.Admin)
	lists := []string{"/api/v1/people", "/api/v1/units", "/api/v1/centres", "/api/v1/branches", "/api/v1/audit"}
	bad := []string{"page=9223372036854775807", "page=1152921504606846978&page_size=16", "page=-1", "page=0",
		"page_size=0", "page_size=-16", "page_size=101", "page=99999999999999999999999"}
	for _, list := range lists {
		if status, body := e.call("GET", list+"?page=1&page_size=16", admin, nil); status != 200 {
			t.Fatalf("%s in range: %d %v", list, status, body)
		}
		for _, q := range bad {
			if status, body := e.call("GET", list+"?"+q, admin, nil); status != 422 {
				t.Errorf("%s?%s: %d %v", list, q, status, body)
			}
		}
	}
	if status, body := e.call("GET", "/api/v1/people?cursor=!!", admin, nil); status != 422 {
		t.Errorf("bad cursor: %d %v", status, body)
	}
}
