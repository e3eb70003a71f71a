package room

// decodeSimple reads the frame most clients send most often — an object
// whose members are all strings among "type", "key" and "text", written
// without escapes, like {"type":"send","key":"k1","text":"hello"} — without
// encoding/json's reflection. It answers false for anything else (another
// member, a number, an escape, odd spacing is fine), and Decode then
// reads the frame with encoding/json as before: for what it accepts, the
// Frame is the one encoding/json would give (FuzzDecodeSimple checks it).
// data is trimmed, starts with '{' and is valid UTF-8.
func decodeSimple(data []byte) (Frame, bool) {
	var f Frame
	i := skipSpace(data, 1)
	if i < len(data) && data[i] == '}' {
		return f, i == len(data)-1
	}
	for {
		name, j, ok := plainString(data, i)
		if !ok {
			return Frame{}, false
		}
		j = skipSpace(data, j)
		if j >= len(data) || data[j] != ':' {
			return Frame{}, false
		}
		value, k, ok := plainString(data, skipSpace(data, j+1))
		if !ok {
			return Frame{}, false
		}
		switch string(name) { // no allocation: compared in place
		case "type":
			f.Type = string(value)
		case "key":
			f.Key = string(value)
		case "text":
			f.Text = string(value)
		default:
			return Frame{}, false
		}
		k = skipSpace(data, k)
		if k >= len(data) {
			return Frame{}, false
		}
		switch data[k] {
		case ',':
			i = skipSpace(data, k+1)
		case '}':
			return f, k == len(data)-1
		default:
			return Frame{}, false
		}
	}
}

// plainString reads a JSON string without escapes at data[i]: its bytes
// and the index after its closing quote.
func plainString(data []byte, i int) ([]byte, int, bool) {
	if i >= len(data) || data[i] != '"' {
		return nil, 0, false
	}
	for j := i + 1; j < len(data); j++ {
		switch c := data[j]; {
		case c == '"':
			return data[i+1 : j], j + 1, true
		case c == '\\' || c < 0x20:
			return nil, 0, false
		}
	}
	return nil, 0, false
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}
