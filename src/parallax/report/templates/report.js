/* Parallax report behaviour: tooltips, technique and link thresholds, linked passages, jumps.
   Runs inlined in the standalone file or loaded as an external file (/static/report.js, at the
   end of the body or with defer) under a strict CSP: no eval, no inline handlers, and text is
   set with textContent or DOM creation only, never as HTML. */
(function () {
  "use strict";
  var RATE_WORDS = 1000;  // technique rates are per 1,000 words, as parallax.text.RATE_WORDS
  var LINKING = /^[LX]\d+$/;  // links and conflicts: keys shared by passages in two articles
  var GAP = 10;  // px between the tooltip (or partner list) and what it must not cover
  var MARGIN = 8;  // px kept free at the viewport's edges
  var GRID = 24;  // px between the fallback positions tried for the tooltip
  var SETTLE_MS = 160;  // a scroll quiet this long has ended (smooth scrolls fire every frame)

  // Python's "%.Nf" (and round(x, N)): the double's exact decimal value, ties to even, so a
  // figure recomputed here reads as the one the server rendered.
  function pyFixed(x, digits) {
    var exact = x.toFixed(100);
    var point = exact.indexOf(".");
    var kept = exact.slice(0, point + 1 + digits);
    var rest = exact.slice(point + 1 + digits);
    var lastDigit = Number(kept.charAt(kept.length - 1 - (digits ? 0 : 1)));
    var tie = rest.charAt(0) === "5" && !/[1-9]/.test(rest.slice(1));
    var up = rest.charAt(0) > "5" || (rest.charAt(0) === "5" && !tie) || (tie && lastDigit % 2 === 1);
    var value = Number(digits ? kept : kept.slice(0, -1));
    return (up ? value + Math.pow(10, -digits) : value).toFixed(digits);
  }
  function perThousand(count, words) {
    return words ? Number(pyFixed(count * RATE_WORDS / words, 2)) : 0;
  }
  function plural(count, noun) {
    return count.toLocaleString("en-US") + " " + noun + (count === 1 ? "" : "s");
  }
  function each(selector, fn, scope) {
    Array.prototype.forEach.call((scope || document).querySelectorAll(selector), fn);
  }

  function start() {
    var holder = document.getElementById("px-data");
    if (!holder) { return; }
    var data = JSON.parse(holder.textContent);
    var info = data.info;
    var root = document.getElementById("px-report") || document.body;
    var threshold = data.threshold;
    var linkThreshold = data.link_threshold;
    var tip = document.getElementById("tip");
    var popup = document.getElementById("partners");
    var slider = document.getElementById("threshold");
    var number = document.getElementById("threshold-number");
    var linkSlider = document.getElementById("link-threshold");
    var techniques = Object.keys(info).filter(isTechnique);
    var links = Object.keys(info).filter(function (k) { return info[k].kind === "link"; });

    function keysOf(el) { return (el.getAttribute("data-k") || "").split(" ").filter(Boolean); }
    function isTechnique(key) { return info[key] && info[key].kind === "technique"; }
    function visible(key) { return !isTechnique(key) || info[key].score >= threshold; }
    function linking(el) { return keysOf(el).filter(function (k) { return LINKING.test(k) && info[k]; }); }
    function withKey(key, scope) { return (scope || document).querySelectorAll('[data-k~="' + key + '"]'); }
    function clamp(value, low, high) { return Math.max(low, Math.min(value, high)); }

    // --- technique figures: spans, badges, counts and rates all follow the slider ---------
    function setRates(counts) {
      var words = data.words;
      var rows = root.querySelectorAll("tr.tech-row");
      var rates = [], top = 0;
      Array.prototype.forEach.call(rows, function (row) {
        var label = row.getAttribute("data-technique");
        var perArticle = words.map(function (w, article) { return perThousand(counts[article][label] || 0, w); });
        perArticle.forEach(function (rate) { top = Math.max(top, rate); });
        rates.push(perArticle);
      });
      top = top || 1;
      Array.prototype.forEach.call(rows, function (row, number) {
        row.classList.toggle("off", !rates[number].some(Boolean));
        each("td.rate", function (cell) {
          var rate = rates[number][Number(cell.getAttribute("data-article"))];
          cell.querySelector(".rate-value").textContent = pyFixed(rate, 1);
          cell.querySelector("rect").setAttribute("width", pyFixed(100 * rate / top, 1) + "%");
        }, row);
      });
      each("tr.total td.rate", function (cell) {
        var article = Number(cell.getAttribute("data-article"));
        var total = Object.keys(counts[article]).reduce(function (sum, k) { return sum + counts[article][k]; }, 0);
        cell.querySelector(".rate-value").textContent = pyFixed(perThousand(total, words[article]), 1);
      }, root);
      each(".tech-none", function (el) { el.hidden = rates.some(function (r) { return r.some(Boolean); }); }, root);
    }

    function applyThreshold(value) {
      threshold = clamp(isNaN(value) ? data.threshold : value, 0, 1);
      slider.value = threshold;
      number.value = threshold;
      each(".seg.tech", function (el) {
        el.classList.toggle("tech-on", keysOf(el).some(function (k) { return isTechnique(k) && visible(k); }));
      }, root);
      each(".tag", function (el) { el.classList.toggle("off", !visible(el.getAttribute("data-key"))); }, root);
      var counts = data.words.map(function () { return {}; });
      var shown = 0;
      techniques.filter(visible).forEach(function (key) {
        var entry = info[key];
        counts[entry.article][entry.label] = (counts[entry.article][entry.label] || 0) + 1;
        shown += 1;
      });
      var counter = document.getElementById("tech-shown");
      counter.textContent = shown + " of " + plural(techniques.length, "technique span") + " shown";
      counter.setAttribute("data-shown", shown);
      each(".tech-count", function (el) {
        var perLabel = counts[Number(el.getAttribute("data-article"))] || {};
        el.textContent = plural(Object.keys(perLabel).reduce(function (s, k) { return s + perLabel[k]; }, 0),
                                "technique span");
      }, root);
      setRates(counts);
    }
    slider.addEventListener("input", function () { applyThreshold(parseFloat(slider.value)); });
    number.addEventListener("change", function () { applyThreshold(parseFloat(number.value)); });

    // --- link strength: links under the link threshold are dimmed -----------------------
    function applyLinkThreshold(value) {
      linkThreshold = clamp(isNaN(value) ? data.link_threshold : value, 0, 1);
      each(".seg.lnk", function (el) {
        var scores = keysOf(el).filter(function (k) { return info[k] && info[k].kind === "link"; })
          .map(function (k) { return info[k].score; });
        el.classList.toggle("lnk-dim", scores.length > 0 && Math.max.apply(null, scores) < linkThreshold);
      }, root);
      var output = document.getElementById("link-threshold-value");
      if (output) { output.textContent = linkThreshold.toFixed(2); }
      var counter = document.getElementById("links-shown");
      if (counter) {
        var strong = links.filter(function (k) { return info[k].score >= linkThreshold; }).length;
        counter.textContent = strong + " of " + plural(links.length, "link") + " at full strength";
        counter.setAttribute("data-shown", strong);
      }
    }
    if (linkSlider) {
      linkSlider.addEventListener("input", function () { applyLinkThreshold(parseFloat(linkSlider.value)); });
    }

    // --- tooltip: placed where it covers neither the passage nor any lit partner ---------
    // One tooltip block per key; a link shows the partner's side only (the reader is on the other).
    function block(entry, here) {
      var part = document.createElement("div");
      part.className = "tip-block tip-" + entry.kind + (entry.relation ? " tip-" + entry.relation : "");
      var title = document.createElement("strong");
      title.textContent = entry.title;
      part.appendChild(title);
      if (entry.strength_label) {
        var weak = entry.score < linkThreshold;
        var badge = document.createElement("span");
        badge.className = "tip-strength s" + entry.strength + (weak ? " dim" : "");
        badge.textContent = entry.strength_label + (weak ? ", below the link threshold" : "");
        part.appendChild(badge);
      }
      var lines = entry.lines || [];
      if (entry.kind === "link") {
        lines = lines.filter(function (line, i) { return entry.articles[i] !== here || entry.articles[0] === entry.articles[1]; });
      }
      lines.forEach(function (line) {
        if (!line) { return; }
        var row = document.createElement("div");
        row.textContent = line;
        part.appendChild(row);
      });
      return part;
    }
    function overlap(x, y, w, h, rects) {
      return rects.reduce(function (sum, r) {
        var dx = Math.min(x + w, r.right) - Math.max(x, r.left);
        var dy = Math.min(y + h, r.bottom) - Math.max(y, r.top);
        return sum + (dx > 0 && dy > 0 ? dx * dy : 0);
      }, 0);
    }
    // Where the box covers no lit partner passage (in another column), then as little of the
    // passage itself as can be, then is nearest the passage: next to it, else anywhere on a
    // grid over the viewport (a tall tooltip beside a long passage may fit nowhere near it).
    function place(box, anchor) {
      var column = anchor.closest(".col"), partner = [], own = [];
      lit.concat([anchor]).forEach(function (el) {
        var list = el.closest(".col") === column ? own : partner;
        Array.prototype.forEach.call(el.getClientRects(), function (r) { list.push(r); });
      });
      var at = anchor.getClientRects()[0] || anchor.getBoundingClientRect();
      var w = box.offsetWidth, h = box.offsetHeight;
      var right = Math.max(MARGIN, document.documentElement.clientWidth - w - MARGIN);
      var bottom = Math.max(MARGIN, window.innerHeight - h - MARGIN);
      var candidates = [[at.left, at.bottom + GAP], [at.left, at.top - h - GAP], [at.right + GAP, at.top],
        [at.left - w - GAP, at.top], [right, bottom]];
      for (var y = MARGIN; y <= bottom; y += GRID) {
        for (var x = MARGIN; x <= right; x += GRID) { candidates.push([x, y]); }
      }
      var best = null;
      candidates.forEach(function (c) {
        var x = clamp(c[0], MARGIN, right), y = clamp(c[1], MARGIN, bottom);
        var cost = [overlap(x, y, w, h, partner), overlap(x, y, w, h, own),
          Math.abs(x + w / 2 - (at.left + at.right) / 2) + Math.abs(y + h / 2 - (at.top + at.bottom) / 2)];
        if (!best || cost[0] < best.cost[0] || (cost[0] === best.cost[0] &&
            (cost[1] < best.cost[1] || (cost[1] === best.cost[1] && cost[2] < best.cost[2])))) {
          best = { x: x, y: y, cost: cost };
        }
      });
      box.style.left = best.x + "px";  // CSSOM, which a CSP allows (unlike a style attribute)
      box.style.top = best.y + "px";
    }
    function showTip(el) {
      var column = el.closest(".col");
      var here = column ? Number(column.getAttribute("data-article")) : -1;
      tip.textContent = "";
      keysOf(el).forEach(function (key) {
        if (info[key] && visible(key)) { tip.appendChild(block(info[key], here)); }
      });
      var count = column ? partners(el).length : 0;
      if (count) {
        var hint = document.createElement("div");
        hint.className = "tip-hint";
        hint.textContent = count === 1 ? "Click or press Enter to jump to the partner passage."
          : "Click or press Enter to choose one of " + count + " partner passages.";
        tip.appendChild(hint);
      }
      tip.hidden = !tip.firstChild;
      if (!tip.hidden) { place(tip, el); }
    }

    var lit = [];
    function highlight(keys) {
      lit.forEach(function (el) { el.classList.remove("hl"); });
      lit = [];
      keys.forEach(function (key) {
        each('[data-k~="' + key + '"]', function (el) { el.classList.add("hl"); lit.push(el); }, root);
      });
    }
    function hover(seg) {
      highlight(seg ? linking(seg) : []);
      if (seg) { showTip(seg); } else { tip.hidden = true; }
    }

    // --- jumps: a click (or Enter/Space) reaches the partner; with several, a list of them ---
    function jump(key, article, focus) {
      var column = document.getElementById("col-" + article);
      var targets = column ? withKey(key, column) : [];
      if (!targets.length) { return false; }
      targets[0].scrollIntoView({ behavior: "smooth", block: "center" });
      Array.prototype.forEach.call(targets, function (el) {
        el.classList.remove("flash");
        void el.offsetWidth;  // restart the animation on a second click
        el.classList.add("flash");
      });
      var stop = Array.prototype.filter.call(targets, function (el) { return el.hasAttribute("tabindex"); })[0];
      if (focus && stop) { stop.focus({ preventScroll: true }); }
      return true;
    }
    function partners(seg) {
      var here = Number(seg.closest(".col").getAttribute("data-article"));
      var found = [], seen = {};
      linking(seg).forEach(function (key) {
        (info[key].articles || []).forEach(function (article) {
          if (article !== here && !seen[key + ":" + article]) {
            seen[key + ":" + article] = true;
            found.push({ key: key, article: article });
          }
        });
      });
      return found;
    }
    function closePopup() { popup.hidden = true; popup.textContent = ""; }
    function openPopup(seg, found, focus) {
      closePopup();
      var heading = document.createElement("div");
      heading.className = "partners-head";
      heading.textContent = "Jump to a partner passage:";
      popup.appendChild(heading);
      found.forEach(function (partner) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "partner";
        button.setAttribute("data-jump-key", partner.key);
        button.setAttribute("data-article", partner.article);
        button.textContent = (data.names[partner.article] || "Article " + (partner.article + 1)) + ": " +
          info[partner.key].title;
        button.addEventListener("click", function () { closePopup(); jump(partner.key, partner.article, focus); });
        popup.appendChild(button);
      });
      tip.hidden = true;  // the list takes the tooltip's place
      popup.hidden = false;
      place(popup, seg);
      if (focus) { popup.querySelector("button").focus(); }
    }
    function activate(seg, focus) {
      var found = partners(seg);
      if (found.length === 1) { closePopup(); jump(found[0].key, found[0].article, focus); }
      if (found.length > 1) { openPopup(seg, found, focus); }
    }

    var pointed = null;  // the passage under the mouse
    document.addEventListener("mouseover", function (event) {
      var seg = event.target.closest ? event.target.closest(".seg") : null;
      pointed = seg;
      if (seg || !root.contains(document.activeElement) || !document.activeElement.classList.contains("seg")) {
        hover(seg);
      }
    });
    document.addEventListener("focusin", function (event) {
      if (event.target.classList && event.target.classList.contains("seg")) { hover(event.target); }
    });
    document.addEventListener("focusout", function (event) {
      if (event.target.classList && event.target.classList.contains("seg")) { hover(null); }
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && !popup.hidden) { closePopup(); return; }
      var seg = event.target;
      if ((event.key === "Enter" || event.key === " ") && seg.classList && seg.classList.contains("seg")) {
        event.preventDefault();  // Space would scroll the page
        activate(seg, true);
      }
    });
    document.addEventListener("click", function (event) {
      if (!event.target.closest) { return; }
      if (!popup.contains(event.target)) { closePopup(); }
      var link = event.target.closest("[data-jump]");
      if (link) {
        if (jump(link.getAttribute("data-jump"), link.getAttribute("data-article"), false)) { event.preventDefault(); }
        return;
      }
      var seg = event.target.closest(".seg");
      if (seg && seg.closest(".col")) { activate(seg, false); }
    });

    // --- phone: collapsible toolbar, sticky outlet names under it, sideways-scroll hints ---
    var toolbar = document.getElementById("toolbar");
    var toggle = document.getElementById("toolbar-toggle");
    if (toolbar && toggle) {
      toolbar.classList.add("compact-ready");
      toggle.setAttribute("aria-expanded", "false");
      toggle.addEventListener("click", function () {
        var open = toolbar.classList.toggle("open");
        toggle.setAttribute("aria-expanded", String(open));
        measure();
      });
    }
    function measure() {
      if (toolbar) { root.style.setProperty("--px-toolbar-h", toolbar.offsetHeight + "px"); }
      each(".scroll-box", function (box) {
        var pane = box.querySelector(".scroll-x");
        box.classList.add("measured");
        box.classList.toggle("overflows", pane.scrollWidth > pane.clientWidth + 1);
        box.classList.toggle("at-end", pane.scrollLeft + pane.clientWidth >= pane.scrollWidth - 1);
      }, root);
    }
    each(".scroll-x", function (pane) { pane.addEventListener("scroll", measure, { passive: true }); }, root);
    window.addEventListener("resize", measure);
    // Tooltip and partner list are placed by passages that any scroll (page or column, a jump's
    // included) moves: both go; once the scroll settles a focused passage gets its tooltip back.
    var settle = null;
    document.addEventListener("scroll", function () {
      if (!popup.hidden) { closePopup(); }
      tip.hidden = true;
      clearTimeout(settle);
      settle = setTimeout(function () {
        var active = document.activeElement;
        if (active && active.classList && active.classList.contains("seg") && root.contains(active)) {
          hover(active);
        } else if (pointed && pointed.matches(":hover")) {
          hover(pointed);
        }
      }, SETTLE_MS);
    }, true);

    var unique = document.getElementById("show-unique");
    if (unique) {
      unique.addEventListener("change", function () { root.classList.toggle("show-unique", unique.checked); });
    }
    var download = document.getElementById("download-json");
    if (download) {
      download.addEventListener("click", function () {
        var blob = new Blob([JSON.stringify(data.document, null, 2)], { type: "application/json" });
        var anchor = document.createElement("a");
        anchor.href = URL.createObjectURL(blob);
        anchor.download = "parallax.json";
        document.body.appendChild(anchor);
        anchor.click();
        setTimeout(function () { URL.revokeObjectURL(anchor.href); anchor.remove(); }, 0);
      });
    }

    applyThreshold(threshold);
    applyLinkThreshold(linkThreshold);
    measure();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
