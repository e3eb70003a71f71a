package markdown

import (
	"strings"
	"testing"
)

// typicalPost is a board post as members write them: a few paragraphs,
// a list, a quote, a link and a pasted address, in Spanish and English.
const typicalPost = `Hola a todos,

Esta semana fue **muy difícil**. Volví a tener ganas de beber el martes, pero
llamé a mi madrina y salí a caminar. Lo que me ayudó:

- escribir tres cosas por las que estoy agradecida
- la reunión del jueves (¡gracias!)
- *no* quedarme sola en casa

> One day at a time.
> Un día a la vez.

Alguien preguntó por la guía: [guía para familias](https://example.org/guia-familias)
y también está en www.example.org/recursos. Si alguien quiere hablar, escríbanme.

~~Nos vemos el lunes~~ Nos vemos el martes 💛
`

// pathological inputs, each 20,000 bytes (the largest post app accepts)
// or just under.
func pathological() map[string]string {
	fill := func(s string) string { return strings.Repeat(s, 20000/len(s)) }
	return map[string]string{
		"quotes":        fill(">"),
		"quote-spaces":  fill("> "),
		"lists":         fill("- "),
		"ordered-lists": fill("1. "),
		"quote-lists":   fill("> - "),
		"brackets":      fill("["),
		"asterisks":     fill("*"),
		"emphasis":      fill("*a"),
		"mixed-delims":  fill("*a_"),
		"open-links":    fill("[a]("),
		"images":        fill("!["),
		"angles":        fill("<a "),
		"lines":         fill("a\n"),
		"mixed":         fill("*[_`~<!"),
		"www":           fill("www.a.com/("),
	}
}

// BenchmarkRender measures a typical post and the pathological ones: all
// must stay well under 100 ms (go test ./internal/markdown -run XXX -bench Render).
func BenchmarkRender(b *testing.B) {
	r := New()
	b.Run("typical", func(b *testing.B) {
		b.SetBytes(int64(len(typicalPost)))
		for b.Loop() {
			r.Render(typicalPost)
		}
	})
	for name, src := range pathological() {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				r.Render(src)
			}
		})
	}
}

func BenchmarkExcerpt(b *testing.B) {
	r := New()
	for b.Loop() {
		r.Excerpt(typicalPost, 140)
	}
}
