package markdown

import (
	"bytes"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Bounds on the work one post can cause. goldmark is linear on ordinary
// text but some shapes cost time in proportion to the square of their
// length: containers nested thousands deep, thousands of unmatched
// emphasis delimiters, thousands of "](" that each look for a destination
// to the end of the line. No post people write comes near these numbers;
// past them the marks are plain text.
const (
	// maxNesting is how deep block quotes and lists may nest; a deeper
	// ">" or list marker is text.
	maxNesting = 16
	// maxDelimiters is how many runs of *, _ or ~ one post may use for
	// emphasis and strikethrough.
	maxDelimiters = 1000
	// maxLinkMarks is how many [, ![ and ] one post may use for links
	// and images.
	maxLinkMarks = 1000
	// maxInlineLinks is how many "](" one post may use: each looks for its
	// destination up to the next space, possibly the end of the line.
	maxInlineLinks = 200
)

// newParser is goldmark's CommonMark parser (the same parsers, at the same
// priorities, as parser.DefaultBlockParsers and DefaultInlineParsers) with
// the bounds above, plus strikethrough.
func newParser() parser.Parser {
	delims := func(p parser.InlineParser) *budget {
		return &budget{InlineParser: p, key: delimiterKey, limit: maxDelimiters, run: true}
	}
	return parser.NewParser(
		parser.WithBlockParsers(
			util.Prioritized(parser.NewSetextHeadingParser(), 100),
			util.Prioritized(parser.NewThematicBreakParser(), 200),
			util.Prioritized(nestingLimit{parser.NewListParser()}, 300),
			util.Prioritized(parser.NewListItemParser(), 400),
			util.Prioritized(parser.NewCodeBlockParser(), 500),
			util.Prioritized(parser.NewATXHeadingParser(), 600),
			util.Prioritized(parser.NewFencedCodeBlockParser(), 700),
			util.Prioritized(nestingLimit{parser.NewBlockquoteParser()}, 800),
			util.Prioritized(parser.NewHTMLBlockParser(), 900),
			util.Prioritized(parser.NewParagraphParser(), 1000),
		),
		parser.WithInlineParsers(
			util.Prioritized(parser.NewCodeSpanParser(), 100),
			util.Prioritized(&budget{InlineParser: parser.NewLinkParser(), key: linkMarkKey, limit: maxLinkMarks}, 200),
			util.Prioritized(parser.NewAutoLinkParser(), 300),
			util.Prioritized(parser.NewRawHTMLParser(), 400),
			util.Prioritized(delims(parser.NewEmphasisParser()), 500),
			util.Prioritized(delims(extension.NewStrikethroughParser()), 500),
		),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
	)
}

// nestingLimit opens block quotes and lists only while fewer than
// maxNesting of them enclose the place.
type nestingLimit struct{ parser.BlockParser }

func (l nestingLimit) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	depth := 0
	for p := parent; p != nil; p = p.Parent() {
		if k := p.Kind(); k == ast.KindBlockquote || k == ast.KindList {
			depth++
			if depth >= maxNesting {
				return nil, parser.NoChildren
			}
		}
	}
	return l.BlockParser.Open(parent, reader, pc)
}

var (
	delimiterKey = parser.NewContextKey()
	linkMarkKey  = parser.NewContextKey()
	// inlineLinkKey counts "](" within the link parser's budget.
	inlineLinkKey = parser.NewContextKey()
)

// budget lets an inline parser run a limited number of times per post (the
// count lives in the parse's own context); past it, the trigger character
// (with run, the whole run of it) is text, so no other parser looks at it
// either.
type budget struct {
	parser.InlineParser
	key   parser.ContextKey
	limit int
	run   bool
}

func (b *budget) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	line, seg := block.PeekLine()
	if len(line) == 0 {
		return nil
	}
	if b.take(pc, b.key, b.limit) && (b.key != linkMarkKey || !bytes.HasPrefix(line, []byte("](")) ||
		b.take(pc, inlineLinkKey, maxInlineLinks)) {
		return b.InlineParser.Parse(parent, block, pc)
	}
	n := 1
	if b.run {
		for n < len(line) && line[n] == line[0] {
			n++
		}
	}
	block.Advance(n)
	return ast.NewTextSegment(seg.WithStop(seg.Start + n))
}

// take counts one use against the limit of key, if there is one left.
func (b *budget) take(pc parser.Context, key parser.ContextKey, limit int) bool {
	used, _ := pc.Get(key).(int)
	if used >= limit {
		return false
	}
	pc.Set(key, used+1)
	return true
}

// CloseBlock passes the end of a block on to the parser, which may hold
// open delimiters or link labels.
func (b *budget) CloseBlock(parent ast.Node, block text.Reader, pc parser.Context) {
	if cb, ok := b.InlineParser.(parser.CloseBlocker); ok {
		cb.CloseBlock(parent, block, pc)
	}
}
