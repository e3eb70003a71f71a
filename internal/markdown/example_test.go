package markdown_test

import (
	"fmt"

	"github.com/hearth-org/hearth/internal/markdown"
)

func ExampleRenderer_Render() {
	r := markdown.New()
	fmt.Println(r.Render("# Hoy\nMe ayudó [esta guía](https://example.org) <script>x</script>\n\n![un atardecer](https://example.org/a.png)"))
	// Output:
	// <h3>Hoy</h3>
	// <p>Me ayudó <a href="https://example.org" rel="nofollow noopener noreferrer ugc">esta guía</a> &lt;script&gt;x&lt;/script&gt;</p>
	// <p><a href="https://example.org/a.png" rel="nofollow noopener noreferrer ugc">image: un atardecer</a></p>
}

func ExampleRenderer_Excerpt() {
	r := markdown.New()
	fmt.Println(r.Excerpt("**Gracias** a todos por *escuchar* anoche, de verdad.", 30))
	// Output:
	// Gracias a todos por escuchar…
}
