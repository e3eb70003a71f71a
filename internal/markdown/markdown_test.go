package markdown

import (
	"strings"
	"sync"
	"testing"
	"unicode/utf8"
)

const rel = `rel="nofollow noopener noreferrer ugc"`

// TestRender holds what members write against what their group's board
// shows.
func TestRender(t *testing.T) {
	r := New()
	tests := []struct {
		name, src, want string
	}{
		{"list", "- uno\n- dos",
			"<ul>\n<li>uno</li>\n<li>dos</li>\n</ul>"},
		{"numbered list keeps its start", "3. tres\n4. cuatro",
			`<ol start="3">` + "\n<li>tres</li>\n<li>cuatro</li>\n</ol>"},
		{"quote, line breaks as typed", "> Lo que me ayudó\n> fue hablar",
			"<blockquote>\n<p>Lo que me ayudó<br>\nfue hablar</p>\n</blockquote>"},
		{"a line break is a line break", "Hoy fue duro\nmañana será otro día",
			"<p>Hoy fue duro<br>\nmañana será otro día</p>"},
		{"backslash and two-space breaks", "line\\\nbreak  \nhard",
			"<p>line<br>\nbreak<br>\nhard</p>"},
		{"link", "Mira [esta guía](https://example.org/guía?x=1&y=2) 🙂",
			`<p>Mira <a href="https://example.org/gu%C3%ADa?x=1&amp;y=2" ` + rel + `>esta guía</a> 🙂</p>`},
		{"link title dropped", `[ok](https://ok.example "Title")`,
			`<p><a href="https://ok.example" ` + rel + `>ok</a></p>`},
		{"mailto link", "[escríbeme](mailto:ayuda@example.org)",
			`<p><a href="mailto:ayuda@example.org" ` + rel + `>escríbeme</a></p>`},
		{"reference link", "[ref]\n\n[ref]: https://ref.example",
			`<p><a href="https://ref.example" ` + rel + `>ref</a></p>`},
		{"fenced code loses its class and stays text", "```go\nfmt.Println(\"<b>\")\n```",
			"<pre><code>fmt.Println(&#34;&lt;b&gt;&#34;)\n</code></pre>"},
		{"indented code", "    indented <code>",
			"<pre><code>indented &lt;code&gt;\n</code></pre>"},
		{"code spans", "`<b>` and `a & b`",
			"<p><code>&lt;b&gt;</code> and <code>a &amp; b</code></p>"},
		{"Spanish", "¿Cómo estás? Hoy fue un *día* difícil, pero **seguí**. Ñandú",
			"<p>¿Cómo estás? Hoy fue un <em>día</em> difícil, pero <strong>seguí</strong>. Ñandú</p>"},
		{"emoji", "Gracias 💛🙏 a todos 👩\u200d👩\u200d👧",
			"<p>Gracias 💛🙏 a todos 👩\u200d👩\u200d👧</p>"},
		{"strikethrough", "~~old~~ new", "<p><del>old</del> new</p>"},
		{"thematic break", "***", "<hr>"},
		{"pasted URL", "Lo encontré aquí: https://www.samhsa.gov/find-help/988 — ¡llamen!",
			`<p>Lo encontré aquí: <a href="https://www.samhsa.gov/find-help/988" ` + rel + `>https://www.samhsa.gov/find-help/988</a> — ¡llamen!</p>`},
		{"www autolink", "visit www.example.org today",
			`<p>visit <a href="https://www.example.org" ` + rel + `>www.example.org</a> today</p>`},
		{"pasted email", "escríbeme a ayuda@example.org",
			`<p>escríbeme a <a href="mailto:ayuda@example.org" ` + rel + `>ayuda@example.org</a></p>`},
		{"pasted ftp stays text", "ftp://files.example.org", "<p>ftp://files.example.org</p>"},
		{"angle autolinks", "<https://auto.example/a> <ayuda@example.org> <javascript:alert(1)>",
			`<p><a href="https://auto.example/a" ` + rel + `>https://auto.example/a</a> <a href="mailto:ayuda@example.org" ` + rel + `>ayuda@example.org</a> javascript:alert(1)</p>`},

		// Raw HTML is what the member typed, shown as text.
		{"script block", "<script>alert(1)</script>",
			"<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"},
		{"inline script", "hola <script>alert(1)</script> adiós",
			"<p>hola &lt;script&gt;alert(1)&lt;/script&gt; adiós</p>"},
		{"img onerror", "<img src=x onerror=alert(1)>",
			"<p>&lt;img src=x onerror=alert(1)&gt;</p>"},
		{"raw a href", `<a href="javascript:alert(1)">click</a>`,
			"<p>&lt;a href=&#34;javascript:alert(1)&#34;&gt;click&lt;/a&gt;</p>"},
		{"raw block keeps markdown as text", "<div onclick=\"x\">\n*not parsed*\n</div>",
			"<p>&lt;div onclick=&#34;x&#34;&gt;<br>\n*not parsed*<br>\n&lt;/div&gt;</p>"},
		{"style", "<style>body{display:none}</style>", "<p>&lt;style&gt;body{display:none}&lt;/style&gt;</p>"},
		{"iframe", "<iframe src=https://x></iframe>", "<p>&lt;iframe src=https://x&gt;&lt;/iframe&gt;</p>"},
		{"svg", "<svg onload=alert(1)>", "<p>&lt;svg onload=alert(1)&gt;</p>"},
		{"heart and comment", "I <3 you & <!-- hidden --> me",
			"<p>I &lt;3 you &amp; &lt;!-- hidden --&gt; me</p>"},

		// Refused links are their text.
		{"javascript link", "[x](javascript:alert(1))", "<p>x</p>"},
		{"mixed-case javascript", "[x](JaVaScRiPt:alert(1))", "<p>x</p>"},
		{"entity-encoded schemes",
			"[a](&#106;avascript:alert(1)) [b](&#x6A;avascript:alert(1)) [c](javascript&colon;alert(1)) [d](java&#x09;script:alert(1)) [e](&#x20;javascript:alert(1)) [f](<java\tscript:alert(1)>)",
			"<p>a b c d e f</p>"},
		{"other schemes and relative addresses",
			"[d](data:text/html;base64,PHNjcmlwdD4=) [v](vbscript:msgbox) [f](file:///etc/passwd) [r](/admin) [p](//evil.example) [h](http:evil.example) [e](https:///x) [q](?a=1) [s](#top)",
			"<p>d v f r p h e q s</p>"},
		{"emphasis kept in a refused link", "[**x**](javascript:alert(1))", "<p><strong>x</strong></p>"},

		// Images are never loaded.
		{"remote image", `![a sunset](https://tracker.example/pixel.png "title")`,
			`<p><a href="https://tracker.example/pixel.png" ` + rel + `>image: a sunset</a></p>`},
		{"image without alt", "![](https://tracker.example/pixel.png)",
			`<p><a href="https://tracker.example/pixel.png" ` + rel + `>image</a></p>`},
		{"image with an unsafe address", "![a *bold* sunset](javascript:alert(1))", "<p>image: a bold sunset</p>"},
		{"image inside a link", "[![a](https://i.example/p.png)](https://y.example)",
			`<p><a href="https://y.example" ` + rel + `>image: a</a></p>`},
		{"data image", "![x](data:image/png;base64,iVBORw0KGgo=)", "<p>image: x</p>"},

		// Headings never outrank the page's.
		{"nested headings", "# One\n## Two\n### Three\n#### Four\n##### Five\n###### Six",
			"<h3>One</h3>\n<h4>Two</h4>\n<h5>Three</h5>\n<h6>Four</h6>\n<h6>Five</h6>\n<h6>Six</h6>"},
		{"setext headings", "Title\n=====\n\nSub\n---", "<h3>Title</h3>\n<h4>Sub</h4>"},
		{"no heading ids", "# Hello {#custom-id}", "<h3>Hello {#custom-id}</h3>"},

		{"empty", "", ""},
		{"NUL and invalid UTF-8", "a\x00b\xffc", "<p>a\uFFFDb\uFFFDc</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := r.Render(tt.src); got != tt.want {
				t.Errorf("Render(%q)\n got %q\nwant %q", tt.src, got, tt.want)
			}
		})
	}
}

// TestRenderBounds: past the bounds on nesting and marks the rest is text,
// and what comes before still renders.
func TestRenderBounds(t *testing.T) {
	r := New()
	quotes := r.Render(strings.Repeat(">", 40) + " deep")
	if n := strings.Count(quotes, "<blockquote>"); n != maxNesting {
		t.Errorf("40 nested quotes render %d blockquotes, want %d", n, maxNesting)
	}
	if !strings.Contains(quotes, strings.Repeat("&gt;", 40-maxNesting)+" deep") {
		t.Errorf("the quotes past the limit are not text: %q", quotes)
	}
	lists := r.Render(strings.Repeat("- ", 40) + "deep")
	if n := strings.Count(lists, "<ul>"); n != maxNesting {
		t.Errorf("40 nested lists render %d lists, want %d", n, maxNesting)
	}
	if n := strings.Count(lists, "<li>"); n != maxNesting {
		t.Errorf("40 nested lists render %d items, want %d", n, maxNesting)
	}

	emph := r.Render(strings.Repeat("*a* ", maxDelimiters/2) + "*b*")
	if n := strings.Count(emph, "<em>"); n != maxDelimiters/2 {
		t.Errorf("%d emphasised words then one more: %d <em>, want %d", maxDelimiters/2, n, maxDelimiters/2)
	}
	if !strings.HasSuffix(emph, "*b*</p>") {
		t.Errorf("the emphasis past the limit is not text: %q", emph[len(emph)-40:])
	}
	links := r.Render(strings.Repeat("[a](https://a.example) ", maxInlineLinks+1))
	if n := strings.Count(links, "<a "); n != maxInlineLinks {
		t.Errorf("%d links render %d, want %d", maxInlineLinks+1, n, maxInlineLinks)
	}
	// A long ordinary post is not touched by the bounds.
	post := strings.Repeat("Hoy **fui** a la [reunión](https://example.org) y _hablé_.\n\n", 100)
	out := r.Render(post)
	if strings.Count(out, "<strong>") != 100 || strings.Count(out, "<em>") != 100 || strings.Count(out, "<a ") != 100 {
		t.Errorf("a long ordinary post lost formatting")
	}
}

func TestExcerpt(t *testing.T) {
	r := New()
	tests := []struct {
		name, src string
		n         int
		want      string
	}{
		{"plain text of markup", "# Hola\n\nHoy fue un *día* **difícil**.\n\n- uno\n- dos", 100,
			"Hola Hoy fue un día difícil. uno dos"},
		{"links and images", "Mira [esta guía](https://example.org) y ![un atardecer](https://x.example/a.png) www.example.org", 100,
			"Mira esta guía y image: un atardecer www.example.org"},
		{"HTML tags left out", "hola <b>mundo</b>\n\n<script>alert(1)</script>\n\n<div>\n¿qué <i>tal</i>? &amp;\n</div>", 100, "hola mundo ¿qué tal? &"},
		{"code kept as text", "usa `a < b` y\n\n```\nx && y\n```", 100, "usa a < b y x && y"},
		{"entities and escapes resolved", `&amp; &eacute; \*no\*`, 100, "& é *no*"},
		{"cut with an ellipsis within n runes", "Gracias a todos por escuchar anoche", 12, "Gracias a…"},
		{"counts runes, not bytes", "ñññññ💛💛💛💛💛", 6, "ñññññ…"},
		{"exactly n", "ñandú", 5, "ñandú"},
		{"n of one", "hola", 1, "…"},
		{"n of zero", "hola", 0, ""},
		{"white space collapsed", "a \t\n\n\n   b", 10, "a b"},
		{"control characters dropped", "a\x01\x7fb\x00c", 10, "ab\uFFFDc"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := r.Excerpt(tt.src, tt.n)
			if got != tt.want {
				t.Errorf("Excerpt(%q, %d) = %q, want %q", tt.src, tt.n, got, tt.want)
			}
			if utf8.RuneCountInString(got) > max(tt.n, 0) {
				t.Errorf("Excerpt(%q, %d) has %d runes", tt.src, tt.n, utf8.RuneCountInString(got))
			}
		})
	}
}

// TestConcurrentUse renders from many goroutines at once (run with -race)
// and gets what one goroutine gets.
func TestConcurrentUse(t *testing.T) {
	r := New()
	srcs := []string{"# a\n\n*b* [c](https://c.example)", "> q\n> - l", "www.example.org ~~x~~", "![i](https://i.example)"}
	want := make([]string, len(srcs))
	for i, s := range srcs {
		want[i] = r.Render(s)
	}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 50 {
				k := (g + i) % len(srcs)
				if got := r.Render(srcs[k]); got != want[k] {
					t.Errorf("concurrent Render(%q) = %q, want %q", srcs[k], got, want[k])
				}
				r.Excerpt(srcs[k], 10)
			}
		})
	}
	wg.Wait()
}
