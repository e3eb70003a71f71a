// Passkeys (WebAuthn) for Hearth's pages: progressive enhancement. Pages
// mark the parts that need this script with data-passkey (hidden until it
// runs) and say in <noscript> that passkeys need JavaScript. Each part asks
// Hearth for a ceremony's options (a same-origin POST of JSON), hands them
// to the browser, and posts the answer back; Hearth says where to go next.
// No third-party code, no inline script (the CSP forbids it).
(function () {
  "use strict";

  if (!window.PublicKeyCredential || !navigator.credentials) {
    document.querySelectorAll("#passkeys-unsupported").forEach(function (el) { el.hidden = false; });
    return;
  }

  function fromB64(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) s += "=";
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }

  function toB64(buf) {
    var bytes = new Uint8Array(buf), bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function ids(list) {
    return (list || []).map(function (c) { return Object.assign({}, c, { id: fromB64(c.id) }); });
  }

  function creationOptions(o) {
    var pk = o.publicKey || o;
    if (PublicKeyCredential.parseCreationOptionsFromJSON) return PublicKeyCredential.parseCreationOptionsFromJSON(pk);
    return Object.assign({}, pk, {
      challenge: fromB64(pk.challenge),
      user: Object.assign({}, pk.user, { id: fromB64(pk.user.id) }),
      excludeCredentials: ids(pk.excludeCredentials)
    });
  }

  function requestOptions(o) {
    var pk = o.publicKey || o;
    if (PublicKeyCredential.parseRequestOptionsFromJSON) return PublicKeyCredential.parseRequestOptionsFromJSON(pk);
    return Object.assign({}, pk, { challenge: fromB64(pk.challenge), allowCredentials: ids(pk.allowCredentials) });
  }

  function credentialJSON(cred) {
    if (typeof cred.toJSON === "function") return cred.toJSON();
    var r = cred.response, out = { id: cred.id, rawId: toB64(cred.rawId), type: cred.type,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {} };
    if (r.attestationObject) {
      out.response = { clientDataJSON: toB64(r.clientDataJSON), attestationObject: toB64(r.attestationObject),
        transports: r.getTransports ? r.getTransports() : [] };
    } else {
      out.response = { clientDataJSON: toB64(r.clientDataJSON), authenticatorData: toB64(r.authenticatorData),
        signature: toB64(r.signature), userHandle: r.userHandle ? toB64(r.userHandle) : null };
    }
    return out;
  }

  // post sends JSON and returns the answer's JSON; an error answer throws
  // an object with Hearth's translated message and fields.
  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (data) {
        if (!res.ok) throw { hearth: (data && data.error) || {} };
        return data;
      });
    });
  }

  function setup(box) {
    var kind = box.getAttribute("data-passkey");
    var errBox = box.querySelector("[data-passkey-error]");
    var button = box.querySelector("button");
    var field = function (name) { var el = box.querySelector('[name="' + name + '"]'); return el ? el.value : ""; };

    function clearErrors() {
      errBox.textContent = "";
      box.querySelectorAll("[aria-invalid]").forEach(function (el) { el.removeAttribute("aria-invalid"); });
    }

    function show(e) {
      var msg, first = null;
      if (e && e.hearth) {
        msg = e.hearth.message || box.getAttribute("data-msg-failed");
        (e.hearth.fields || []).forEach(function (f) {
          var input = box.querySelector('[name="' + f.field + '"]');
          msg += " " + f.message;
          if (input) {
            input.setAttribute("aria-invalid", "true");
            first = first || input;
          }
        });
      } else if (e && (e.name === "NotAllowedError" || e.name === "AbortError")) {
        msg = box.getAttribute("data-msg-cancelled");
      } else {
        msg = box.getAttribute("data-msg-failed");
      }
      errBox.textContent = msg;
      button.disabled = false;
      (first || button).focus();
    }

    function run(ev) {
      if (ev) ev.preventDefault();
      clearErrors();
      button.disabled = true;
      errBox.textContent = box.getAttribute("data-msg-working") || "";
      var next = field("next");
      var begin, finish, answer;
      if (kind === "register") {
        begin = post("/account/security/passkeys/options", { purpose: "register", name: field("name"), password: field("password"), code: field("code") });
        finish = "/account/security/passkeys";
        answer = { purpose: "register", name: field("name"), next: next };
      } else if (kind === "verify") {
        begin = post("/account/security/passkeys/options", { purpose: "verify" });
        finish = "/account/security/passkeys";
        answer = { purpose: "verify", next: next };
      } else {
        begin = post("/signin/passkey/options", { mode: kind === "second" ? "second" : "passwordless" });
        finish = "/signin/passkey";
        answer = { next: next };
      }
      begin.then(function (ch) {
        answer.ceremony = ch.ceremony;
        var p = kind === "register"
          ? navigator.credentials.create({ publicKey: creationOptions(ch.options) })
          : navigator.credentials.get({ publicKey: requestOptions(ch.options) });
        return p;
      }).then(function (cred) {
        answer.credential = credentialJSON(cred);
        return post(finish, answer);
      }).then(function (done) {
        var to = new URL(done.location || "/account", window.location.href);
        if (to.pathname + to.search === window.location.pathname + window.location.search) {
          // Only the fragment differs: assigning would not load the page again.
          window.location.hash = to.hash;
          window.location.reload();
        } else {
          window.location.assign(to.href);
        }
      }).catch(show);
    }

    box.hidden = false;
    if (box.tagName === "FORM") box.addEventListener("submit", run);
    else button.addEventListener("click", run);
  }

  document.querySelectorAll("[data-passkey]").forEach(setup);
})();
