package password

import (
	"strings"
	"testing"
)

func TestHashAndCheck(t *testing.T) {
	fast := Params{Memory: 1024, Time: 1, Threads: 1}
	h, err := Hash("correct horse battery staple", fast)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Fatalf("hash %q is not a PHC argon2id string", h)
	}
	t.Run("the right password matches", func(t *testing.T) {
		if ok, err := Check("correct horse battery staple", h); !ok || err != nil {
			t.Fatalf("Check = %v, %v", ok, err)
		}
	})
	t.Run("a wrong password does not", func(t *testing.T) {
		if ok, _ := Check("correct horse battery stapl", h); ok {
			t.Fatal("wrong password matched")
		}
	})
	t.Run("two hashes of one password differ by salt", func(t *testing.T) {
		h2, _ := Hash("correct horse battery staple", fast)
		if h2 == h {
			t.Fatal("same salt twice")
		}
	})
	t.Run("malformed hashes are errors, not matches", func(t *testing.T) {
		for _, bad := range []string{"", "$argon2id$", "$bcrypt$v=19$m=1,t=1,p=1$AA$AA", "$argon2id$v=19$m=0,t=1,p=1$AA$AA", "$argon2id$v=19$m=99999999,t=1,p=1$AA$AA"} {
			if ok, err := Check("x", bad); ok || err == nil {
				t.Errorf("Check(%q) = %v, %v", bad, ok, err)
			}
		}
	})
}
