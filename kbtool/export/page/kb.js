// kbtool study page: search, filters, drill mode and theme. Reads only the DOM the
// exporter wrote; fetches nothing. Runs under a CSP that allows this script alone.
// It sits before the entries, so search and filters work while a big page is still
// being read: the entries are a live collection, indexed as they are first searched.
(function () {
  "use strict";
  var doc = document;
  var live = doc.getElementsByClassName("entry");
  var query = doc.getElementById("q");
  var count = doc.getElementById("count");
  var selects = Array.prototype.slice.call(doc.querySelectorAll("select[data-key]"));
  var texts = new WeakMap(); // article -> normalized title + answer
  var loaded = doc.readyState !== "loading";

  function norm(text) {
    return text.toLowerCase().replace(/ё/g, "е");
  }

  function articlesNow() {
    return Array.prototype.slice.call(live);
  }

  function searchText(a) {
    var text = texts.get(a);
    if (text === undefined) {
      var title = a.querySelector("h2");
      var answer = a.querySelector(".answer");
      text = norm((title ? title.textContent : "") + "\n" + (answer ? answer.textContent : ""));
      texts.set(a, text);
    }
    return text;
  }

  function matchesFilters(a) {
    for (var i = 0; i < selects.length; i++) {
      var key = selects[i].getAttribute("data-key");
      var want = selects[i].value;
      if (!want) continue;
      if (key === "tag") {
        if ((" " + a.getAttribute("data-tags") + " ").indexOf(" " + want + " ") < 0) return false;
      } else if (a.getAttribute("data-" + key) !== want) {
        return false;
      }
    }
    return true;
  }

  function apply() {
    var words = norm(query.value).split(/\s+/).filter(Boolean);
    var articles = articlesNow();
    var shown = 0;
    for (var i = 0; i < articles.length; i++) {
      var ok = matchesFilters(articles[i]);
      if (ok && words.length) {
        var text = searchText(articles[i]);
        for (var w = 0; ok && w < words.length; w++) ok = text.indexOf(words[w]) >= 0;
      }
      if (articles[i].hidden !== !ok) articles[i].hidden = !ok;
      if (ok) shown++;
    }
    count.textContent = shown + " of " + articles.length + (loaded ? "" : "+") + " shown";
    var set = selects.filter(function (s) {
      return s.value;
    }).length;
    tools.toggle.textContent = "Filters" + (set ? " (" + set + ")" : ""); // folded on a phone
    count.setAttribute("data-shown", String(shown));
    if (drill.on) drill.start(false);
    return shown;
  }

  // Drill: one entry at a time from those shown, answer hidden until asked for.
  var drill = {
    on: false,
    order: [],
    at: 0,
    bar: doc.getElementById("drillbar"),
    left: doc.getElementById("left"),
    start: function (shuffle) {
      var old = drill.order[drill.at];
      if (old) old.classList.remove("current", "revealed");
      drill.on = true;
      doc.body.classList.add("drilling");
      drill.bar.hidden = false;
      drill.order = articlesNow().filter(function (a) {
        return !a.hidden;
      });
      if (shuffle) {
        for (var i = drill.order.length - 1; i > 0; i--) {
          var j = Math.floor(Math.random() * (i + 1));
          var t = drill.order[i];
          drill.order[i] = drill.order[j];
          drill.order[j] = t;
        }
      }
      drill.show(0);
    },
    stop: function () {
      drill.on = false;
      doc.body.classList.remove("drilling");
      drill.bar.hidden = true;
      drill.order.forEach(function (a) {
        a.classList.remove("current", "revealed");
      });
    },
    show: function (at) {
      var n = drill.order.length;
      var before = drill.order[drill.at];
      if (before) before.classList.remove("current", "revealed");
      drill.at = Math.max(0, Math.min(at, n - 1));
      if (n) drill.order[drill.at].classList.add("current");
      var left = n ? n - drill.at - 1 : 0;
      drill.left.textContent = n ? drill.at + 1 + " / " + n + " · " + left + " left" : "nothing to drill";
      drill.left.setAttribute("data-left", String(left));
    },
    reveal: function () {
      var a = drill.order[drill.at];
      if (a) a.classList.add("revealed");
    },
  };

  function setFilter(key, value) {
    selects.forEach(function (s) {
      if (s.getAttribute("data-key") === key) s.value = s.value === value ? "" : value;
    });
    apply();
  }

  // On a phone the filters and buttons fold behind one button, and the figures above
  // the entries start folded (kb.css): together they filled the first screen.
  var tools = { toggle: doc.getElementById("tools-toggle"), bar: doc.querySelector("header.bar") };
  tools.toggle.addEventListener("click", function () {
    var open = tools.bar.classList.toggle("tools");
    tools.toggle.setAttribute("aria-expanded", String(open));
  });
  var coverage = doc.getElementById("coverage");
  if (coverage && window.matchMedia && window.matchMedia("(max-width: 40rem)").matches) {
    coverage.open = false;
  }

  // The bar stays at the top of the window: a jump to an entry or a heading (a link,
  // #id in the address) stops below it; the entry's title was hidden under it.
  // The browser can still leave the target under the bar: it jumps before the bar
  // has its height, or while the entries above, drawn only when near the window
  // (content-visibility), have estimated heights. Once drawn, the jump is made again.
  var bar = doc.querySelector("header.bar");
  var barNow = -1;
  function reachTarget() {
    var id = location.hash && decodeURIComponent(location.hash.slice(1));
    var target = id && doc.getElementById(id);
    var top = target ? target.getBoundingClientRect().top : -1;
    if (top >= 0 && top < barNow) target.scrollIntoView();
  }
  function afterDrawing() {
    requestAnimationFrame(function () {
      requestAnimationFrame(reachTarget);
    });
  }
  function barHeight() {
    if (bar.offsetHeight === barNow) return;
    barNow = bar.offsetHeight;
    doc.documentElement.style.setProperty("--bar", barNow + "px");
    reachTarget();
  }
  barHeight();
  if (window.ResizeObserver) new ResizeObserver(barHeight).observe(bar);
  window.addEventListener("load", afterDrawing);
  window.addEventListener("hashchange", afterDrawing);

  query.addEventListener("input", apply);
  selects.forEach(function (s) {
    s.addEventListener("change", apply);
  });
  doc.getElementById("drill").addEventListener("click", function () {
    drill.start(false);
  });
  doc.getElementById("shuffle").addEventListener("click", function () {
    drill.start(true);
  });
  doc.getElementById("reveal").addEventListener("click", drill.reveal);
  doc.getElementById("next").addEventListener("click", function () {
    drill.show(drill.at + 1);
  });
  doc.getElementById("prev").addEventListener("click", function () {
    drill.show(drill.at - 1);
  });
  doc.getElementById("stop").addEventListener("click", drill.stop);
  doc.getElementById("reset").addEventListener("click", function () {
    query.value = "";
    selects.forEach(function (s) {
      s.value = "";
    });
    apply();
  });
  doc.addEventListener("click", function (event) {
    var a = event.target.closest && event.target.closest("article.current");
    if (drill.on && a && !(event.target.closest("a"))) drill.reveal();
  });
  Array.prototype.forEach.call(doc.querySelectorAll("[data-filter]"), function (bar) {
    bar.addEventListener("click", function () {
      setFilter(bar.getAttribute("data-filter"), bar.getAttribute("data-value"));
    });
    bar.addEventListener("keydown", function (event) {
      if (event.key === "Enter") setFilter(bar.getAttribute("data-filter"), bar.getAttribute("data-value"));
    });
  });
  doc.addEventListener("keydown", function (event) {
    var typing = event.target === query || event.target.tagName === "SELECT";
    if (!drill.on || typing || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === " ") {
      event.preventDefault();
      drill.reveal();
    } else if (event.key === "ArrowRight" || event.key === "ArrowDown") {
      event.preventDefault();
      drill.show(drill.at + 1);
    } else if (event.key === "ArrowLeft" || event.key === "ArrowUp") {
      event.preventDefault();
      drill.show(drill.at - 1);
    } else if (event.key === "Escape") {
      drill.stop();
    }
  });

  // Theme: the system's by default; the toggle overrides it for this page.
  var root = doc.documentElement;
  function dark() {
    var set = root.getAttribute("data-theme");
    if (set) return set === "dark";
    return window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches;
  }
  doc.getElementById("theme").addEventListener("click", function () {
    var next = dark() ? "light" : "dark";
    root.setAttribute("data-theme", next);
    try {
      localStorage.setItem("kb-theme", next);
    } catch (e) {
      /* storage may be off for file: pages */
    }
  });
  try {
    var saved = localStorage.getItem("kb-theme");
    if (saved === "dark" || saved === "light") root.setAttribute("data-theme", saved);
  } catch (e) {
    /* ignore */
  }

  window.kb = { apply: apply, drill: drill, setFilter: setFilter };
  if (window.performance && performance.mark) performance.mark("kb-ready"); // for benchmarks
  function whenRead() {
    loaded = true;
    apply(); // the entries read since the last search or filter
    var rest = articlesNow();
    var next = 0;
    function index(deadline) {
      // the search index in idle time, so the first search is as quick as the next
      while (next < rest.length && deadline.timeRemaining() > 2) searchText(rest[next++]);
      if (next < rest.length) window.requestIdleCallback(index);
    }
    if (window.requestIdleCallback) window.requestIdleCallback(index);
  }
  if (loaded) whenRead();
  else doc.addEventListener("DOMContentLoaded", whenRead);
})();
