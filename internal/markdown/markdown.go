package markdown

import (
	"bytes"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	gmrenderer "github.com/yuin/goldmark/renderer"
	gmhtml "github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
	"golang.org/x/net/html"
)

// ImageMarker is the text of the link an image is turned into, followed by
// ": " and the image's alt text when it has one: ![a sunset](https://…)
// becomes a link reading "image: a sunset", ![](https://…) one reading
// "image".
const ImageMarker = "image"

// linkRel is the rel attribute of every link in a post.
const linkRel = "nofollow noopener noreferrer ugc"

// Renderer renders members' Markdown to sanitized HTML. Build it with New;
// it is safe for concurrent use.
type Renderer struct {
	md     goldmark.Markdown
	policy *bluemonday.Policy
}

// New builds the Markdown parser, the renderer and the sanitizing policy.
func New() *Renderer {
	md := goldmark.New(
		goldmark.WithParser(newParser()),
		goldmark.WithExtensions(
			// Only web addresses and email addresses become links; ftp:
			// and other schemes stay text.
			extension.NewLinkify(extension.WithLinkifyAllowedProtocols([]string{"http:", "https:"})),
		),
		goldmark.WithRendererOptions(
			gmhtml.WithHardWraps(),
			gmrenderer.WithNodeRenderers(util.Prioritized(extension.NewStrikethroughHTMLRenderer(), 500)),
			// Ours replace the default renderers for headings, code,
			// raw HTML, links, autolinks and images (a lower number wins).
			gmrenderer.WithNodeRenderers(util.Prioritized(nodeRenderer{}, 100)),
		),
	)
	return &Renderer{md: md, policy: newPolicy()}
}

func newPolicy() *bluemonday.Policy {
	p := bluemonday.NewPolicy()
	p.AllowElements("p", "br", "em", "strong", "del", "code", "pre", "blockquote",
		"ul", "ol", "li", "h3", "h4", "h5", "h6", "hr")
	p.AllowAttrs("start").Matching(regexp.MustCompile(`^[0-9]{1,9}$`)).OnElements("ol")
	p.AllowAttrs("href").OnElements("a")
	p.AllowAttrs("rel").Matching(regexp.MustCompile(`^` + linkRel + `$`)).OnElements("a")
	p.AllowURLSchemes("http", "https", "mailto")
	p.AllowRelativeURLs(false)
	p.RequireParseableURLs(true)
	p.RequireNoFollowOnLinks(true)
	p.RequireNoReferrerOnLinks(true)
	return p
}

// Render returns the sanitized HTML of a post's Markdown source. The result
// may be trusted as HTML (template.HTML) by the caller.
func (r *Renderer) Render(src string) string {
	source := cleanSource(src)
	var buf bytes.Buffer
	buf.Grow(len(source) + len(source)/2)
	if err := r.md.Convert(source, &buf); err != nil {
		// Rendering writes into memory and cannot fail; should it, the
		// post is shown as escaped text rather than not at all.
		buf.Reset()
		buf.WriteString("<p>")
		buf.Write(util.EscapeHTML(source))
		buf.WriteString("</p>")
	}
	return strings.TrimSpace(r.policy.SanitizeReader(&buf).String())
}

// Excerpt returns the plain text of a post (no markup at all: emphasis,
// links and code lose their marks, HTML tags are left out but not the words
// between them, an image reads as on the page: "image: <alt text>"), with runs of white space made one
// space, cut to at most n runes; a cut text ends with "…" (within the n),
// after the last whole word when that keeps more than half. The result is
// text, not HTML: the caller escapes it (html/template does).
func (r *Renderer) Excerpt(src string, n int) string {
	if n <= 0 {
		return ""
	}
	source := cleanSource(src)
	doc := r.md.Parser().Parse(text.NewReader(source))
	t := textCollector{limit: n + 1}
	t.node(source, doc)
	out := []rune(strings.TrimSpace(t.b.String()))
	if len(out) <= n {
		return string(out)
	}
	kept := out[:n-1]
	if !unicode.IsSpace(out[n-1]) {
		// Cut at the last word boundary, unless that loses more than half.
		for i := len(kept) - 1; i > len(kept)/2; i-- {
			if unicode.IsSpace(kept[i]) {
				kept = kept[:i]
				break
			}
		}
	}
	return strings.TrimRightFunc(string(kept), unicode.IsSpace) + "…"
}

// cleanSource makes the source valid UTF-8 without NUL characters (which
// CommonMark replaces anyway), so that nothing downstream sees either.
func cleanSource(src string) []byte {
	if !utf8.ValidString(src) {
		src = strings.ToValidUTF8(src, "\uFFFD")
	}
	if strings.IndexByte(src, 0) >= 0 {
		src = strings.ReplaceAll(src, "\x00", "\uFFFD")
	}
	return []byte(src)
}

// textCollector gathers the plain text of a tree, white space collapsed,
// stopping once it holds limit runes.
type textCollector struct {
	b     strings.Builder
	runes int
	limit int
	space bool // a space is owed before the next word
}

func (t *textCollector) full() bool { return t.runes >= t.limit }

// write appends text, collapsing white space and dropping control
// characters.
func (t *textCollector) write(s string) {
	for _, c := range s {
		if t.full() {
			return
		}
		switch {
		case unicode.IsSpace(c):
			t.space = true
			continue
		case unicode.IsControl(c):
			continue
		}
		if t.space && t.runes > 0 {
			t.b.WriteByte(' ')
			t.runes++
			if t.full() {
				return
			}
		}
		t.space = false
		t.b.WriteRune(c)
		t.runes++
	}
}

func (t *textCollector) node(source []byte, n ast.Node) {
	if t.full() {
		return
	}
	switch n := n.(type) {
	case *ast.Text:
		v := n.Value(source)
		if !n.IsRaw() {
			v = resolveText(v)
		}
		t.write(string(v))
		if n.SoftLineBreak() || n.HardLineBreak() {
			t.space = true
		}
		return
	case *ast.String:
		t.write(string(n.Value))
		return
	case *ast.AutoLink:
		t.write(string(n.Label(source)))
		return
	case *ast.RawHTML, *ast.LinkReferenceDefinition:
		t.space = true
		return
	case *ast.HTMLBlock:
		var b strings.Builder
		for i := range n.Lines().Len() {
			seg := n.Lines().At(i)
			b.Write(seg.Value(source))
		}
		if n.HasClosure() {
			b.Write(n.ClosureLine.Value(source))
		}
		t.space = true
		t.htmlText(b.String())
		t.space = true
		return
	case *ast.Image:
		t.space = true
		t.write(imageLabel(source, n))
		t.space = true
		return
	}
	if n.Type() == ast.TypeBlock {
		t.space = true
		if n.IsRaw() {
			lines := n.Lines()
			for i := range lines.Len() {
				seg := lines.At(i)
				t.write(string(seg.Value(source)))
			}
			t.space = true
			return
		}
	}
	for c := n.FirstChild(); c != nil && !t.full(); c = c.NextSibling() {
		t.node(source, c)
	}
	if n.Type() == ast.TypeBlock {
		t.space = true
	}
}

// resolveText resolves backslash escapes and character references the way
// the HTML writer does for text.
func resolveText(v []byte) []byte {
	v = util.UnescapePunctuations(v)
	v = util.ResolveNumericReferences(v)
	return util.ResolveEntityNames(v)
}

// imageLabel is the text an image is shown as: "image: <alt text>", or
// "image" when it has none.
func imageLabel(source []byte, n *ast.Image) string {
	t := textCollector{limit: len(source) + 1}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		t.node(source, c)
	}
	if alt := strings.TrimSpace(t.b.String()); alt != "" {
		return ImageMarker + ": " + alt
	}
	return ImageMarker
}

// htmlText writes the words of a piece of HTML without its tags (nor the
// content of script and style elements).
func (t *textCollector) htmlText(s string) {
	z := html.NewTokenizer(strings.NewReader(s))
	skip := false
	for !t.full() {
		switch tt := z.Next(); tt {
		case html.ErrorToken:
			return
		case html.TextToken:
			if !skip {
				t.write(string(z.Text()))
			}
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			skip = tt == html.StartTagToken && (string(name) == "script" || string(name) == "style")
			if !inlineTags[string(name)] {
				t.space = true
			}
		default:
			t.space = true
		}
	}
}

// inlineTags are HTML elements that do not separate words.
var inlineTags = map[string]bool{
	"a": true, "abbr": true, "b": true, "bdi": true, "bdo": true, "cite": true, "code": true,
	"del": true, "dfn": true, "em": true, "font": true, "i": true, "ins": true, "kbd": true,
	"mark": true, "q": true, "s": true, "samp": true, "small": true, "span": true,
	"strike": true, "strong": true, "sub": true, "sup": true, "time": true, "tt": true,
	"u": true, "var": true,
}
