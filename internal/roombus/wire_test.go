package roombus

import (
	"slices"
	"strings"
	"testing"

	"github.com/hearth-org/hearth/internal/room"
)

func TestWireRoundTrip(t *testing.T) {
	p, seq, err := decodeRing(encodeRing("proc", 1<<40))
	if err != nil || p != "proc" || seq != 1<<40 {
		t.Fatalf("ring: %q %d %v", p, seq, err)
	}
	p, g, u, err := decodeEvict(encodeEvict("proc", 3, 1<<62))
	if err != nil || p != "proc" || g != 3 || u != 1<<62 {
		t.Fatalf("evict: %q %d %d %v", p, g, u, err)
	}
	long := strings.Repeat("é", 200) // 400 bytes: cut to 256 at a rune boundary
	in := []room.Member{{ID: 1, UserID: 77, Pseudonym: "Sol", Facilitator: true}, {ID: 2, Pseudonym: long}, {ID: 3}}
	p, ms, err := decodePresence(encodePresence("proc", in))
	if err != nil || p != "proc" {
		t.Fatalf("presence: %q %v", p, err)
	}
	want := []room.Member{{ID: 1, Pseudonym: "Sol", Facilitator: true}, {ID: 2, Pseudonym: strings.Repeat("é", 128)}, {ID: 3}}
	if !slices.Equal(ms, want) {
		t.Fatalf("presence members %+v, want %+v", ms, want)
	}
	if len(encodeRing("0123456789abcdef", 12345)) > 24 {
		t.Error("a ring is bigger than it needs to be")
	}
}

func TestWireRefusesMalformed(t *testing.T) {
	good := encodeRing("p", 5)
	for name, b := range map[string][]byte{
		"empty":        nil,
		"version":      append([]byte{2}, good[1:]...),
		"truncated":    good[:len(good)-1],
		"trailing":     append(append([]byte{}, good...), 0),
		"long process": append([]byte{1, 65}, make([]byte, 66)...),
		"overflow":     {1, 1, 'p', 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01},
		"bad utf-8":    {1, 1, 0xff, 1},
		"not shortest": {1, 0x80, 0x00, '0'},
	} {
		if _, _, err := decodeRing(b); err == nil {
			t.Errorf("%s: decoded", name)
		}
	}
	if _, _, err := decodePresence([]byte{1, 1, 'p', 0xff, 0xff, 0x03}); err == nil {
		t.Error("presence with a huge count decoded")
	}
	if _, _, err := decodePresence([]byte{1, 1, 'p', 1, 1, 2, 0}); err == nil {
		t.Error("presence with unknown flags decoded")
	}
}

// FuzzDecode: no payload makes a decoder panic or allocate beyond the
// payload's size, and what decodes encodes back to the same bytes.
func FuzzDecode(f *testing.F) {
	f.Add(encodeRing("abc", 7))
	f.Add(encodeEvict("abc", 1, 2))
	f.Add(encodePresence("abc", []room.Member{{ID: 1, Pseudonym: "Sol", Facilitator: true}, {ID: 9, Pseudonym: "Río"}}))
	f.Add([]byte{1, 0, 0})
	f.Add([]byte{1, 1, 'p', 0xff, 0xff, 0x03})
	f.Fuzz(func(t *testing.T, b []byte) {
		if p, seq, err := decodeRing(b); err == nil {
			if got := encodeRing(p, seq); string(got) != string(b) {
				t.Errorf("ring re-encodes to %x, was %x", got, b)
			}
		}
		if p, g, u, err := decodeEvict(b); err == nil {
			if got := encodeEvict(p, g, u); string(got) != string(b) {
				t.Errorf("evict re-encodes to %x, was %x", got, b)
			}
		}
		if p, ms, err := decodePresence(b); err == nil {
			if len(ms) > len(b) {
				t.Errorf("%d members from %d bytes", len(ms), len(b))
			}
			if got := encodePresence(p, ms); string(got) != string(b) {
				t.Errorf("presence re-encodes to %x, was %x", got, b)
			}
		}
	})
}
