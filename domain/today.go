package domain

import (
	"time"
	_ "time/tzdata" // Asia/Ho_Chi_Minh wherever the binary runs
)

// vietnam is where every "today" of Đèn Sách is: the server's own zone
// (UTC on a typical host, and the database session's) is a day behind from
// 00:00 to 07:00 ICT.
var vietnam = func() *time.Location {
	z, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		panic(err)
	}
	return z
}()

// Today is the civil date in Vietnam at the instant now, as dates are
// stored and compared (midnight UTC). Use cases pass it, from their clock,
// to the queries that ask what is current, rather than letting SQL's
// current_date answer in the session's zone.
func Today(now time.Time) time.Time {
	y, m, d := now.In(vietnam).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}
