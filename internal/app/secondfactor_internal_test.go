package app

import (
	"testing"
	"time"
)

// RFC 6238 appendix B, SHA-1 key "12345678901234567890", 8 digits there:
// the last 6 digits are the 6-digit codes.
func TestTOTPMatchesRFC6238(t *testing.T) {
	key := []byte("12345678901234567890")
	for _, c := range []struct {
		unix int64
		want string
	}{{59, "287082"}, {1111111109, "081804"}, {1111111111, "050471"}, {1234567890, "005924"}, {2000000000, "279037"}, {20000000000, "353130"}} {
		if got := totpCode(key, totpStep(time.Unix(c.unix, 0))); got != c.want {
			t.Errorf("at %d: %s, want %s", c.unix, got, c.want)
		}
	}
	now := time.Unix(1111111109, 0)
	for _, d := range []time.Duration{-30 * time.Second, 0, 30 * time.Second} {
		if _, ok := matchTOTP(key, totpCode(key, totpStep(now.Add(d))), now); !ok {
			t.Errorf("a code %v away is refused", d)
		}
	}
	if _, ok := matchTOTP(key, totpCode(key, totpStep(now.Add(-61*time.Second))), now); ok {
		t.Error("a code two steps old is accepted")
	}
}

func TestAgentFamilyKeepsOnlyTheBrowserAndSystem(t *testing.T) {
	for ua, want := range map[string]string{
		"Mozilla/5.0 (Android 14; Mobile; rv:128.0) Gecko/128.0 Firefox/128.0":                                                      "Firefox on Android",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0": "Edge on Windows",
		"Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/604.1": "Safari on iOS",
		"": "Other browser",
	} {
		if got := AgentFamily(ua); got != want {
			t.Errorf("%q: %q, want %q", ua, got, want)
		}
	}
}
