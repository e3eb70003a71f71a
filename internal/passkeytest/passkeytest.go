// Package passkeytest is a software WebAuthn authenticator for tests: an
// ECDSA P-256 key that answers registration and sign-in ceremonies as a
// platform authenticator would, so the tests of internal/app and
// internal/web run real ceremonies against the real library. It is used by
// tests only.
package passkeytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/json"
	"testing"

	"github.com/fxamacker/cbor/v2"
)

// SoftKey is a software authenticator: an ECDSA P-256 key that answers
// WebAuthn ceremonies as a platform authenticator would (attestation
// "none", user present and verified, a counter that goes up by one per
// signature), so tests run real ceremonies against the real library.
type SoftKey struct {
	Priv       *ecdsa.PrivateKey
	CredID     []byte
	UserHandle []byte
	Counter    uint32
	RPID       string
	Origin     string
}

// New makes an authenticator for a relying party (its origin and ID).
func New(t testing.TB, origin, rpID string) *SoftKey {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 32)
	rand.Read(id)
	return &SoftKey{Priv: priv, CredID: id, RPID: rpID, Origin: origin}
}

var b64 = base64.RawURLEncoding

// Options reads the publicKey options a ceremony handed out (as a browser
// would get them: JSON).
func Options(t testing.TB, options any) map[string]any {
	t.Helper()
	raw, err := json.Marshal(options)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		t.Fatal(err)
	}
	if pk, ok := m["publicKey"].(map[string]any); ok {
		return pk
	}
	return m
}

func (k *SoftKey) clientData(typ, challenge string) []byte {
	raw, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": k.Origin, "crossOrigin": false})
	return raw
}

func (k *SoftKey) authData(flags byte, attested []byte) []byte {
	h := sha256.Sum256([]byte(k.RPID))
	out := append([]byte{}, h[:]...)
	out = append(out, flags)
	out = binary.BigEndian.AppendUint32(out, k.Counter)
	return append(out, attested...)
}

// Create answers a registration ceremony's options with a new credential,
// as navigator.credentials.create's result in JSON.
func (k *SoftKey) Create(t testing.TB, options any) []byte {
	t.Helper()
	o := Options(t, options)
	challenge, _ := o["challenge"].(string)
	user, _ := o["user"].(map[string]any)
	uid, _ := user["id"].(string)
	var err error
	if k.UserHandle, err = b64.DecodeString(uid); err != nil {
		t.Fatalf("user id %q: %v", uid, err)
	}
	pub, err := k.Priv.PublicKey.ECDH()
	if err != nil {
		t.Fatal(err)
	}
	xy := pub.Bytes()[1:]
	cose, err := cbor.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: xy[:32], -3: xy[32:]})
	if err != nil {
		t.Fatal(err)
	}
	attested := make([]byte, 16) // AAGUID: zero, as many platform authenticators send
	attested = binary.BigEndian.AppendUint16(attested, uint16(len(k.CredID)))
	attested = append(attested, k.CredID...)
	attested = append(attested, cose...)
	ad := k.authData(0x01|0x04|0x40, attested) // UP, UV, AT
	att, err := cbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": ad})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(map[string]any{"id": b64.EncodeToString(k.CredID), "rawId": b64.EncodeToString(k.CredID), "type": "public-key",
		"response": map[string]any{"clientDataJSON": b64.EncodeToString(k.clientData("webauthn.create", challenge)),
			"attestationObject": b64.EncodeToString(att), "transports": []string{"internal"}},
		"clientExtensionResults": map[string]any{}})
	return raw
}

// Get answers a sign-in ceremony's options with an assertion signed by the
// key, the counter one higher than last time.
func (k *SoftKey) Get(t testing.TB, options any) []byte {
	t.Helper()
	k.Counter++
	return k.GetAt(t, options, k.Counter)
}

// GetAt signs with a given counter (a copied authenticator's).
func (k *SoftKey) GetAt(t testing.TB, options any, counter uint32) []byte {
	t.Helper()
	o := Options(t, options)
	challenge, _ := o["challenge"].(string)
	saved := k.Counter
	k.Counter = counter
	ad := k.authData(0x01|0x04, nil) // UP, UV
	k.Counter = saved
	cd := k.clientData("webauthn.get", challenge)
	h := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, ad...), h[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, k.Priv, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(map[string]any{"id": b64.EncodeToString(k.CredID), "rawId": b64.EncodeToString(k.CredID), "type": "public-key",
		"response": map[string]any{"clientDataJSON": b64.EncodeToString(cd), "authenticatorData": b64.EncodeToString(ad),
			"signature": b64.EncodeToString(sig), "UserHandle": b64.EncodeToString(k.UserHandle)},
		"clientExtensionResults": map[string]any{}})
	return raw
}
