import { LicenseFormatError } from "../errors.js";

/**
 * A quick lexical pass before the TOML parser runs. It bounds bracket nesting (as Java's `NestingScan`, so a few
 * kilobytes of `[[[[…` never reach the parser), and it holds the text to TOML 1.0, the version Java's reader
 * parses: smol-toml also accepts TOML 1.1 (`\e` and `\x` escapes, times without seconds), which Java refuses. It
 * also refuses sub-millisecond fractions of seconds, which JavaScript dates cannot keep exactly (the signature
 * covers every digit), rather than verify something other than what was signed.
 */
export function prescan(text: string, maxDepth: number): void {
  const allowed = maxDepth + 2; // table headers add up to two levels ("[[a]]")
  let depth = 0;
  let code = ""; // the text outside strings and comments
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (c === "#") {
      const end = text.indexOf("\n", i);
      i = end < 0 ? n : end + 1;
      code += "\n";
    } else if (c === '"' || c === "'") {
      i = skipString(text, i, c);
      code += " ";
    } else {
      if (c === "[" || c === "{") {
        if (++depth > allowed) {
          throw LicenseFormatError.malformed(
            `brackets are nested more than ${maxDepth} levels deep (ReadLimits.maxNestingDepth)`,
          );
        }
      } else if ((c === "]" || c === "}") && depth > 0) {
        depth--;
      }
      code += c;
      i++;
    }
  }
  if (/(?<![\d:+-])\d{2}:\d{2}(?![:\d])/.test(code)) {
    throw LicenseFormatError.malformed("not a valid TOML file: a time without seconds (TOML 1.0 requires them)");
  }
  for (const m of code.matchAll(/\d{2}:\d{2}:\d{2}\.(\d+)/g)) {
    if (/[1-9]/.test((m[1] as string).slice(3))) {
      throw LicenseFormatError.malformed(
        `the datetime fraction .${m[1]} is finer than milliseconds, which this reader cannot keep exactly`,
      );
    }
  }
}

function skipString(text: string, start: number, quote: string): number {
  const triple = quote.repeat(3);
  const multiline = text.startsWith(triple, start);
  let i = start + (multiline ? 3 : 1);
  while (i < text.length) {
    const c = text[i];
    if (c === "\\" && quote === '"') {
      checkEscape(text, i, multiline);
      i += 2;
    } else if (multiline ? text.startsWith(triple, i) : c === quote) {
      return i + (multiline ? 3 : 1);
    } else if (!multiline && c === "\n") {
      return i; // unterminated: the parser will report it
    } else {
      i++;
    }
  }
  return i;
}

/** TOML 1.0's escapes; a multi-line string may also end a line with a backslash. */
function checkEscape(text: string, i: number, multiline: boolean): void {
  const next = text[i + 1] ?? "";
  if ('btnfr"\\uU'.includes(next) && next !== "") return;
  if (multiline && /[ \t\r\n]/.test(next)) return;
  throw LicenseFormatError.malformed(
    `not a valid TOML file: the escape \\${next} is not one of TOML 1.0 (\\b \\t \\n \\f \\r \\" \\\\ \\uXXXX \\UXXXXXXXX)`,
  );
}
