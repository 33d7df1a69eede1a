/** One reading of the guarded clock (epoch milliseconds). */
export interface GuardedTime {
  /** What the clock said. */
  readonly clock: number;
  /** The time licensing uses: never behind an earlier reading. */
  readonly effective: number;
  /** How far the clock is behind `effective` (0 when it is not). */
  readonly behindMs: number;
  /** Whether `behindMs` exceeds the tolerance. */
  readonly rollback: boolean;
}

const CREDITED_PER_MILLE = 999;

/**
 * The clock-rollback guard: licensing time is the wall clock, but never behind a high-water mark that advances with a
 * monotonic ticker while the process runs (credited at 99.9 %, so a clock that runs slightly slow never looks like a
 * rollback). A clock turned back leaves licensing at the mark: rolling the clock back never extends a license.
 */
export class ClockGuard {
  private highWater: number;
  private highWaterTicks: number;

  constructor(
    private readonly clock: () => number,
    private readonly ticker: () => number,
    readonly toleranceMs: number,
    floor: number,
  ) {
    this.highWater = floor;
    this.highWaterTicks = ticker();
  }

  observe(): GuardedTime {
    const now = this.clock();
    const ticks = this.ticker();
    const elapsed = Math.max(0, ticks - this.highWaterTicks);
    const floor = this.highWater + Math.floor((elapsed * CREDITED_PER_MILLE) / 1000);
    const effective = now > floor ? now : floor;
    this.highWater = effective;
    this.highWaterTicks = ticks;
    const behindMs = effective - now;
    return { clock: now, effective, behindMs, rollback: behindMs > this.toleranceMs };
  }

  raiseTo(floor: number): void {
    if (floor > this.highWater) this.highWater = floor;
  }

  mark(): number {
    return this.highWater;
  }
}
