package api

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// cpuTimes is where a benchmark's CPU went between two readings: this
// process (the server and its clients, or the raw side's goroutines) and
// every PostgreSQL process on this machine (zero when the server is
// elsewhere or /proc cannot be read). A side's CPU per request explains
// its throughput better than its latencies do, and varies far less from
// run to run on a shared machine.
type cpuTimes struct {
	process  time.Duration
	postgres time.Duration
}

// measureCPU runs f and returns the CPU it cost (reading PostgreSQL's
// processes outside this process's window).
func measureCPU(f func()) cpuTimes {
	pg0 := postgresCPU()
	p0 := processCPU()
	f()
	p1 := processCPU()
	return cpuTimes{process: p1 - p0, postgres: postgresCPU() - pg0}
}

func processCPU() time.Duration {
	var ru syscall.Rusage
	_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func (t cpuTimes) add(u cpuTimes) cpuTimes {
	return cpuTimes{process: t.process + u.process, postgres: t.postgres + u.postgres}
}

// clockTick is the unit of /proc/<pid>/stat's times (USER_HZ, 100 on Linux).
const clockTick = 10 * time.Millisecond

// postgresCPU sums the user and system time of the processes named
// postgres (the server and its backends).
func postgresCPU() time.Duration {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ticks int64
	for _, path := range stats {
		b, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		s := string(b)
		end := strings.LastIndexByte(s, ')')
		if end < 0 || !strings.HasSuffix(s[:end], "(postgres") {
			continue
		}
		f := strings.Fields(s[end+1:])
		if len(f) < 13 {
			continue
		}
		utime, _ := strconv.ParseInt(f[11], 10, 64)
		stime, _ := strconv.ParseInt(f[12], 10, 64)
		ticks += utime + stime
	}
	return time.Duration(ticks) * clockTick
}
