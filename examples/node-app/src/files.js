import { renameSync, writeFileSync } from "node:fs";

export function atomicWriteJson(file, value) {
  const temp = `${file}.tmp-${process.pid}`;
  writeFileSync(temp, JSON.stringify(value, null, 2));
  renameSync(temp, file);
}
