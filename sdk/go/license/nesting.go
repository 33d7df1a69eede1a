package license

import "strings"

// checkNesting bounds bracket nesting before the TOML parser runs, because a
// recursive parser given a few kilobytes of "[[[[..." would otherwise exhaust
// its stack. It follows strings and comments only far enough to ignore the
// brackets inside them; the parser does the real validation.
func checkNesting(text string, maxDepth int) *Error {
	// Table headers add up to two levels ("[[a]]") on top of the value nesting the limit is about.
	allowed := maxDepth + 2
	depth := 0
	for i := 0; i < len(text); {
		switch c := text[i]; c {
		case '#':
			i = skipLine(text, i)
		case '"', '\'':
			i = skipString(text, i, c)
		case '[', '{':
			depth++
			if depth > allowed {
				return malformed("brackets are nested more than %d levels deep (ReadLimits.maxNestingDepth)", maxDepth)
			}
			i++
		case ']', '}':
			if depth > 0 {
				depth--
			}
			i++
		default:
			i++
		}
	}
	return nil
}

func skipLine(text string, i int) int {
	end := strings.IndexByte(text[i:], '\n')
	if end < 0 {
		return len(text)
	}
	return i + end + 1
}

func skipString(text string, start int, quote byte) int {
	triple := strings.Repeat(string(quote), 3)
	multiline := strings.HasPrefix(text[start:], triple)
	i := start + 1
	if multiline {
		i = start + 3
	}
	for i < len(text) {
		c := text[i]
		switch {
		case c == '\\' && quote == '"':
			i += 2
		case multiline && strings.HasPrefix(text[i:], triple):
			return i + 3
		case !multiline && c == quote:
			return i + 1
		case !multiline && c == '\n':
			return i // unterminated: the parser reports it
		default:
			i++
		}
	}
	return i
}
