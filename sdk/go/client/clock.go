package client

import (
	"sync"
	"time"
)

// Clock is where the manager reads wall time. Inject one; the manager never
// reads the system clock itself.
type Clock interface {
	Now() time.Time
}

// Ticker is a monotonic clock: setting the wall clock does not move it. A Clock
// that also implements Ticker supplies the guard's monotonic time.
type Ticker interface {
	Ticks() time.Duration
}

// SystemClock is the machine's clock, with Go's monotonic reading as ticker.
type SystemClock struct{}

var processStart = time.Now()

// Now is the wall clock.
func (SystemClock) Now() time.Time { return time.Now() }

// Ticks is monotonic time since the process started.
func (SystemClock) Ticks() time.Duration { return time.Since(processStart) }

// SettableClock is a clock tests and demos move by hand. Advance lets time pass
// (the monotonic ticker moves with it); Set turns the wall clock to any instant
// without moving the ticker, as a person setting the system clock would.
type SettableClock struct {
	mu    sync.Mutex
	now   time.Time
	ticks time.Duration
}

// NewSettableClock starts at start.
func NewSettableClock(start time.Time) *SettableClock {
	return &SettableClock{now: start}
}

// Now is the clock's current instant.
func (c *SettableClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Ticks is the monotonic time that has passed through Advance.
func (c *SettableClock) Ticks() time.Duration {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ticks
}

// Set turns the wall clock to t.
func (c *SettableClock) Set(t time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = t
}

// Advance lets d pass; d must not be negative.
func (c *SettableClock) Advance(d time.Duration) {
	if d < 0 {
		panic("time passes forward only; use Set to turn the clock back")
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.ticks += d
}

// guardedTime is one reading of the guarded clock.
type guardedTime struct {
	clock     time.Time     // what the clock said
	effective time.Time     // the time licensing uses: never behind an earlier reading
	behind    time.Duration // how far the clock is behind effective
	rollback  bool          // behind exceeds the tolerance
}

// clockGuard turns a wall clock that the machine's owner can set into a
// licensing time that never goes back. It keeps a high-water mark advanced by
// the monotonic time that really passed, so turning the clock back neither
// moves licensing back nor stops it. Only 999/1000 of monotonic time is
// credited: wall clock and ticker drift a few parts per million apart, and a
// mark running even slightly fast would, after months, report a rollback that
// never happened.
type clockGuard struct {
	mu             sync.Mutex
	clock          Clock
	ticker         func() time.Duration
	tolerance      time.Duration
	highWater      time.Time
	highWaterTicks time.Duration
}

func newClockGuard(clock Clock, ticker func() time.Duration, tolerance time.Duration, floor time.Time) *clockGuard {
	return &clockGuard{clock: clock, ticker: ticker, tolerance: tolerance, highWater: floor, highWaterTicks: ticker()}
}

func (g *clockGuard) observe() guardedTime {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.clock.Now()
	ticks := g.ticker()
	elapsed := ticks - g.highWaterTicks
	if elapsed < 0 {
		elapsed = 0
	}
	floor := g.highWater.Add(elapsed/1000*999 + elapsed%1000)
	effective := now
	if floor.After(now) {
		effective = floor
	}
	g.highWater, g.highWaterTicks = effective, ticks
	behind := effective.Sub(now)
	return guardedTime{clock: now, effective: effective, behind: behind, rollback: behind > g.tolerance}
}

func (g *clockGuard) mark() time.Time {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.highWater
}
