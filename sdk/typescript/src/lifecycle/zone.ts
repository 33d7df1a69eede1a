import { DAY, HOUR } from "../time.js";
import { ZONE_NAMES } from "./zone-names.js";

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** Calendar fields of an instant in a zone. */
export interface LocalFields {
  readonly year: number;
  readonly month: number; // 1-12
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/**
 * A time zone as Java's `ZoneId` names it: a region (`Europe/Paris`), `UTC`/`Z`, or a fixed offset (`+09:00`).
 * Dates are computed with Intl; short names come from the Java runtime's own table, so banner texts read the same
 * as the Java reference's ("BRT", not Intl's "GMT-3").
 */
export class Zone {
  private static readonly cache = new Map<string, Zone>();
  private readonly format: Intl.DateTimeFormat | undefined;
  private readonly fixedOffsetMs: number | undefined;

  private constructor(readonly id: string) {
    const offset = parseOffset(id);
    if (offset !== undefined) {
      this.fixedOffsetMs = offset;
    } else {
      this.format = new Intl.DateTimeFormat("en-US", {
        timeZone: id,
        hourCycle: "h23",
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        second: "numeric",
      });
    }
  }

  static readonly UTC: Zone = Zone.of("UTC");

  /** Throws a RangeError for an id that names no zone. */
  static of(id: string): Zone {
    let zone = Zone.cache.get(id);
    if (!zone) {
      zone = new Zone(id);
      Zone.cache.set(id, zone);
    }
    return zone;
  }

  /** The machine's zone, as the product's banners use by default. */
  static system(): Zone {
    for (const id of [process.env["TZ"], Intl.DateTimeFormat().resolvedOptions().timeZone]) {
      if (!id) continue;
      try {
        return Zone.of(id);
      } catch {
        // A TZ value Intl does not know (e.g. ":/etc/localtime"): try the next source.
      }
    }
    return Zone.UTC;
  }

  fields(ms: number): LocalFields {
    if (this.fixedOffsetMs !== undefined) return utcFields(ms + this.fixedOffsetMs);
    const parts: Record<string, number> = {};
    for (const p of (this.format as Intl.DateTimeFormat).formatToParts(ms)) {
      if (p.type !== "literal") parts[p.type] = Number(p.value);
    }
    return {
      year: parts["year"] as number,
      month: parts["month"] as number,
      day: parts["day"] as number,
      hour: parts["hour"] as number,
      minute: parts["minute"] as number,
      second: parts["second"] as number,
    };
  }

  offsetAt(ms: number): number {
    if (this.fixedOffsetMs !== undefined) return this.fixedOffsetMs;
    const f = this.fields(ms);
    const local = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
    return local - (ms - (((ms % 1000) + 1000) % 1000));
  }

  /** The calendar day of an instant here, as days since the epoch (for "today"/"tomorrow"). */
  epochDay(ms: number): number {
    const f = this.fields(ms);
    return Date.UTC(f.year, f.month - 1, f.day) / DAY;
  }

  /** The first instant of the day after the one `ms` falls on, here (Java's `atStartOfDay`, gaps included). */
  nextMidnight(ms: number): number {
    const local = (this.epochDay(ms) + 1) * DAY; // the next day's 00:00 as if it were UTC
    const candidates = [local - this.offsetAt(local - 36 * HOUR), local - this.offsetAt(local + 36 * HOUR)]
      .filter((t) => this.epochDay(t) * DAY === local && this.fields(t).hour === 0 && this.fields(t).minute === 0)
      .sort((a, b) => a - b);
    return candidates[0] ?? local - this.offsetAt(local - 36 * HOUR); // in a gap: the instant the gap ends
  }

  /** Java's pattern `z` (Locale.ENGLISH): `UTC`, `CET`/`CEST`, `BRT`, or the offset for a fixed-offset zone. */
  shortName(ms: number): string {
    if (this.fixedOffsetMs !== undefined) {
      return this.id === "UTC" || this.id === "Z" ? "UTC" : formatOffset(this.fixedOffsetMs);
    }
    const names = ZONE_NAMES[this.id];
    if (!names) return this.id;
    if (names.length > 1) {
      const year = this.fields(ms).year;
      const standard = Math.min(this.offsetAt(Date.UTC(year, 0, 1)), this.offsetAt(Date.UTC(year, 6, 1)));
      if (this.offsetAt(ms) > standard) return names[1] as string;
    }
    return names[0] as string;
  }

  /** `d MMM uuuu, HH:mm z`, e.g. `22 Nov 2027, 00:00 UTC`. */
  dateTime(ms: number): string {
    const f = this.fields(ms);
    return `${f.day} ${MONTHS[f.month - 1]} ${f.year}, ${two(f.hour)}:${two(f.minute)} ${this.shortName(ms)}`;
  }

  /** `HH:mm z`. */
  time(ms: number): string {
    const f = this.fields(ms);
    return `${two(f.hour)}:${two(f.minute)} ${this.shortName(ms)}`;
  }

  /** `uuuu-MM-dd HH:mm z`, as the CLI's status prints dates. */
  isoLike(ms: number): string {
    const f = this.fields(ms);
    return `${f.year}-${two(f.month)}-${two(f.day)} ${two(f.hour)}:${two(f.minute)} ${this.shortName(ms)}`;
  }
}

function two(n: number): string {
  return String(n).padStart(2, "0");
}

function utcFields(ms: number): LocalFields {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

/** `Z`, `UTC`, `+09:00`, `-03:30`, `+9`: a fixed offset in ms; undefined for a region id. */
function parseOffset(id: string): number | undefined {
  if (id === "Z" || id === "UTC") return 0;
  const m = /^([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(id);
  if (!m) return undefined;
  const ms = (Number(m[2]) * 60 + Number(m[3] ?? 0)) * 60_000;
  if (ms > 18 * HOUR) throw new RangeError(`not a time zone offset: '${id}'`);
  return m[1] === "-" ? -ms : ms;
}

function formatOffset(ms: number): string {
  if (ms === 0) return "Z";
  const abs = Math.abs(ms) / 60_000;
  return `${ms < 0 ? "-" : "+"}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
}
