package web

// A copy of internal/app/passkeys_softkey_test.go (test files cannot be
// shared across packages): keep the two alike.

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

// softKey is a software authenticator: an ECDSA P-256 key that answers
// WebAuthn ceremonies as a platform authenticator would (attestation
// "none", user present and verified, a counter that goes up by one per
// signature), so tests run real ceremonies against the real library.
type softKey struct {
	priv       *ecdsa.PrivateKey
	credID     []byte
	userHandle []byte
	counter    uint32
	rpID       string
	origin     string
}

func newSoftKey(t testing.TB, origin, rpID string) *softKey {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	id := make([]byte, 32)
	rand.Read(id)
	return &softKey{priv: priv, credID: id, rpID: rpID, origin: origin}
}

var pkB64 = base64.RawURLEncoding

// optionsOf reads the publicKey options a ceremony handed out (as a browser
// would get them: JSON).
func optionsOf(t testing.TB, options any) map[string]any {
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

func (k *softKey) clientData(typ, challenge string) []byte {
	raw, _ := json.Marshal(map[string]any{"type": typ, "challenge": challenge, "origin": k.origin, "crossOrigin": false})
	return raw
}

func (k *softKey) authData(flags byte, attested []byte) []byte {
	h := sha256.Sum256([]byte(k.rpID))
	out := append([]byte{}, h[:]...)
	out = append(out, flags)
	out = binary.BigEndian.AppendUint32(out, k.counter)
	return append(out, attested...)
}

// create answers a registration ceremony's options with a new credential,
// as navigator.credentials.create's result in JSON.
func (k *softKey) create(t testing.TB, options any) []byte {
	t.Helper()
	o := optionsOf(t, options)
	challenge, _ := o["challenge"].(string)
	user, _ := o["user"].(map[string]any)
	uid, _ := user["id"].(string)
	var err error
	if k.userHandle, err = pkB64.DecodeString(uid); err != nil {
		t.Fatalf("user id %q: %v", uid, err)
	}
	pub, err := k.priv.PublicKey.ECDH()
	if err != nil {
		t.Fatal(err)
	}
	xy := pub.Bytes()[1:]
	cose, err := cbor.Marshal(map[int]any{1: 2, 3: -7, -1: 1, -2: xy[:32], -3: xy[32:]})
	if err != nil {
		t.Fatal(err)
	}
	attested := make([]byte, 16) // AAGUID: zero, as many platform authenticators send
	attested = binary.BigEndian.AppendUint16(attested, uint16(len(k.credID)))
	attested = append(attested, k.credID...)
	attested = append(attested, cose...)
	ad := k.authData(0x01|0x04|0x40, attested) // UP, UV, AT
	att, err := cbor.Marshal(map[string]any{"fmt": "none", "attStmt": map[string]any{}, "authData": ad})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(map[string]any{"id": pkB64.EncodeToString(k.credID), "rawId": pkB64.EncodeToString(k.credID), "type": "public-key",
		"response": map[string]any{"clientDataJSON": pkB64.EncodeToString(k.clientData("webauthn.create", challenge)),
			"attestationObject": pkB64.EncodeToString(att), "transports": []string{"internal"}},
		"clientExtensionResults": map[string]any{}})
	return raw
}

// get answers a sign-in ceremony's options with an assertion signed by the
// key, the counter one higher than last time.
func (k *softKey) get(t testing.TB, options any) []byte {
	t.Helper()
	k.counter++
	return k.getAt(t, options, k.counter)
}

// getAt signs with a given counter (a copied authenticator's).
func (k *softKey) getAt(t testing.TB, options any, counter uint32) []byte {
	t.Helper()
	o := optionsOf(t, options)
	challenge, _ := o["challenge"].(string)
	saved := k.counter
	k.counter = counter
	ad := k.authData(0x01|0x04, nil) // UP, UV
	k.counter = saved
	cd := k.clientData("webauthn.get", challenge)
	h := sha256.Sum256(cd)
	digest := sha256.Sum256(append(append([]byte{}, ad...), h[:]...))
	sig, err := ecdsa.SignASN1(rand.Reader, k.priv, digest[:])
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(map[string]any{"id": pkB64.EncodeToString(k.credID), "rawId": pkB64.EncodeToString(k.credID), "type": "public-key",
		"response": map[string]any{"clientDataJSON": pkB64.EncodeToString(cd), "authenticatorData": pkB64.EncodeToString(ad),
			"signature": pkB64.EncodeToString(sig), "userHandle": pkB64.EncodeToString(k.userHandle)},
		"clientExtensionResults": map[string]any{}})
	return raw
}
