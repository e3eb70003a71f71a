// Hearth's live "new posts" hint on a group's board and thread pages. The
// page is complete without it: this only says, in the page's polite live
// region (#board-live), that new posts are there and offers a reload. The
// page gives the socket's address, the thread (on a thread page) and the
// two strings in data- attributes; no inline script (strict CSP).
//
// The server sends {"t":"new","thread":ID} when a post becomes visible on
// the board, nothing else. Once the hint shows, the socket is closed: there
// is nothing more to say until the reader reloads.
(function () {
  "use strict";

  var region = document.getElementById("board-live");
  if (!region || !window.WebSocket || !window.JSON) { return; }
  var path = region.getAttribute("data-live");
  if (!path || path.charAt(0) !== "/") { return; }
  var thread = region.getAttribute("data-thread") || "";
  var text = region.getAttribute("data-text") || "New posts.";
  var reload = region.getAttribute("data-reload") || "Reload";
  var shown = false;
  var failures = 0; // connections in a row that closed without opening

  function show() {
    if (shown) { return; }
    shown = true;
    // Text first, then the link: the region is announced politely once.
    region.textContent = text + " ";
    var a = document.createElement("a");
    a.href = window.location.pathname + window.location.search;
    a.id = "board-live-reload";
    a.textContent = reload;
    region.appendChild(a);
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var opened = false;
    var sock;
    try {
      sock = new WebSocket(scheme + window.location.host + path);
    } catch (e) {
      return;
    }
    sock.onopen = function () { opened = true; failures = 0; };
    sock.onmessage = function (ev) {
      var f;
      try { f = JSON.parse(ev.data); } catch (e) { return; }
      if (!f || f.t !== "new") { return; }
      if (thread && String(f.thread) !== thread) { return; }
      show();
      sock.close(1000);
    };
    sock.onclose = function () {
      if (shown) { return; }
      if (!opened) { failures++; }
      // Refused (not a reader, signed out) or the server is away: try a
      // few times, further apart, then give up quietly.
      if (failures > 5) { return; }
      var wait = opened ? 1000 : 2000 * Math.pow(2, failures);
      window.setTimeout(connect, wait + Math.floor(Math.random() * 1000));
    };
  }

  connect();
})();
