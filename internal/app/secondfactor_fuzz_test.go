package app

import (
	"strings"
	"testing"
	"time"
)

// FuzzSecondFactorCode feeds what a person types in the code box (a TOTP
// code or a recovery code, with spaces, dashes, any case) and a secret as
// shown at set-up through the parsing the sign-in uses. It never panics;
// normalizing twice changes nothing; only six digits are taken for a TOTP
// code; a recovery code hashes alike however it is spaced or cased; a
// secret either is refused or gives a six-digit code that matches itself
// now and no other time far away.
func FuzzSecondFactorCode(f *testing.F) {
	for _, s := range [][2]string{
		{"123456", "JBSWY3DPEHPK3PXP"}, {" 123 456 ", "jbswy3dpehpk3pxp"}, {"12-34-56", "JBSWY3DPEHPK3PXP===="},
		{"ABCDE-FGHIJ-KLMNO-PQRST", "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"}, {"abcde fghij klmno pqrst", ""},
		{"١٢٣٤٥٦", "0"}, {"12345\x00", "!!!!"}, {"\t\n", "JBSW Y3DP"}, {"\xff\xfe", "\xff"}, {"ǅǆǄ", "ß"},
		{strings.Repeat("9", 200), strings.Repeat("A", 200)},
	} {
		f.Add(s[0], s[1])
	}
	now := time.Unix(1_800_000_000, 0)
	f.Fuzz(func(t *testing.T, typed, secret string) {
		c := normalizeCode(typed)
		if again := normalizeCode(c); again != c {
			t.Fatalf("normalizing %q twice: %q then %q", typed, c, again)
		}
		if isTOTPCode(c) {
			if len(c) != totpDigits || strings.Trim(c, "0123456789") != "" {
				t.Fatalf("%q taken as a TOTP code", c)
			}
		}
		if hashRecoveryCode(c) != hashRecoveryCode(strings.ToLower(c)) && strings.ToUpper(strings.ToLower(c)) == c {
			t.Fatalf("the recovery code %q hashes differently in lower case", c)
		}
		if hashRecoveryCode(typed) != hashRecoveryCode(strings.ReplaceAll(typed, "-", " ")) {
			t.Fatalf("the recovery code %q hashes differently with spaces for dashes", typed)
		}
		code, err := TOTPCode(secret, now)
		if err != nil {
			return
		}
		if !isTOTPCode(code) {
			t.Fatalf("secret %q gives the code %q", secret, code)
		}
		key, err := secretEncoding.DecodeString(strings.ToUpper(strings.TrimRight(secret, "=")))
		if err != nil {
			t.Fatalf("TOTPCode accepted %q that does not decode: %v", secret, err)
		}
		if _, ok := matchTOTP(key, code, now); !ok {
			t.Fatalf("secret %q: the current code %q is refused", secret, code)
		}
		if _, ok := matchTOTP(key, c, now); ok && !isTOTPCode(c) {
			t.Fatalf("secret %q: %q matched without being a code", secret, c)
		}
	})
}
