package mail

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/mail"
	"net/url"
	"strconv"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/hearth-org/hearth"
)

// SMTP sends messages through one SMTP server. It is configured by a URL:
//
//	smtp://user:pass@host:587?from=Hearth%20<hearth@example.org>
//	smtps://user:pass@host:465?from=hearth@example.org
//
// smtp:// speaks STARTTLS when the server offers it; starttls=required
// refuses to send without it, and credentials in an smtp:// URL always
// require it (a password never crosses the network in clear; only a server
// on this machine, 127.0.0.1 or localhost, is exempt). smtps:// is TLS from
// the first byte. Authentication is PLAIN. timeout= bounds each connection
// (default 30s); helo= names this host to the server.
//
// go-mail (github.com/wneessen/go-mail) does the SMTP conversation: unlike
// net/smtp (frozen, no timeouts, no MIME) it handles STARTTLS policies,
// encoded UTF-8 headers for Spanish subjects, quoted-printable bodies and
// structured errors that say whether a refusal is temporary.
type SMTP struct {
	host     string
	port     int
	implicit bool // smtps://
	policy   gomail.TLSPolicy
	user     string
	pass     string
	from     *mail.Address
	timeout  time.Duration
	helo     string
	tls      *tls.Config
}

// ParseSMTPURL reads an SMTP URL (see SMTP). The error names what is wrong
// without repeating the password.
func ParseSMTPURL(raw string) (*SMTP, error) {
	bad := func(why string) error {
		return hearth.Errorf(hearth.Invalid, "The SMTP URL is not usable: %s. Expected smtp://user:password@host:587?from=hearth@example.org (or smtps:// on 465).", why)
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return nil, bad("it is not a URL")
	}
	s := &SMTP{policy: gomail.TLSOpportunistic, timeout: 30 * time.Second, host: u.Hostname()}
	switch u.Scheme {
	case "smtp":
		s.port = 587
	case "smtps":
		s.port, s.implicit = 465, true
	default:
		return nil, bad("it must start with smtp:// or smtps://")
	}
	if s.host == "" {
		return nil, bad("it names no host")
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return nil, bad("the port is not a number from 1 to 65535")
		}
		s.port = n
	}
	if u.User != nil {
		s.user = u.User.Username()
		s.pass, _ = u.User.Password()
	}
	q := u.Query()
	for k := range q {
		switch k {
		case "from", "starttls", "timeout", "helo":
		default:
			return nil, bad(fmt.Sprintf("the option %q is unknown (from, starttls, timeout and helo are)", k))
		}
	}
	from := q.Get("from")
	if from == "" {
		return nil, bad("it needs a from= address, like ?from=Hearth%20<hearth@example.org>")
	}
	if s.from, err = mail.ParseAddress(from); err != nil {
		return nil, bad("the from= address is not an email address")
	}
	switch q.Get("starttls") {
	case "", "opportunistic":
	case "required":
		s.policy = gomail.TLSMandatory
	default:
		return nil, bad("starttls= must be required or opportunistic")
	}
	if t := q.Get("timeout"); t != "" {
		d, err := time.ParseDuration(t)
		if err != nil || d <= 0 {
			return nil, bad("timeout= must be a duration like 30s")
		}
		s.timeout = d
	}
	s.helo = q.Get("helo")
	if s.user != "" && !s.implicit && !isLoopback(s.host) {
		s.policy = gomail.TLSMandatory
	}
	return s, nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// SetTLSConfig sets the TLS configuration (trusted roots, server name) for
// STARTTLS and smtps://; by default the system's roots and the URL's host.
func (s *SMTP) SetTLSConfig(c *tls.Config) { s.tls = c }

// From returns the sender address.
func (s *SMTP) From() string { return s.from.String() }

// String describes the server for logs, without the password.
func (s *SMTP) String() string {
	scheme := "smtp"
	if s.implicit {
		scheme = "smtps"
	}
	user := ""
	if s.user != "" {
		user = s.user + "@"
	}
	return fmt.Sprintf("%s://%s%s", scheme, user, net.JoinHostPort(s.host, strconv.Itoa(s.port)))
}

// Message is one email ready to send.
type Message struct {
	To        string
	Subject   string
	Body      string // plain text
	MessageID string // without angle brackets; the same on every attempt
	Date      time.Time
	Locale    string
}

// Send delivers one message in one connection. Cancelling ctx closes the
// connection at once, wherever the conversation is.
func (s *SMTP) Send(ctx context.Context, m Message) error {
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent(), gomail.WithCharset(gomail.CharsetUTF8), gomail.WithEncoding(gomail.EncodingQP))
	msg.FromMailAddress(s.from)
	if err := msg.To(m.To); err != nil {
		return &sendError{permanent: true, text: "the recipient address is not valid"}
	}
	msg.Subject(m.Subject)
	msg.SetMessageIDWithValue(m.MessageID)
	msg.SetDateWithValue(m.Date)
	if m.Locale != "" {
		msg.SetGenHeader(gomail.HeaderContentLang, m.Locale)
	}
	// An automated notice: no out-of-office replies, no auto-forwarding loops.
	msg.SetGenHeader("Auto-Submitted", "auto-generated")
	msg.SetGenHeader(gomail.HeaderXAutoResponseSuppress, "All")
	msg.SetBodyString(gomail.TypeTextPlain, m.Body)

	tlsConf := s.tls
	if tlsConf == nil {
		tlsConf = &tls.Config{ServerName: s.host, MinVersion: tls.VersionTLS12}
	}
	// Our own dialer so that cancelling ctx closes the connection mid-send
	// (go-mail only watches ctx while dialling).
	var stop func() bool
	dial := func(dctx context.Context, network, addr string) (net.Conn, error) {
		d := &net.Dialer{Timeout: s.timeout}
		var conn net.Conn
		var err error
		if s.implicit {
			conn, err = (&tls.Dialer{NetDialer: d, Config: tlsConf}).DialContext(dctx, network, addr)
		} else {
			conn, err = d.DialContext(dctx, network, addr)
		}
		if err != nil {
			return nil, err
		}
		stop = context.AfterFunc(ctx, func() { conn.Close() })
		return conn, nil
	}
	opts := []gomail.Option{
		gomail.WithPort(s.port), gomail.WithTimeout(s.timeout), gomail.WithTLSConfig(tlsConf),
		gomail.WithDialContextFunc(dial),
	}
	if s.implicit {
		// The dialer above did the TLS; STARTTLS must not be tried again.
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	} else {
		opts = append(opts, gomail.WithTLSPolicy(s.policy))
	}
	if s.helo != "" {
		opts = append(opts, gomail.WithHELO(s.helo))
	}
	if s.user != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthPlain), gomail.WithUsername(s.user), gomail.WithPassword(s.pass))
	}
	c, err := gomail.NewClient(s.host, opts...)
	if err != nil {
		return &sendError{text: "SMTP client: " + err.Error()}
	}
	err = c.DialAndSendWithContext(ctx, msg)
	if stop != nil {
		stop()
	}
	if err != nil {
		if ctx.Err() != nil {
			return &sendError{text: "stopped mid-send: " + context.Cause(ctx).Error()}
		}
		return classify(err)
	}
	return nil
}

// sendError says whether a failure is worth retrying, in words that never
// contain the message (nor the recipient's address: servers often echo it,
// so their reply text is not kept).
type sendError struct {
	permanent bool
	text      string
}

func (e *sendError) Error() string { return e.text }

// Permanent reports whether err is a refusal that retrying will not change.
func Permanent(err error) bool {
	var se *sendError
	return errors.As(err, &se) && se.permanent
}

func classify(err error) error {
	var ge *gomail.SendError
	if errors.As(err, &ge) {
		code := ge.ErrorCode()
		text := fmt.Sprintf("SMTP %s", ge.Reason)
		if code != 0 {
			text += fmt.Sprintf(": %d", code)
			if esc := ge.EnhancedStatusCode(); esc != "" {
				text += " " + esc
			}
		}
		switch ge.Reason {
		case gomail.ErrSMTPMailFrom, gomail.ErrSMTPRcptTo, gomail.ErrSMTPData, gomail.ErrSMTPDataClose, gomail.ErrNoUnencoded:
			return &sendError{permanent: !ge.IsTemp() && code >= 500, text: text}
		}
		return &sendError{text: text}
	}
	// Dial, TLS and authentication failures: perhaps the server is down or
	// misconfigured for a while; retried with backoff. The text is go-mail's
	// or the network's, which holds no message content.
	return &sendError{text: clip(err.Error(), 300)}
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) > n {
		r = r[:n]
	}
	return string(r)
}

// CheckBaseURL validates Hearth's public address as used in email links
// (http:// or https://, a host, no query) and returns it without a final
// slash.
func CheckBaseURL(raw string) (string, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", hearth.Errorf(hearth.Invalid, "The base URL must be Hearth's public address, like https://hearth.example.org.")
	}
	return strings.TrimRight(u.String(), "/"), nil
}
