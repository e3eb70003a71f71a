package e2e

import (
	"bufio"
	"bytes"
	"encoding/base64"
	"io"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"strings"
	"sync"
	"testing"
	"time"
)

// smtpSink is a minimal SMTP server on loopback that accepts every
// message and keeps its raw bytes: enough of RFC 5321 for Hearth's mail
// worker (EHLO without extensions, so no STARTTLS and no AUTH; MAIL, RCPT,
// DATA with dot-unstuffing, RSET, NOOP, QUIT). It never relays anything.
type smtpSink struct {
	l    net.Listener
	mu   sync.Mutex
	msgs [][]byte
	wg   sync.WaitGroup
}

func newSMTPSink(t *testing.T) *smtpSink {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpSink{l: l}
	s.wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			s.wg.Go(func() { s.serve(c) })
		}
	})
	t.Cleanup(func() { l.Close(); s.wg.Wait() })
	return s
}

func (s *smtpSink) addr() string { return s.l.Addr().String() }

// messages returns a copy of every message received so far.
func (s *smtpSink) messages() [][]byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([][]byte(nil), s.msgs...)
}

func (s *smtpSink) serve(c net.Conn) {
	defer c.Close()
	_ = c.SetDeadline(time.Now().Add(2 * time.Minute))
	r := bufio.NewReader(c)
	say := func(line string) bool {
		_, err := io.WriteString(c, line+"\r\n")
		return err == nil
	}
	if !say("220 sink.test ESMTP") {
		return
	}
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		verb, _, _ := strings.Cut(cmd, " ")
		switch verb {
		case "EHLO":
			say("250 sink.test")
		case "HELO":
			say("250 sink.test")
		case "MAIL", "RCPT", "RSET", "NOOP":
			say("250 OK")
		case "DATA":
			if !say("354 go ahead") {
				return
			}
			var msg bytes.Buffer
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" || l == ".\n" {
					break
				}
				msg.WriteString(strings.TrimPrefix(l, "."))
			}
			s.mu.Lock()
			s.msgs = append(s.msgs, msg.Bytes())
			s.mu.Unlock()
			say("250 queued")
		case "QUIT":
			say("221 bye")
			return
		default:
			say("502 not implemented")
		}
	}
}

// emailReadings are the ways an email can be read: its raw bytes, the raw
// bytes without quoted-printable soft line breaks (which could split a
// word), and its headers and bodies decoded (RFC 2047 words,
// quoted-printable, base64, every part of a multipart message).
func emailReadings(raw []byte) [][]byte {
	out := [][]byte{raw, bytes.ReplaceAll(bytes.ReplaceAll(raw, []byte("=\r\n"), nil), []byte("=\n"), nil)}
	m, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		return out
	}
	var dec mime.WordDecoder
	var hdr bytes.Buffer
	for k, vs := range m.Header {
		for _, v := range vs {
			d, err := dec.DecodeHeader(v)
			if err != nil {
				d = v
			}
			hdr.WriteString(k + ": " + d + "\n")
		}
	}
	out = append(out, hdr.Bytes())
	return append(out, decodeBody(m.Header.Get("Content-Type"), m.Header.Get("Content-Transfer-Encoding"), m.Body, 0)...)
}

func decodeBody(ctype, cte string, body io.Reader, depth int) [][]byte {
	mt, params, _ := mime.ParseMediaType(ctype)
	if strings.HasPrefix(mt, "multipart/") && params["boundary"] != "" && depth < 5 {
		var out [][]byte
		mr := multipart.NewReader(body, params["boundary"])
		for {
			p, err := mr.NextRawPart()
			if err != nil {
				return out
			}
			out = append(out, decodeBody(p.Header.Get("Content-Type"), p.Header.Get("Content-Transfer-Encoding"), p, depth+1)...)
		}
	}
	var r io.Reader = body
	switch strings.ToLower(strings.TrimSpace(cte)) {
	case "quoted-printable":
		r = quotedprintable.NewReader(body)
	case "base64":
		r = base64.NewDecoder(base64.StdEncoding, body) // skips CR and LF
	}
	b, _ := io.ReadAll(r)
	return [][]byte{b}
}
