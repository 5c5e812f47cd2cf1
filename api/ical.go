package api

import (
	"strconv"
	"strings"
	"time"
	"unicode"

	ics "github.com/arran4/golang-ical"

	"densach/domain/classes"
	"densach/domain/feeds"
)

// icalProductID names the software that wrote a feed (RFC 5545 PRODID).
const icalProductID = "-//Den Sach//Lich lop hoc//VI"

// renderICal writes a feed as an iCalendar object (RFC 5545) that Google
// Calendar, Apple Calendar and Outlook subscribe to: METHOD:PUBLISH, the
// calendar's name (X-WR-CALNAME, NAME), one VEVENT per session with a UID
// that never changes (the session's id), SEQUENCE bumped on every change,
// STATUS:CANCELLED for cancelled sessions, times as UTC instants (the
// display zone is named by X-WR-TIMEZONE), LOCATION with the venue's name
// and address or the meeting link, which URL and DESCRIPTION carry too.
// The library folds lines at 75 octets without splitting a character and
// escapes text; lines end in CRLF. It returns the object and the latest change it shows.
func renderICal(c feeds.Calendar) ([]byte, time.Time) {
	cal := ics.NewCalendarFor("Den Sach")
	cal.SetProductId(icalProductID)
	cal.SetMethod(ics.MethodPublish)
	cal.SetCalscale("GREGORIAN")
	cal.SetXWRCalName(icalText(c.Name))
	cal.SetName(icalText(c.Name))
	cal.SetXWRCalDesc(icalText(c.Description))
	cal.SetXWRTimezone(classes.Zone.String())
	cal.SetRefreshInterval("PT1H")
	cal.SetXPublishedTTL("PT1H")
	modified := c.Feed.CreatedAt
	for _, e := range c.Events {
		if e.UpdatedAt.After(modified) {
			modified = e.UpdatedAt
		}
		ev := cal.AddEvent("session-" + strconv.FormatInt(e.SessionID, 10) + "@densach")
		ev.SetDtStampTime(e.UpdatedAt)
		ev.SetCreatedTime(e.CreatedAt)
		ev.SetModifiedAt(e.UpdatedAt)
		ev.SetSequence(e.Sequence)
		ev.SetStartAt(e.StartsAt)
		ev.SetEndAt(e.EndsAt)
		summary := e.ClassTitle
		if e.Cancelled {
			summary = "Đã huỷ: " + summary
			ev.SetStatus(ics.ObjectStatusCancelled)
			ev.SetProperty(ics.ComponentPropertyTransp, "TRANSPARENT")
		} else {
			ev.SetStatus(ics.ObjectStatusConfirmed)
			ev.SetProperty(ics.ComponentPropertyTransp, "OPAQUE")
		}
		ev.SetSummary(icalText(summary))
		if loc := eventLocation(e); loc != "" {
			ev.SetLocation(icalText(loc))
		}
		if e.Mode == classes.ModeOnline && e.MeetingURL != "" {
			ev.SetURL(icalText(e.MeetingURL))
		}
		ev.SetDescription(icalText(eventDescription(e)))
	}
	// RFC 5545 lines end in CRLF; the library's default is the system's.
	return []byte(cal.Serialize(ics.WithNewLineWindows)), modified
}

// eventLocation is where a session is: the venue's name and address, or
// the meeting link of an online session.
func eventLocation(e feeds.Event) string {
	if e.Mode == classes.ModeOnline {
		return e.MeetingURL
	}
	parts := []string{}
	for _, p := range []string{e.VenueName, e.VenueAddress} {
		if p = strings.TrimSpace(p); p != "" {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// eventDescription says, in Vietnamese, what a subscriber needs to attend.
func eventDescription(e feeds.Event) string {
	var b strings.Builder
	line := func(label, v string) {
		if v = strings.TrimSpace(v); v != "" {
			b.WriteString(label + ": " + v + "\n")
		}
	}
	if e.Cancelled {
		line("ĐÃ HUỶ – Lý do", e.CancelReason)
	}
	line("Lớp", e.ClassTitle)
	line("Trung tâm", e.CentreName)
	if e.Mode == classes.ModeOnline {
		line("Hình thức", "Trực tuyến")
		line("Link học trực tuyến", e.MeetingURL)
	} else {
		line("Hình thức", "Trực tiếp")
		line("Địa điểm", eventLocation(e))
	}
	line("Giáo viên", e.TeacherName)
	return strings.TrimSuffix(b.String(), "\n")
}

// icalText keeps line breaks (which the library escapes as \n) and drops
// the other control characters, which a TEXT value may not hold.
func icalText(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '\n' || !unicode.IsControl(r) {
			return r
		}
		return -1
	}, s)
}
