// Hearth's live room: a small hand-written client of the room protocol
// (docs/rooms-protocol.md). No framework, no inline script: the page gives
// the socket's address and the member in data- attributes and the strings
// in a JSON data block (#room-strings).
//
// What it keeps: the last sequence seen (to resume after a drop: the server
// sends exactly what was missed), the sequences shown (nothing twice), and
// every message not yet acknowledged with its idempotency key (sent again
// after a reconnect; the server answers a repeat with the same sequence).
(function () {
  "use strict";

  var root = document.getElementById("room");
  var stringsEl = document.getElementById("room-strings");
  if (!root || !stringsEl || !window.WebSocket) { return; }
  var S = {};
  try { S = JSON.parse(stringsEl.textContent); } catch (e) { S = {}; }

  function t(key, args) {
    var s = S[key] || key;
    if (args) {
      Object.keys(args).forEach(function (k) { s = s.split("{" + k + "}").join(String(args[k])); });
    }
    return s;
  }
  function $(id) { return document.getElementById(id); }
  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    if (attrs) { Object.keys(attrs).forEach(function (k) { e.setAttribute(k, attrs[k]); }); }
    if (text !== undefined && text !== null) { e.textContent = text; }
    return e;
  }

  var wsPath = root.getAttribute("data-ws");
  var me = Number(root.getAttribute("data-me"));
  var facilitator = root.getAttribute("data-facilitator") === "1";
  var roomID = root.getAttribute("data-room"); // for reporting and hiding a message (the API)
  var storeKey = "hearth-room-pending:" + wsPath;

  var log = $("room-items");       // the messages and notes, in order
  var scroller = $("room-log");    // the live region that scrolls
  var statusEl = $("room-status");
  var alerts = $("room-alerts");
  var textArea = $("room-text");
  var handBtn = $("room-hand");

  $("room-live").hidden = false;
  $("room-controls").hidden = false;
  if (root.getAttribute("data-ended") === "1") {
    statusEl.textContent = t("room.status.ended");
    $("room-controls").hidden = true;
    return;
  }

  // ---- state ----
  var ws = null;
  var lastSeq = 0;        // the highest sequence applied
  var snapSeq = 0;        // the welcome's state is as of this sequence
  var shown = {};         // seq → true: what the log already shows
  var names = {};         // member id → pseudonym
  var formers = {};       // member id → true: erased their account, no name any more
  var notes = {};         // seq → the event a note in the log says, to word it again (former)
  var present = [];       // members here now
  var hands = [];         // member ids, in order raised
  var floor = 0;
  var round = null;       // {kind, question, seconds, order, turn (index), turnAt, passed}
  var muted = {};
  var removed = {};
  var locked = false;
  var ended = false;
  var held = {};          // seq → wire event (facilitators: all held; a member: their own)
  var voice = {};         // member id → {messages, chars}
  var pending = loadPending(); // key → text, until acked
  var pendingEls = {};    // key → the log item shown while sending
  var attempt = 0;
  var pingTimer = null, retryTimer = null, tickTimer = null;
  var pingEvery = 25;
  var closedForGood = false;
  var skew = 0;           // this device's clock minus the server's, from live events

  // Messages seen before the script ran (the page lists the latest).
  Array.prototype.forEach.call(log.querySelectorAll("li[data-seq]"), function (li) {
    shown[li.getAttribute("data-seq")] = true;
    if (li.hasAttribute("data-actor") && !li.querySelector(".hidden-message")) {
      addActions(li, Number(li.getAttribute("data-seq")), Number(li.getAttribute("data-actor")), li.querySelector(".who").textContent);
    }
  });

  function loadPending() {
    try { return JSON.parse(sessionStorage.getItem(storeKey)) || {}; } catch (e) { return {}; }
  }
  function savePending() {
    try { sessionStorage.setItem(storeKey, JSON.stringify(pending)); } catch (e) { /* private mode */ }
  }
  function newKey() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    var b = new Uint8Array(16);
    crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) { return ("0" + x.toString(16)).slice(-2); }).join("");
  }
  // nameOf names a member in lists ("you" for oneself); pseud in the log,
  // where sentences read "Pat raised their hand".
  function nameOf(id) { return id === me ? t("room.you") : pseud(id); }
  function pseud(id) { return formers[id] ? t("room.former_member") : names[id] || (id === me ? t("room.you") : "#" + id); }
  function learn(m) {
    if (!m || !m.id) { return; }
    if (m.former_member) { formers[m.id] = true; } else if (m.name && !formers[m.id]) { names[m.id] = m.name; }
  }

  function setStatus(text) { if (statusEl.textContent !== text) { statusEl.textContent = text; } }

  // ---- the connection ----
  function connect() {
    clearTimeout(retryTimer);
    setStatus(attempt ? t("room.status.reconnecting") : t("room.status.connecting"));
    var url = (location.protocol === "https:" ? "wss://" : "ws://") + location.host + wsPath;
    ws = new WebSocket(url);
    ws.onopen = function () {
      ws.send(JSON.stringify({ type: "hello", after: lastSeq }));
    };
    ws.onmessage = function (e) {
      var f;
      try { f = JSON.parse(e.data); } catch (err) { return; }
      handle(f);
    };
    ws.onclose = function (e) { closed(e.code, e.reason); };
    ws.onerror = function () { /* onclose follows */ };
  }

  function send(frame) {
    if (ws && ws.readyState === WebSocket.OPEN) { ws.send(JSON.stringify(frame)); return true; }
    return false;
  }

  function closed(code, reason) {
    clearInterval(pingTimer);
    ws = null;
    if (closedForGood) { return; }
    switch (code) {
      case 1000: case 4009:
        ended = ended || code === 1000;
        closedForGood = true;
        setStatus(ended ? t("room.status.ended") : t("room.status.closed"));
        $("room-controls").hidden = true;
        return;
      case 4003:
        closedForGood = true;
        setStatus(t("room.status.removed"));
        $("room-controls").hidden = true;
        return;
      case 1003: case 1002: case 1007:
        closedForGood = true;
        setStatus(t("room.status.bad_frame"));
        return;
      case 4008: setStatus(t("room.status.slow")); break;
      case 1009: setStatus(t("room.status.too_big")); break;
      case 4029: setStatus(t("room.status.rate_limited")); break;
    }
    // Back off: 1, 2, 4 … 30 s, with jitter so a room does not come back
    // all at once after a restart.
    attempt++;
    var base = Math.min(30, Math.pow(2, Math.min(attempt - 1, 5)));
    var wait = Math.round((base / 2 + Math.random() * base / 2) * 1000);
    if (code === 4008 || code === 1013) { wait = Math.min(wait, 1000); }
    setStatus(t("room.status.offline"));
    retryTimer = setTimeout(connect, wait);
  }

  // ---- frames from the server ----
  function handle(f) {
    switch (f.type) {
      case "welcome": welcome(f); break;
      case "event": event(f.event); break;
      case "ack": acked(f.key, f.seq); break;
      case "presence": presence(f.members || []); break;
      case "help": help(f.support); break;
      case "alert": alert_(f); break;
      case "error": error_(f); break;
      case "former": former(f.member); break;
      case "pong": break;
    }
  }

  function welcome(f) {
    attempt = 0;
    learn(f.you);
    me = f.you.id;
    if (f.limits && f.limits.ping_every_seconds) { pingEvery = f.limits.ping_every_seconds; }
    clearInterval(pingTimer);
    pingTimer = setInterval(function () { send({ type: "ping" }); }, pingEvery * 1000);
    var st = f.state || {};
    snapSeq = f.seq;
    hands = (st.hands || []).map(function (m) { learn(m); return m.id; });
    floor = st.floor ? st.floor.id : 0;
    if (st.floor) { learn(st.floor); }
    round = null;
    if (st.round) {
      var order = st.round.order || [];
      var idx = st.round.turn ? order.indexOf(st.round.turn) : order.length;
      round = { kind: st.round.kind, question: st.round.question || "", seconds: st.round.seconds || 0, order: order,
        turn: idx < 0 ? order.length : idx, turnAt: Date.parse(st.round.turn_at), passed: st.round.passed || [] };
    }
    muted = {}; (st.muted || []).forEach(function (id) { muted[id] = true; });
    removed = {}; (st.removed || []).forEach(function (id) { removed[id] = true; });
    locked = !!st.locked;
    ended = !!st.ended;
    held = {}; (st.held || []).forEach(function (ev) { held[ev.seq] = ev; });
    voice = {};
    (st.voice || []).forEach(function (v) {
      learn({ id: v.member, name: v.name, former_member: v.former_member });
      voice[v.member] = { messages: v.messages, chars: v.chars };
    });
    presence(f.presence || []);
    // The events after lastSeq follow (catch-up): they are shown, and the
    // state above already includes them.
    setStatus(t("room.status.connected"));
    renderAll();
    // What was written while offline goes out again with the same key.
    Object.keys(pending).forEach(function (key) {
      send({ type: "send", key: key, text: pending[key] });
    });
  }

  function event(ev) {
    if (!ev || !ev.seq) { return; }
    learn({ id: ev.actor, name: ev.name, former_member: ev.former_member });
    learn({ id: ev.target, name: ev.target_name });
    if (ev.seq > lastSeq) { lastSeq = ev.seq; }
    if (ev.seq > snapSeq) {
      // A live event left the server a moment ago: its time tells how far
      // this device's clock is from the server's (for turn timers).
      skew = Date.now() - Date.parse(ev.at);
      apply(ev);
      snapSeq = ev.seq;
      renderAll();
    }
    show(ev);
  }

  // former: a member erased their account while the meeting goes on. Their
  // name goes from the log (messages and notes), the lists and the share of
  // voice; what the group kept of their words stays, as a former member's.
  function former(id) {
    if (!id) { return; }
    formers[id] = true;
    delete names[id];
    var label = t("room.former_member");
    Array.prototype.forEach.call(log.querySelectorAll('li[data-actor="' + id + '"]'), function (li) {
      var who = li.querySelector(".who");
      if (who) { who.textContent = label; }
      var actions = li.querySelector(".msg-actions");
      if (actions) {
        actions.remove();
        addActions(li, Number(li.getAttribute("data-seq")), id, label);
      }
    });
    // The notes naming them ("Elm passed") are worded again.
    Object.keys(notes).forEach(function (seq) {
      var ev = notes[seq];
      if (ev.actor !== id && ev.target !== id) { return; }
      var li = log.querySelector('li.note[data-seq="' + seq + '"]');
      var text = describe(ev);
      if (li && text) { li.textContent = text; }
    });
    renderAll();
  }

  // apply folds an event into the state, as the server's State does.
  function apply(ev) {
    if (ended) { return; }
    switch (ev.kind) {
      case "message":
        var v = voice[ev.actor] || (voice[ev.actor] = { messages: 0, chars: 0 });
        v.messages++; v.chars += Array.from(ev.text || "").length;
        if (ev.held) { held[ev.seq] = ev; }
        break;
      case "hand":
        var who = ev.target || ev.actor;
        hands = hands.filter(function (m) { return m !== who; });
        if (ev.on && !removed[who]) { hands.push(who); }
        break;
      case "floor":
        if (removed[ev.target]) { break; }
        floor = ev.target || 0;
        if (floor) { hands = hands.filter(function (m) { return m !== floor; }); }
        break;
      case "round_start":
        var order = (ev.order || []).filter(function (m) { return !removed[m]; });
        round = { kind: ev.round, question: ev.text || "", seconds: ev.seconds || 0, order: order, turn: 0, turnAt: Date.parse(ev.at), passed: [] };
        break;
      case "round_next":
        if (round) { advance(ev); }
        break;
      case "round_pass":
        if (round && round.turn < round.order.length) { round.passed.push(round.order[round.turn]); advance(ev); }
        break;
      case "round_end": round = null; break;
      case "mute": if (ev.on) { muted[ev.target] = true; } else { delete muted[ev.target]; } break;
      case "remove":
        removed[ev.target] = true;
        hands = hands.filter(function (m) { return m !== ev.target; });
        if (floor === ev.target) { floor = 0; }
        if (round && round.order[round.turn] === ev.target) { advance(ev); }
        break;
      case "lock": locked = !!ev.on; break;
      case "end": ended = true; hands = []; floor = 0; round = null; break;
      case "release": delete held[ev.target]; break;
      case "hide": if (ev.hidden) { delete held[ev.target]; } break;
    }
  }
  function advance(ev) {
    round.turn++;
    while (round.turn < round.order.length && removed[round.order[round.turn]]) { round.turn++; }
    round.turnAt = Date.parse(ev.at);
  }

  // show writes an event into the log once.
  function show(ev) {
    var item = null;
    if (ev.kind === "message") {
      item = messageItem(ev);
    } else if (ev.kind === "release") {
      if (ev.message && !shown[ev.message.seq]) {
        shown[ev.message.seq] = true;
        item = messageItem(ev.message);
        appendItem(item, ev.seq);
        item = null;
      }
      if (facilitator) { item = noteItem(t("room.event.release", { name: pseud(ev.actor) })); }
    } else if (ev.kind === "hide") {
      // No reason: the message is shown again (restored); text is it.
      if (ev.hidden) { hideItem(ev.target, ev.hidden); item = noteItem(t("room.event.hide")); } else if (ev.text) { showItem(ev.target, ev.text); }
    } else {
      var text = describe(ev);
      if (text) { item = noteItem(text); notes[ev.seq] = ev; }
    }
    if (shown[ev.seq]) { return; }
    shown[ev.seq] = true;
    if (item) { appendItem(item, ev.seq); }
  }

  // appendItem puts an item in the log in sequence order (catch-up and live
  // events arrive in order; the page's own list came first), before the
  // messages still being sent.
  function appendItem(item, seq) {
    item.setAttribute("data-seq", seq);
    var empty = $("room-empty");
    if (empty) { empty.remove(); }
    var before = log.querySelector("li[data-key]");
    for (var n = before ? before.previousElementSibling : log.lastElementChild; n; n = n.previousElementSibling) {
      if (Number(n.getAttribute("data-seq")) < seq) { break; }
      before = n;
    }
    log.insertBefore(item, before);
    stickToBottom();
  }
  function stickToBottom() {
    // Follow new messages unless the reader scrolled up to read.
    if (scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 120) { scroller.scrollTop = scroller.scrollHeight; }
  }

  function messageItem(ev) {
    var li = el("li", ev.held ? { "class": "held", "data-actor": ev.actor } : { "data-actor": ev.actor });
    // A writer who erased their account (the group kept their words) has
    // no name any more.
    li.appendChild(el("span", { "class": "who" }, ev.former_member ? t("room.former_member") : pseud(ev.actor)));
    li.appendChild(document.createTextNode(" "));
    var at = new Date(ev.at);
    li.appendChild(el("time", { datetime: ev.at }, at.toLocaleTimeString([], { hour: "numeric", minute: "2-digit" })));
    li.appendChild(document.createTextNode(" "));
    if (ev.hidden) {
      li.appendChild(hiddenNote(ev.hidden));
      return li;
    }
    li.appendChild(el("span", { "class": "text" }, ev.text));
    if (ev.held) { li.appendChild(document.createTextNode(" ")); li.appendChild(el("em", { "class": "hint" }, t("room.held_note"))); }
    addActions(li, ev.seq, ev.actor, ev.former_member ? t("room.former_member") : pseud(ev.actor));
    return li;
  }

  // ---- reporting and hiding a message (through the API) ----
  function hiddenNote(reason) {
    return el("em", { "class": "text hidden-message" }, t("room.hidden", { reason: t("hide_reason." + reason) }));
  }
  // hideItem puts the placeholder where a hidden message was.
  function hideItem(seq, reason) {
    var li = log.querySelector('li[data-seq="' + seq + '"]');
    if (!li || li.querySelector(".hidden-message")) { return; }
    var text = li.querySelector(".text");
    if (text) { text.replaceWith(hiddenNote(reason || "other")); }
    Array.prototype.forEach.call(li.querySelectorAll(".hint, .msg-actions, form.msg-form"), function (n) { n.remove(); });
    li.classList.remove("held");
  }
  // showItem puts a message shown again in place of its placeholder.
  function showItem(seq, text) {
    var li = log.querySelector('li[data-seq="' + seq + '"]');
    var note = li && li.querySelector(".hidden-message");
    if (!note) { return; }
    note.replaceWith(el("span", { "class": "text" }, text));
    addActions(li, seq, Number(li.getAttribute("data-actor")), li.querySelector(".who").textContent);
  }
  // addActions gives a message of someone else a Report button (and a
  // facilitator a Hide button).
  function addActions(li, seq, actor, name) {
    if (!roomID || !seq || actor === me) { return; }
    var box = el("span", { "class": "msg-actions" });
    var which = " — " + name + " (" + seq + ")";
    var rb = button(t("room.report.button"), function () { openForm(li, seq, "report"); });
    rb.setAttribute("aria-label", t("room.report.button") + which);
    box.appendChild(rb);
    if (facilitator) {
      var hb = button(t("room.hide.button"), function () { openForm(li, seq, "hide"); });
      hb.setAttribute("aria-label", t("room.hide.button") + which);
      box.appendChild(document.createTextNode(" "));
      box.appendChild(hb);
    }
    li.appendChild(document.createTextNode(" "));
    li.appendChild(box);
  }
  function openForm(li, seq, kind) {
    var old = li.querySelector("form.msg-form");
    if (old) { old.remove(); }
    var hide = kind === "hide";
    var id = "msg-" + kind + "-" + seq;
    // Not a named landmark: several messages' forms may be open at once.
    var f = el("form", { "class": "msg-form" });
    f.appendChild(el("p", { "class": "hint" }, t(hide ? "room.hide.send" : "room.report.title")));
    var sel = el("select", { id: id + "-reason" });
    (S[hide ? "reasons.hide" : "reasons.report"] || "").split(" ").forEach(function (c) {
      if (c) { sel.appendChild(el("option", { value: c }, t((hide ? "hide_reason." : "reason.") + c))); }
    });
    f.appendChild(el("label", { "for": id + "-reason" }, t(hide ? "room.hide.reason" : "room.report.reason")));
    f.appendChild(sel);
    var note = null;
    if (!hide) {
      note = el("textarea", { id: id + "-note", rows: "2", maxlength: "2000" });
      f.appendChild(el("label", { "for": id + "-note" }, t("room.report.note")));
      f.appendChild(note);
    }
    var p = el("p");
    p.appendChild(el("button", { type: "submit" }, t(hide ? "room.hide.send" : "room.report.send")));
    p.appendChild(document.createTextNode(" "));
    p.appendChild(button(t("room.report.cancel"), function () { f.remove(); }));
    f.appendChild(p);
    f.addEventListener("submit", function (e) {
      e.preventDefault();
      var body = { reason: sel.value };
      if (note && note.value.trim()) { body.note = note.value.trim(); }
      post(kind, seq, body, f);
    });
    li.appendChild(f);
    sel.focus();
  }
  function post(kind, seq, body, f) {
    fetch("/api/v1/rooms/" + encodeURIComponent(roomID) + "/events/" + seq + "/" + kind, {
      method: "POST", credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (r) {
      return r.json().then(function (j) { return { ok: r.ok, j: j }; }, function () { return { ok: r.ok, j: null }; });
    }).then(function (res) {
      if (!res.ok) {
        setStatus((res.j && res.j.error && res.j.error.message) || t("room.error.generic"));
        return;
      }
      f.remove();
      setStatus(t(kind === "hide" ? "room.hide.done" : "room.report.sent"));
      if (res.j && res.j.support) { help(res.j.support); }
    }, function () { setStatus(t("room.error.generic")); });
  }
  function noteItem(text) { return el("li", { "class": "note" }, text); }

  function roundName(kind) { return t("room.round." + kind); }
  function describe(ev) {
    var a = { name: pseud(ev.actor), target: pseud(ev.target) };
    switch (ev.kind) {
      case "hand": return ev.on ? t("room.event.hand_up", { name: pseud(ev.target || ev.actor) }) : (facilitator || (ev.target || ev.actor) === me ? t("room.event.hand_down", { name: pseud(ev.target || ev.actor) }) : "");
      case "floor": return ev.target ? t("room.event.floor", a) : t("room.event.floor_open", a);
      case "round_start": return t("room.event.round_start", { name: a.name, round: roundName(ev.round) + (ev.text ? " — " + ev.text : "") });
      case "round_next": return t("room.event.round_next");
      case "round_pass": return t("room.event.round_pass", a);
      case "round_end": return t("room.event.round_end", a);
      case "mute": return ev.on ? t("room.event.mute", a) : t("room.event.unmute", a);
      case "remove": return t("room.event.remove", a);
      case "lock": return ev.on ? t("room.event.lock", a) : t("room.event.unlock", a);
      case "end": return t("room.event.end", a);
    }
    return "";
  }

  function acked(key, seq) {
    if (!key || !(key in pending)) { return; }
    delete pending[key];
    savePending();
    var li = pendingEls[key];
    delete pendingEls[key];
    if (li) { li.remove(); }
    // The event frame (before or after the ack) carries the message.
    return seq;
  }

  function presence(members) {
    present = members;
    members.forEach(learn);
    renderPresence();
  }

  function help(support) {
    var box = $("room-help");
    box.hidden = false;
    var title = box.querySelector("h2");
    var staff = box.querySelector("p.hint");
    if (staff) { staff.hidden = !(support && (support.StaffTold || support.staff_told)); }
    if (title) { title.focus(); }
  }

  function alert_(f) {
    if (!facilitator) { return; }
    var p = el("p", { "class": "room-alert" });
    p.appendChild(document.createTextNode(t("room.alert", { name: f.name || nameOf(f.member), seq: f.seq }) + " "));
    var b = el("button", { type: "button" }, t("room.alert_dismiss"));
    b.addEventListener("click", function () { p.remove(); textArea.focus(); });
    p.appendChild(b);
    alerts.appendChild(p);
  }

  function error_(f) {
    var msg = S["room.error." + f.code] || f.message || t("room.error.generic");
    if (f.key && f.key in pending && f.code !== "room_unavailable") {
      // Refused for good (muted, too long…): give the text back.
      var li = pendingEls[f.key];
      if (li) { li.remove(); }
      if (!textArea.value) { textArea.value = pending[f.key]; }
      delete pending[f.key];
      delete pendingEls[f.key];
      savePending();
    }
    setStatus(msg);
  }

  // ---- rendering the state ----
  function renderAll() {
    renderStage();
    renderHands();
    renderPresence();
    if (facilitator) { renderFacilitator(); }
  }

  function renderStage() {
    var fl = $("room-floor");
    fl.textContent = floor ? (floor === me ? t("room.floor.you") : t("room.floor.holder", { name: nameOf(floor) })) : t("room.floor.open");
    var r = $("room-round"), turnBox = $("room-turn");
    clearInterval(tickTimer);
    if (!round) { r.hidden = true; turnBox.hidden = true; return; }
    r.hidden = false;
    var current = round.turn < round.order.length ? round.order[round.turn] : 0;
    function draw() {
      var left = round.seconds ? Math.min(round.seconds, Math.max(0, Math.ceil((round.turnAt + skew + round.seconds * 1000 - Date.now()) / 1000))) : 0;
      var head = t("room.round.now", { round: roundName(round.kind) + (round.question ? " — " + round.question : "") });
      var turn = !current ? t("room.round.all_done") : current === me ?
        (round.seconds ? t("room.turn.yours_timer", { seconds: left }) : t("room.turn.yours")) :
        (round.seconds ? t("room.round.turn_timer", { name: nameOf(current), seconds: left }) : t("room.round.turn", { name: nameOf(current) }));
      r.textContent = head + " " + turn;
      if (current === me) {
        $("room-turn-text").textContent = round.seconds ? t("room.turn.yours_timer", { seconds: left }) : t("room.turn.yours");
      }
    }
    draw();
    turnBox.hidden = current !== me;
    if (round.seconds && current) { tickTimer = setInterval(draw, 5000); }
  }

  function renderHands() {
    var up = hands.indexOf(me) >= 0;
    handBtn.textContent = up ? t("room.hand.lower") : t("room.hand.raise");
    handBtn.setAttribute("aria-pressed", up ? "true" : "false");
    var list = $("room-hands");
    list.textContent = "";
    hands.forEach(function (id) {
      var li = el("li", null, nameOf(id));
      if (facilitator) {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(button(t("room.hand.give_floor", { name: nameOf(id) }), function () { send({ type: "floor", member: id }); }));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(button(t("room.hand.lower_theirs", { name: nameOf(id) }), function () { send({ type: "hand", on: false, member: id }); }));
      }
      list.appendChild(li);
    });
  }

  function renderPresence() {
    var list = $("room-presence");
    var focusedId = document.activeElement && document.activeElement.getAttribute("data-member-action");
    list.textContent = "";
    present.forEach(function (m) {
      var li = el("li", null, nameOf(m.id) + (m.facilitator ? " (" + t("room.facilitator") + ")" : "") + (muted[m.id] ? " · " + t("room.member.muted") : ""));
      if (facilitator && m.id !== me && !m.facilitator) {
        li.appendChild(document.createTextNode(" "));
        var mb = muted[m.id] ?
          button(t("room.member.unmute", { name: m.name }), function () { send({ type: "unmute", member: m.id }); }) :
          button(t("room.member.mute", { name: m.name }), function () { send({ type: "mute", member: m.id }); });
        mb.setAttribute("data-member-action", "mute-" + m.id);
        li.appendChild(mb);
        li.appendChild(document.createTextNode(" "));
        var rb = button(t("room.member.remove", { name: m.name }), function () {
          if (window.confirm(t("room.member.remove_confirm", { name: m.name }))) { send({ type: "remove", member: m.id }); }
        });
        rb.setAttribute("data-member-action", "remove-" + m.id);
        li.appendChild(rb);
      }
      list.appendChild(li);
    });
    // Keep the keyboard where it was when the list is drawn again.
    if (focusedId) {
      var again = list.querySelector('[data-member-action="' + focusedId + '"]');
      if (again) { again.focus(); }
    }
  }

  function renderFacilitator() {
    var lock = $("room-lock");
    lock.textContent = locked ? t("room.fac.unlock") : t("room.fac.lock");
    lock.setAttribute("aria-pressed", locked ? "true" : "false");
    var hl = $("room-held");
    hl.textContent = "";
    var seqs = Object.keys(held).map(Number).sort(function (a, b) { return a - b; });
    if (!seqs.length) { hl.appendChild(el("li", { "class": "hint" }, t("room.fac.held_none"))); }
    seqs.forEach(function (seq) {
      var ev = held[seq];
      var li = el("li", null, nameOf(ev.actor) + ": ");
      li.appendChild(el("span", { "class": "text" }, ev.text));
      li.appendChild(document.createTextNode(" "));
      li.appendChild(button(t("room.fac.release"), function () { send({ type: "release", seq: seq }); }));
      hl.appendChild(li);
    });
    var body = $("room-voice").querySelector("tbody");
    body.textContent = "";
    var ids = {};
    present.forEach(function (m) { ids[m.id] = true; });
    Object.keys(voice).forEach(function (id) { ids[id] = true; });
    Object.keys(ids).map(Number).sort(function (a, b) {
      return ((voice[a] || {}).chars || 0) - ((voice[b] || {}).chars || 0);
    }).forEach(function (id) {
      var v = voice[id] || { messages: 0, chars: 0 };
      var tr = el("tr");
      tr.appendChild(el("th", { scope: "row" }, nameOf(id)));
      tr.appendChild(el("td", null, String(v.messages)));
      tr.appendChild(el("td", null, String(v.chars)));
      body.appendChild(tr);
    });
  }

  function button(label, fn) {
    var b = el("button", { type: "button" }, label);
    b.addEventListener("click", fn);
    return b;
  }

  // ---- what the member does ----
  function sendMessage() {
    var text = textArea.value.trim();
    if (!text) { return; }
    var key = newKey();
    pending[key] = text;
    savePending();
    var li = el("li", { "class": "pending", "data-key": key });
    li.appendChild(el("span", { "class": "who" }, pseud(me)));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(el("span", { "class": "text" }, text));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(el("em", { "class": "hint" }, ws ? t("room.sending") : t("room.not_sent")));
    pendingEls[key] = li;
    log.appendChild(li);
    scroller.scrollTop = scroller.scrollHeight;
    textArea.value = "";
    textArea.focus();
    send({ type: "send", key: key, text: text });
  }

  $("room-send").addEventListener("submit", function (e) { e.preventDefault(); sendMessage(); });
  textArea.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); sendMessage(); }
  });
  handBtn.addEventListener("click", function () { send({ type: "hand", on: hands.indexOf(me) < 0 }); });
  $("room-done").addEventListener("click", function () { send({ type: "done" }); });
  $("room-pass").addEventListener("click", function () { send({ type: "pass" }); });

  if (facilitator) {
    $("room-floor-clear").addEventListener("click", function () { send({ type: "floor", member: 0 }); });
    $("room-round-form").addEventListener("submit", function (e) {
      e.preventDefault();
      var secs = parseInt($("room-round-seconds").value, 10) || 0;
      send({ type: "round_start", round: $("room-round-kind").value, question: $("room-round-question").value.trim(), seconds: secs });
    });
    $("room-round-next").addEventListener("click", function () { send({ type: "round_next" }); });
    $("room-round-end").addEventListener("click", function () { send({ type: "round_end" }); });
    $("room-lock").addEventListener("click", function () { send({ type: locked ? "unlock" : "lock" }); });
    $("room-end").addEventListener("click", function () {
      if (window.confirm(t("room.fac.end_confirm"))) { send({ type: "end" }); }
    });
  }

  // Messages left unsent by a reload are shown as pending and go out once
  // connected.
  Object.keys(pending).forEach(function (key) {
    var li = el("li", { "class": "pending", "data-key": key });
    li.appendChild(el("span", { "class": "who" }, t("room.you")));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(el("span", { "class": "text" }, pending[key]));
    li.appendChild(document.createTextNode(" "));
    li.appendChild(el("em", { "class": "hint" }, t("room.not_sent")));
    pendingEls[key] = li;
    log.appendChild(li);
  });

  window.addEventListener("online", function () { if (!ws && !closedForGood) { connect(); } });
  connect();
})();
