// Package markdown turns what members write on their group's board into
// safe HTML, and into short plain-text previews.
//
// Members write CommonMark (parsed by goldmark) with two extensions people
// expect from chat: ~~strikethrough~~ and pasted addresses that become links
// (https://…, www.… — linked as https —, name@example.org). A line break in the source is a line
// break on the page, because people write posts the way they write messages.
//
// The output is built to be safe twice over. goldmark renders through this
// package's own node renderers, which never pass markup through, and then a
// bluemonday allow-list removes anything that is not one of: p, em, strong,
// del, code, pre, blockquote, ul, ol (with a numeric start), li, h3–h6, hr,
// br and a (href and rel only). No style, class or id attribute survives:
// ids could clash with the page's own, and styles or classes could dress a
// post up as the page around it.
//
// Choices, and why:
//
//   - Raw HTML in the source is shown as the text the member typed (a
//     <script> tag is just words on the page), never rendered.
//   - Headings are shifted down two levels (# becomes h3, ## h4, deeper ones
//     h6), so a post can never outrank the page's own headings and the
//     outline a screen reader user navigates by stays the page's.
//   - Links are kept only when their address is absolute http, https or
//     mailto, checked after resolving escapes and character references.
//     Anything else (javascript:, data:, vbscript:, file:, relative or
//     protocol-relative addresses, schemes hidden behind entities or control
//     characters) is refused: the link's text is shown without a link. Every
//     link carries rel="nofollow noopener noreferrer ugc": noreferrer so
//     that following a link never tells the other site the address of the
//     group's page (which names the group, and so says something about the
//     reader), noopener so the other page cannot reach back into ours,
//     nofollow and ugc because members, not the site, vouch for it. No
//     target attribute: the reader decides where a link opens.
//   - No images are ever loaded. A remote image would make every reader's
//     browser call whoever hosts it, telling them each reader's IP address
//     and when they read the post. An image becomes a plain link whose text
//     is "image: " and its alt text ("image: a sunset"; see ImageMarker); the
//     marker is a fixed English word on purpose — it stays neutral and
//     short in both languages the site speaks, and translating it is the
//     web layer's concern, not this pure package's.
//   - Fenced code keeps no language class (nothing on the page styles it).
//
// Work is bounded: goldmark's parser is linear or close to it on the
// pathological inputs checked in the benchmarks (deep quotes and lists,
// thousands of brackets or asterisks), and the sanitizer is a single pass
// over tokens. Posts are limited to 20,000 bytes by the application; see
// BenchmarkRender for the figures.
//
// A Renderer is built once (New) and is safe for concurrent use: goldmark's
// parser and renderer keep per-call state in per-call contexts, and a
// bluemonday policy may be shared by goroutines once it is built.
package markdown
