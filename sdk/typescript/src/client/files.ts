import { randomBytes } from "node:crypto";
import {
  closeSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeSync,
} from "node:fs";
import { dirname, join } from "node:path";

/** Temporary files carry this infix; `deleteTemporaryFiles` removes crash leftovers. */
export const TEMP_MARK = ".tmp-";

/**
 * Replaces a file so that a crash at any moment leaves either the old content or the new, never a mix: write a
 * temporary file in the same directory, fsync it, rename it over the target, then fsync the directory so that the
 * rename itself survives a power cut.
 */
export function atomicWrite(target: string, data: string | Uint8Array, ownerOnly = false): void {
  const dir = dirname(target);
  const temp = join(dir, `.${target.slice(dir.length + 1)}${TEMP_MARK}${randomBytes(8).toString("hex")}`);
  try {
    const fd = openSync(temp, "wx", ownerOnly ? 0o600 : 0o644);
    try {
      const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
      let written = 0;
      while (written < bytes.length) written += writeSync(fd, bytes, written);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } finally {
    rmSync(temp, { force: true });
  }
  forceDirectory(dir);
}

/** Makes a rename durable; where a directory cannot be opened, the file system's journal is all there is. */
export function forceDirectory(dir: string): void {
  try {
    const fd = openSync(dir, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Not supported on this platform.
  }
}

export function deleteTemporaryFiles(dir: string): void {
  for (const name of readdirSync(dir)) {
    if (name.includes(TEMP_MARK)) rmSync(join(dir, name), { force: true });
  }
}

/** Reads at most `max + 1` bytes, so an oversized file is noticed without reading all of it. */
export function readBounded(file: string, max: number): Buffer {
  const fd = openSync(file, "r");
  try {
    const buffer = Buffer.alloc(max + 1);
    let read = 0;
    while (read < buffer.length) {
      const n = readSync(fd, buffer, read, buffer.length - read, null);
      if (n === 0) break;
      read += n;
    }
    return buffer.subarray(0, read);
  } finally {
    closeSync(fd);
  }
}

/**
 * A lock across processes (the product and `keyturn install` may run at once): a directory made atomically, removed
 * when done, and taken over when older than `staleMs` (its holder crashed).
 */
export function withDirectoryLock<T>(lockDir: string, action: () => T, staleMs = 10_000): T {
  const deadline = performance.now() + 2 * staleMs;
  for (;;) {
    try {
      mkdirSync(lockDir);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") {
        return action(); // no lock possible (read-only file system): reading must go on
      }
      try {
        // File times are wall-clock times, so staleness is judged by the wall clock (not licensing time).
        if (Date.now() - statSync(lockDir).mtimeMs > staleMs) rmSync(lockDir, { recursive: true, force: true });
      } catch {
        // Removed meanwhile by its holder.
      }
      if (performance.now() > deadline) return action();
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
    }
  }
  try {
    return action();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

export function readTextIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}

