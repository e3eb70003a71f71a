package markdown

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// FuzzRender: whatever a member writes, Render does not panic and its HTML
// holds only the allowed elements and attributes, with links only to
// http, https and mailto addresses; Excerpt stays within its length. The
// seeds (testdata/fuzz/FuzzRender) run with every go test.
func FuzzRender(f *testing.F) {
	r := New()
	f.Fuzz(func(t *testing.T, src string) {
		out := r.Render(src)
		if err := checkHTML(out); err != nil {
			t.Fatalf("Render(%q) = %q: %v", src, out, err)
		}
		ex := r.Excerpt(src, 80)
		if n := utf8.RuneCountInString(ex); n > 80 || !utf8.ValidString(ex) {
			t.Fatalf("Excerpt(%q, 80) = %q: %d runes", src, ex, n)
		}
	})
}

// allowedAttrs lists, for each element a post may contain, the attributes
// it may carry.
var allowedAttrs = map[string][]string{
	"p": nil, "br": nil, "em": nil, "strong": nil, "del": nil, "code": nil, "pre": nil,
	"blockquote": nil, "ul": nil, "ol": {"start"}, "li": nil,
	"h3": nil, "h4": nil, "h5": nil, "h6": nil, "hr": nil,
	"a": {"href", "rel"},
}

// forbidden are elements that must never appear (they are also outside
// allowedAttrs; named here so a failure says what went wrong).
var forbidden = []string{"img", "iframe", "script", "style", "object", "embed", "form", "input", "svg", "math"}

// checkHTML reads the HTML as a browser's tokenizer would and reports the
// first thing a post must not contain.
func checkHTML(s string) error {
	z := html.NewTokenizer(strings.NewReader(s))
	for {
		switch z.Next() {
		case html.ErrorToken:
			if errors.Is(z.Err(), io.EOF) {
				return nil
			}
			return z.Err()
		case html.CommentToken:
			return fmt.Errorf("comment %q", z.Token().Data)
		case html.DoctypeToken:
			return fmt.Errorf("doctype")
		case html.StartTagToken, html.SelfClosingTagToken, html.EndTagToken:
			tok := z.Token()
			for _, bad := range forbidden {
				if tok.Data == bad {
					return fmt.Errorf("element %s", bad)
				}
			}
			allowed, ok := allowedAttrs[tok.Data]
			if !ok {
				return fmt.Errorf("element %s not allowed", tok.Data)
			}
			hasRel := false
			for _, a := range tok.Attr {
				key := strings.ToLower(a.Key)
				switch {
				case strings.HasPrefix(key, "on"):
					return fmt.Errorf("event handler %s on %s", key, tok.Data)
				case key == "style", key == "id", key == "class", key == "src", key == "target":
					return fmt.Errorf("attribute %s on %s", key, tok.Data)
				}
				found := false
				for _, name := range allowed {
					found = found || key == name
				}
				if !found || a.Namespace != "" {
					return fmt.Errorf("attribute %s on %s not allowed", key, tok.Data)
				}
				switch key {
				case "href":
					if scheme := urlScheme(a.Val); scheme != "http" && scheme != "https" && scheme != "mailto" {
						return fmt.Errorf("href %q has scheme %q", a.Val, scheme)
					}
				case "rel":
					hasRel = a.Val == linkRel
				case "start":
					if strings.Trim(a.Val, "0123456789") != "" {
						return fmt.Errorf("start %q", a.Val)
					}
				}
			}
			if tok.Data == "a" && tok.Type == html.StartTagToken && !hasRel {
				return fmt.Errorf("link without rel=%q: %v", linkRel, tok)
			}
		}
	}
}

// urlScheme is the scheme a browser would see in an attribute value the
// tokenizer has already HTML-decoded: tabs and newlines removed, spaces and
// control characters trimmed, lower case; "" for a relative address.
func urlScheme(v string) string {
	v = strings.Map(func(r rune) rune {
		if r == '\t' || r == '\n' || r == '\r' {
			return -1
		}
		return r
	}, v)
	v = strings.TrimFunc(v, func(r rune) bool { return r <= ' ' || unicode.IsControl(r) || unicode.IsSpace(r) })
	for i, c := range v {
		switch {
		case c == ':':
			return strings.ToLower(v[:i])
		case c == '/' || c == '?' || c == '#':
			return ""
		}
	}
	return ""
}

// TestCheckHTML: the fuzz oracle catches what it must.
func TestCheckHTML(t *testing.T) {
	good := `<p>a <a href="https://x.example" rel="` + linkRel + `">x</a> <code>&lt;b&gt;</code></p><ol start="2"><li>b</li></ol><h3>c</h3><hr><br>`
	if err := checkHTML(good); err != nil {
		t.Errorf("checkHTML(%q) = %v", good, err)
	}
	for _, bad := range []string{
		`<img src="https://x">`,
		`<script>alert(1)</script>`,
		`<p onclick="x">a</p>`,
		`<p style="color:red">a</p>`,
		`<h1>a</h1>`,
		`<a href="javascript:alert(1)" rel="` + linkRel + `">x</a>`,
		`<a href=" &#x09;JaVa&#x0A;Script:alert(1)" rel="` + linkRel + `">x</a>`,
		`<a href="/relative" rel="` + linkRel + `">x</a>`,
		`<a href="https://x">x</a>`,
		`<a href="https://x" rel="` + linkRel + `" target="_blank">x</a>`,
		`<p id="main">a</p>`,
		`<!-- c -->`,
		`<svg><a href="https://x" rel="` + linkRel + `">x</a></svg>`,
	} {
		if err := checkHTML(bad); err == nil {
			t.Errorf("checkHTML(%q) found nothing wrong", bad)
		}
	}
}
