/** Instants are epoch milliseconds; these helpers write them as Java's `Instant.toString()` does. */

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** ISO-8601 in UTC, seconds always, the fraction only when it is not zero (as `DateTimeFormatter.ISO_INSTANT`). */
export function isoInstant(ms: number): string {
  const iso = new Date(ms).toISOString();
  return ms % 1000 === 0 ? iso.slice(0, -5) + "Z" : iso;
}

/** A clock: the only way this package learns the time. */
export interface Clock {
  now(): number;
}

/** The system clock; built here and nowhere else. */
export const systemClock: Clock = { now: () => Date.now() };

/**
 * A clock that stands still until moved, for tests and demos. Its monotonic ticker follows it forward (never back),
 * so the clock guard sees time passing rather than a clock being set.
 */
export class SettableClock implements Clock {
  private ticks = 0;
  constructor(private current: number) {}

  now(): number {
    return this.current;
  }

  /** Nanoseconds-free monotonic reading in milliseconds: moves with every forward step of the clock. */
  monotonic(): number {
    return this.ticks;
  }

  advance(ms: number): void {
    if (ms < 0) {
      throw new RangeError("advance() moves forward only; use set() to turn the clock back");
    }
    this.current += ms;
    this.ticks += ms;
  }

  set(ms: number): void {
    if (ms > this.current) {
      this.ticks += ms - this.current;
    }
    this.current = ms;
  }
}

/** Parses an ISO-8601 instant with an offset (`2027-11-22T00:00:00Z`, `…+01:00`); NaN when it is not one. */
export function parseInstant(text: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i.test(text)) {
    return NaN;
  }
  return Date.parse(text);
}
