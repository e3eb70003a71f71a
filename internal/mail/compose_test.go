package mail

import (
	"strings"
	"testing"
	"time"

	"github.com/hearth-org/hearth/internal/i18n"
)

func TestCompose(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := NewComposer(cat, "https://hearth.example.org/")
	at := time.Date(2026, 3, 3, 17, 30, 0, 0, time.UTC) // 18:30 in Madrid
	for _, lang := range []string{"en", "es"} {
		for _, kind := range Kinds {
			t.Run(lang+" "+kind+" has a subject, a body and a link to the notices", func(t *testing.T) {
				f := Facts{Kind: kind, Locale: lang, TimeZone: "Europe/Madrid"}
				if Timed(kind) {
					f.At = at
				}
				subject, body, err := c.Compose(f)
				if err != nil {
					t.Fatal(err)
				}
				for _, key := range []string{"mail." + kind + ".subject", "mail." + kind + ".body", "mail.footer"} {
					if strings.Contains(subject+body, key) {
						t.Errorf("untranslated %s", key)
					}
				}
				if strings.ContainsAny(subject+body, "{}") || !strings.HasPrefix(subject, "Hearth: ") || len(subject) > 78 {
					t.Errorf("subject %q", subject)
				}
				if !strings.Contains(body, "https://hearth.example.org/notices\n") || !strings.Contains(body, "https://hearth.example.org/account") {
					t.Errorf("body has no links:\n%s", body)
				}
				clock := map[string]string{"en": "6:30 PM CET", "es": "18:30 CET"}[lang]
				if Timed(kind) != strings.Contains(body, clock) {
					t.Errorf("time %q shown: %v, want %v:\n%s", clock, !Timed(kind), Timed(kind), body)
				}
			})
		}
	}
	t.Run("a timed kind without its time is refused", func(t *testing.T) {
		if _, _, err := c.Compose(Facts{Kind: Reminder1h}); err == nil {
			t.Fatal("composed")
		}
	})
	t.Run("an unknown kind is refused", func(t *testing.T) {
		if _, _, err := c.Compose(Facts{Kind: "gossip"}); err == nil {
			t.Fatal("composed")
		}
	})
	t.Run("without a base URL the email says to sign in, with no link", func(t *testing.T) {
		_, body, err := NewComposer(cat, "").Compose(Facts{Kind: SeatConfirmed, Locale: "en"})
		if err != nil || strings.Contains(body, "http") || !strings.Contains(body, "Sign in to Hearth") {
			t.Fatalf("%v:\n%s", err, body)
		}
	})
}

func TestComposeBoardDigest(t *testing.T) {
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	c := NewComposer(cat, "https://hearth.example.org")
	for _, tc := range []struct {
		lang                string
		replies, ment, annc int
		want                string
	}{
		{"en", 3, 0, 1, "You have 3 new replies and 1 announcement on Hearth."},
		{"en", 1, 2, 4, "You have 1 new reply, 2 mentions and 4 announcements on Hearth."},
		{"en", 0, 1, 0, "You have 1 mention on Hearth."},
		{"es", 2, 1, 0, "Tienes 2 respuestas nuevas y 1 mención en Hearth."},
		{"es", 1, 1, 1, "Tienes 1 respuesta nueva, 1 mención y 1 anuncio en Hearth."},
		{"en", 1200, 0, 0, "You have 1,200 new replies on Hearth."},
	} {
		t.Run(tc.want, func(t *testing.T) {
			subject, body, err := c.Compose(Facts{Kind: BoardDigest, Locale: tc.lang, Replies: tc.replies, Mentions: tc.ment, Announcements: tc.annc})
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(body, tc.want) || !strings.Contains(body, "https://hearth.example.org/notices\n") {
				t.Errorf("body:\n%s", body)
			}
			if !strings.HasPrefix(subject, "Hearth: ") || strings.ContainsAny(subject, "0123456789{}") {
				t.Errorf("subject %q", subject)
			}
		})
	}
}
