/* sinmun reader page helper: the view beacon and the like (추천) button.
 * The page works without this script: reading needs none of it, and the like
 * button falls back to a small page with a form. The page itself is cached and
 * carries nothing per visitor; the CSRF token comes from /reader/…/state/. */
(function () {
  "use strict";
  var root = document.querySelector("[data-reader-article]");
  if (!root || !window.fetch) return;
  var base = root.getAttribute("data-reader-base");

  function countView() {
    var url = base + "view/";
    if (navigator.sendBeacon && navigator.sendBeacon(url)) return;
    fetch(url, { method: "POST", keepalive: true, credentials: "omit" }).catch(function () {});
  }
  // Counted once the page has loaded and its largest text or photo is on screen (the
  // LCP), so the beacon never competes with the text and the stylesheet for a phone's
  // first round trips nor delays that paint. Browsers without the LCP entry count a second
  // after the first frame. A prerendered page is counted only when the reader opens it.
  function afterPaint() {
    var sent = false;
    function once() {
      if (!sent) { sent = true; countView(); }
    }
    var types = window.PerformanceObserver && PerformanceObserver.supportedEntryTypes;
    if (types && types.indexOf("largest-contentful-paint") >= 0) {
      new PerformanceObserver(function (list, observer) {
        observer.disconnect();
        setTimeout(once, 0);
      }).observe({ type: "largest-contentful-paint", buffered: true });
    }
    requestAnimationFrame(function () { setTimeout(once, 1000); });
  }
  function afterLoad() {
    if (document.readyState === "complete") {
      afterPaint();
    } else {
      window.addEventListener("load", afterPaint, { once: true });
    }
  }
  if (document.prerendering) {
    document.addEventListener("prerenderingchange", afterLoad, { once: true });
  } else {
    afterLoad();
  }

  var form = document.querySelector("[data-testid=like-form]");
  if (!form) return;
  var button = form.querySelector("button");
  var count = form.querySelector("[data-testid=like-count]");
  var status = document.querySelector("[data-testid=like-status]");
  var state = null;

  function show(data) {
    if (typeof data.likes === "number") count.textContent = String(data.likes);
    if (data.liked || data.added === false || data.added === true) {
      button.setAttribute("aria-pressed", "true");
    }
    if (status && data.message) status.textContent = data.message;
  }

  function loadState() {
    if (state) return Promise.resolve(state);
    return fetch(base + "state/", { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) { state = data; show(data); return data; });
  }

  // Fetch the token when the reader shows interest, not on every page view.
  button.addEventListener("pointerenter", function () { loadState().catch(function () {}); }, { once: true });
  button.addEventListener("focus", function () { loadState().catch(function () {}); }, { once: true });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    if (button.disabled) return;
    button.disabled = true;
    loadState()
      .then(function (s) {
        return fetch(base + "like/", {
          method: "POST",
          credentials: "same-origin",
          headers: { Accept: "application/json", "X-CSRFToken": s.csrfToken },
        });
      })
      .then(function (r) { return r.json(); })
      .then(show)
      .catch(function () { form.submit(); })
      .then(function () { button.disabled = false; });
  });
})();
