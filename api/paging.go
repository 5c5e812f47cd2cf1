package api

import (
	"strconv"

	"github.com/gofiber/fiber/v2"

	"densach/domain"
)

// Paging bounds shared by every list endpoint.
const (
	defaultPageSize = 20
	maxPageSize     = domain.MaxPageSize
	// maxPageOffset bounds numbered pages: (page-1)*page_size may not pass
	// it. Lists that grow further are walked with their cursor, which costs
	// the same on every page.
	maxPageOffset = 10_000
	// maxCursorLen bounds an opaque cursor before it is decoded.
	maxCursorLen = 1024
)

// paging is the position a list request asks for: a numbered page, or the
// page after a cursor (then Page is 1 and Cursor the opaque text).
type paging struct {
	Page     int
	PageSize int
	Cursor   string
}

// parsePaging reads page, page_size and cursor. Every list endpoint calls
// it, so that out-of-range paging is refused with 422 the same way
// everywhere; lists without cursors pass cursors=false and refuse one.
func parsePaging(c *fiber.Ctx, cursors bool) (paging, error) {
	return pagingOf(c.Query("page"), c.Query("page_size"), c.Query("cursor"), cursors)
}

// pagingOf checks the raw parameters (empty when absent).
func pagingOf(page, size, cursor string, cursors bool) (paging, error) {
	p := paging{Page: 1, PageSize: defaultPageSize, Cursor: cursor}
	var f domain.Fields
	if size != "" {
		n, err := strconv.Atoi(size)
		switch {
		case err != nil && !rangeErr(err):
			f.AddOf("page_size", "int_invalid", domain.Params{"name": "page_size"})
		case err != nil || n < 1 || n > maxPageSize:
			f.AddOf("page_size", "page_size_out_of_range", domain.Params{"max": maxPageSize})
		default:
			p.PageSize = n
		}
	}
	if page != "" {
		n, err := strconv.Atoi(page)
		switch {
		case err != nil && !rangeErr(err):
			f.AddOf("page", "int_invalid", domain.Params{"name": "page"})
		case err != nil || n < 1:
			f.AddOf("page", "page_out_of_range", domain.Params{"max": maxPageOffset})
		case n-1 > maxPageOffset/p.PageSize:
			// Compared by division: the product could overflow.
			f.AddOf("page", "page_out_of_range", domain.Params{"max": maxPageOffset})
		default:
			p.Page = n
		}
	}
	if cursor != "" {
		switch {
		case !cursors:
			f.AddOf("cursor", "cursor_unsupported", nil)
		case page != "":
			f.AddOf("cursor", "cursor_with_page", nil)
		case len(cursor) > maxCursorLen:
			f.AddOf("cursor", "cursor_invalid", nil)
		}
	}
	return p, f.Err()
}

// rangeErr reports an integer too large for int: out of range, not malformed.
func rangeErr(err error) bool {
	ne, ok := err.(*strconv.NumError)
	return ok && ne.Err == strconv.ErrRange
}

// intQuery reads an optional integer query parameter.
func intQuery(c *fiber.Ctx, name string) (int, error) {
	raw := c.Query(name)
	if raw == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(raw)
	if err != nil {
		return 0, domain.Invalid(domain.FieldOf(name, "int_invalid", domain.Params{"name": name}))
	}
	return n, nil
}
