#!/usr/bin/env node
import { run } from "./run.js";

process.exitCode = run(process.argv.slice(2), {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  now: () => Date.now(),
  color: Boolean(process.stdout.isTTY) && !process.env["NO_COLOR"],
});
