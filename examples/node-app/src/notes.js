import { readFileSync } from "node:fs";
import { join } from "node:path";
import { atomicWriteJson } from "./files.js";

/** The product's own data: notes in `notes.json`. The license never touches it, whatever its mode. */
export class NoteStore {
  #file;

  constructor(dataDir) {
    this.#file = join(dataDir, "notes.json");
  }

  list() {
    try {
      return JSON.parse(readFileSync(this.#file, "utf8"));
    } catch {
      return [];
    }
  }

  add(text, at) {
    const notes = this.list();
    notes.push({ text, at: new Date(at).toISOString() });
    atomicWriteJson(this.#file, notes);
  }
}
