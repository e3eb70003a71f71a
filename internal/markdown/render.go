package markdown

import (
	"bytes"
	"net/url"
	"strings"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// nodeRenderer replaces goldmark's HTML rendering of the nodes where a post
// could otherwise carry something unsafe or unwanted: headings (shifted
// down), code (no class), raw HTML (shown as text), links and autolinks
// (only safe schemes, with rel) and images (never loaded). It holds no
// state.
type nodeRenderer struct{}

func (nodeRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindHeading, renderHeading)
	reg.Register(ast.KindFencedCodeBlock, renderCodeBlock)
	reg.Register(ast.KindCodeBlock, renderCodeBlock)
	reg.Register(ast.KindHTMLBlock, renderHTMLBlock)
	reg.Register(ast.KindRawHTML, renderRawHTML)
	reg.Register(ast.KindLink, renderLink)
	reg.Register(ast.KindAutoLink, renderAutoLink)
	reg.Register(ast.KindImage, renderImage)
}

// headingLevel is the level a heading of the source is shown at: # is h3.
func headingLevel(level int) int {
	return min(max(level, 1)+2, 6)
}

func renderHeading(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Heading)
	level := byte('0' + headingLevel(n.Level))
	if entering {
		_, _ = w.WriteString("<h")
		_ = w.WriteByte(level)
		_ = w.WriteByte('>')
	} else {
		_, _ = w.WriteString("</h")
		_ = w.WriteByte(level)
		_, _ = w.WriteString(">\n")
	}
	return ast.WalkContinue, nil
}

func renderCodeBlock(w util.BufWriter, source []byte, n ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString("<pre><code>")
		lines := n.Lines()
		for i := range lines.Len() {
			seg := lines.At(i)
			html.DefaultWriter.RawWrite(w, seg.Value(source))
		}
	} else {
		_, _ = w.WriteString("</code></pre>\n")
	}
	return ast.WalkContinue, nil
}

// renderHTMLBlock shows a block of raw HTML as the text it is, line by line.
func renderHTMLBlock(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.HTMLBlock)
	var lines [][]byte
	for i := range n.Lines().Len() {
		seg := n.Lines().At(i)
		lines = append(lines, seg.Value(source))
	}
	if n.HasClosure() {
		lines = append(lines, n.ClosureLine.Value(source))
	}
	_, _ = w.WriteString("<p>")
	first := true
	for _, line := range lines {
		line = bytes.TrimRight(line, "\r\n")
		if !first {
			_, _ = w.WriteString("<br>\n")
		}
		first = false
		html.DefaultWriter.RawWrite(w, line)
	}
	_, _ = w.WriteString("</p>\n")
	return ast.WalkSkipChildren, nil
}

// renderRawHTML shows an inline HTML tag as the text it is.
func renderRawHTML(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkSkipChildren, nil
	}
	n := node.(*ast.RawHTML)
	for i := range n.Segments.Len() {
		seg := n.Segments.At(i)
		html.DefaultWriter.RawWrite(w, seg.Value(source))
	}
	return ast.WalkSkipChildren, nil
}

func openLink(w util.BufWriter, href string) {
	_, _ = w.WriteString(`<a href="`)
	_, _ = w.Write(util.EscapeHTML([]byte(href)))
	_, _ = w.WriteString(`" rel="` + linkRel + `">`)
}

// renderLink writes a link whose destination is safe; any other link is
// shown as its text alone.
func renderLink(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	href, ok := safeURL(util.URLEscape(n.Destination, true))
	if !ok {
		return ast.WalkContinue, nil
	}
	if entering {
		openLink(w, href)
	} else {
		_, _ = w.WriteString("</a>")
	}
	return ast.WalkContinue, nil
}

func renderAutoLink(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.AutoLink)
	dest := n.URL(source)
	if n.Protocol != nil {
		// A pasted www.… address: linkify would say http; ask for https,
		// so the path a member follows does not cross the network in clear.
		dest = append([]byte("https://"), n.Label(source)...)
	}
	if n.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(dest), []byte("mailto:")) {
		dest = append([]byte("mailto:"), dest...)
	}
	href, ok := safeURL(util.URLEscape(dest, false))
	if ok {
		openLink(w, href)
	}
	_, _ = w.Write(util.EscapeHTML(n.Label(source)))
	if ok {
		_, _ = w.WriteString("</a>")
	}
	return ast.WalkSkipChildren, nil
}

// renderImage writes an image as a link to it reading "image: <alt>", or
// that text alone when the address is not safe or the image is already
// inside a link.
func renderImage(w util.BufWriter, source []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	href, ok := safeURL(util.URLEscape(n.Destination, true))
	if ok && insideLink(n) {
		ok = false
	}
	if ok {
		openLink(w, href)
	}
	_, _ = w.Write(util.EscapeHTML([]byte(imageLabel(source, n))))
	if ok {
		_, _ = w.WriteString("</a>")
	}
	return ast.WalkSkipChildren, nil
}

// insideLink reports whether n has a link among its ancestors: a link in a
// link is not valid HTML.
func insideLink(n ast.Node) bool {
	for p := n.Parent(); p != nil; p = p.Parent() {
		switch p.Kind() {
		case ast.KindLink, ast.KindAutoLink:
			return true
		}
		if p.Type() == ast.TypeBlock {
			return false
		}
	}
	return false
}

// safeURL reports whether an escaped link destination (character
// references and backslash escapes resolved, then percent-encoded, so
// spaces and control characters are %-escapes) is an absolute http or https
// address with a host, or a mailto address, and returns it with its scheme
// in lower case. Everything else — other schemes, relative and
// protocol-relative addresses — is refused.
func safeURL(dest []byte) (string, bool) {
	s := string(dest)
	colon := strings.IndexByte(s, ':')
	if colon <= 0 {
		return "", false
	}
	scheme := strings.ToLower(s[:colon])
	rest := s[colon+1:]
	switch scheme {
	case "http", "https":
		if !strings.HasPrefix(rest, "//") {
			return "", false
		}
	case "mailto":
		if rest == "" || strings.HasPrefix(rest, "/") {
			return "", false
		}
	default:
		return "", false
	}
	u, err := url.Parse(scheme + ":" + rest)
	if err != nil || u.Scheme != scheme {
		return "", false
	}
	if scheme != "mailto" && u.Hostname() == "" {
		return "", false
	}
	return scheme + ":" + rest, true
}
