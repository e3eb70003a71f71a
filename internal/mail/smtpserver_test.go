package mail

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"io"
	"math/big"
	"mime"
	"mime/quotedprintable"
	"net"
	netmail "net/mail"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// testServer is a real SMTP server (emersion/go-smtp) on loopback that
// records what it accepts and can be told to misbehave.
type testServer struct {
	t    *testing.T
	addr string
	port string

	mu  sync.Mutex
	got []received

	user, pass string       // when set, AUTH PLAIN is required
	rejectRcpt string       // answered 550 at RCPT TO
	tempFail   atomic.Int32 // this many DATA commands are answered 451
	dropAtData atomic.Int32 // this many connections are closed at DATA
	// holdBefore blocks at RCPT TO, before the message is sent (so nothing
	// is received); holdAfter blocks after DATA was read and recorded,
	// before answering 250. entered is told when a hold begins.
	holdBefore, holdAfter chan struct{}
	entered               chan struct{}
	dataCommands          atomic.Int32
}

// received is one accepted message.
type received struct {
	From   string
	To     []string
	TLS    bool
	Authed string
	Header netmail.Header
	Body   string // decoded
	Raw    []byte
}

type serverOpts struct {
	tls      *tls.Config // offer STARTTLS with it
	implicit bool        // TLS from the first byte (smtps)
}

func startServer(t *testing.T, o serverOpts) *testServer {
	t.Helper()
	ts := &testServer{t: t, entered: make(chan struct{}, 4)}
	s := smtp.NewServer(smtp.BackendFunc(func(c *smtp.Conn) (smtp.Session, error) {
		return &session{ts: ts, c: c}, nil
	}))
	s.Domain = "localhost"
	s.AllowInsecureAuth = true
	s.ReadTimeout, s.WriteTimeout = 10*time.Second, 10*time.Second
	s.MaxMessageBytes = 1 << 20
	var ln net.Listener
	var err error
	if o.implicit {
		ln, err = tls.Listen("tcp", "127.0.0.1:0", o.tls)
	} else {
		s.TLSConfig = o.tls
		ln, err = net.Listen("tcp", "127.0.0.1:0")
	}
	if err != nil {
		t.Fatal(err)
	}
	ts.addr = ln.Addr().String()
	_, ts.port, _ = net.SplitHostPort(ts.addr)
	go s.Serve(ln)
	t.Cleanup(func() { s.Close() })
	return ts
}

// hold reads a hold channel under the lock; setHold changes one.
func (ts *testServer) hold(h *chan struct{}) chan struct{} {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return *h
}

func (ts *testServer) setHold(h *chan struct{}, c chan struct{}) {
	ts.mu.Lock()
	*h = c
	ts.mu.Unlock()
}

func (ts *testServer) setReject(addr string) {
	ts.mu.Lock()
	ts.rejectRcpt = addr
	ts.mu.Unlock()
}

func (ts *testServer) messages() []received {
	ts.mu.Lock()
	defer ts.mu.Unlock()
	return append([]received(nil), ts.got...)
}

// waitFor waits until n messages were received or the time runs out.
func (ts *testServer) waitFor(n int, within time.Duration) []received {
	deadline := time.Now().Add(within)
	for time.Now().Before(deadline) {
		if got := ts.messages(); len(got) >= n {
			return got
		}
		time.Sleep(10 * time.Millisecond)
	}
	return ts.messages()
}

type session struct {
	ts     *testServer
	c      *smtp.Conn
	from   string
	to     []string
	authed string
}

func (s *session) AuthMechanisms() []string {
	if s.ts.user == "" {
		return nil
	}
	return []string{sasl.Plain}
}

func (s *session) Auth(mech string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(identity, username, password string) error {
		if username != s.ts.user || password != s.ts.pass {
			return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Invalid credentials"}
		}
		s.authed = username
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	if s.ts.user != "" && s.authed == "" {
		return smtp.ErrAuthRequired
	}
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	if hold := s.ts.hold(&s.ts.holdBefore); hold != nil {
		s.ts.entered <- struct{}{}
		<-hold
	}
	s.ts.mu.Lock()
	reject := s.ts.rejectRcpt
	s.ts.mu.Unlock()
	if to == reject {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1}, Message: "No such user here"}
	}
	s.to = append(s.to, to)
	return nil
}

func (s *session) Data(r io.Reader) error {
	ts := s.ts
	ts.dataCommands.Add(1)
	if ts.dropAtData.Load() > 0 {
		ts.dropAtData.Add(-1)
		s.c.Conn().Close()
		return errors.New("connection dropped")
	}
	if ts.tempFail.Load() > 0 {
		ts.tempFail.Add(-1)
		io.Copy(io.Discard, r)
		return &smtp.SMTPError{Code: 451, EnhancedCode: smtp.EnhancedCode{4, 3, 0}, Message: "Try again later"}
	}
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	msg, err := netmail.ReadMessage(bytes.NewReader(raw))
	if err != nil {
		ts.t.Errorf("the server received an unreadable message: %v", err)
		return err
	}
	var body []byte
	if strings.EqualFold(msg.Header.Get("Content-Transfer-Encoding"), "quoted-printable") {
		body, err = io.ReadAll(quotedprintable.NewReader(msg.Body))
	} else {
		body, err = io.ReadAll(msg.Body)
	}
	if err != nil {
		return err
	}
	_, isTLS := s.c.TLSConnectionState()
	ts.mu.Lock()
	ts.got = append(ts.got, received{From: s.from, To: s.to, TLS: isTLS, Authed: s.authed, Header: msg.Header,
		Body: strings.ReplaceAll(string(body), "\r\n", "\n"), Raw: raw})
	ts.mu.Unlock()
	if hold := ts.hold(&ts.holdAfter); hold != nil {
		ts.entered <- struct{}{}
		<-hold
	}
	return nil
}

func (s *session) Reset()        { s.from, s.to = "", nil }
func (s *session) Logout() error { return nil }

// subject decodes a received Subject header.
func (r received) subject() string {
	s, err := new(mime.WordDecoder).DecodeHeader(r.Header.Get("Subject"))
	if err != nil {
		return "undecodable: " + err.Error()
	}
	return s
}

// selfSigned makes a TLS certificate for 127.0.0.1 and a client
// configuration that trusts it.
func selfSigned(t *testing.T) (server, client *tls.Config) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "hearth test smtp"},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour),
		IPAddresses: []net.IP{net.ParseIP("127.0.0.1")}, DNSNames: []string{"localhost"},
		KeyUsage: x509.KeyUsageDigitalSignature, ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		t.Fatal(err)
	}
	cert, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	return &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}},
		&tls.Config{RootCAs: pool, ServerName: "127.0.0.1", MinVersion: tls.VersionTLS12}
}
