/* Parallax report behaviour: tooltips, technique threshold, linked passages, jumps.
   Tooltip text is set with textContent only, never as HTML. */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("px-data").textContent);
  var info = data.info;
  var threshold = data.threshold;
  var tip = document.getElementById("tip");
  var slider = document.getElementById("threshold");
  var number = document.getElementById("threshold-number");
  var LINKING = /^[LX]\d+$/;  // links and conflicts: keys shared by passages in two articles

  function keysOf(el) {
    return (el.getAttribute("data-k") || "").split(" ").filter(Boolean);
  }
  function isTechnique(key) {
    return info[key] && info[key].kind === "technique";
  }
  function visible(key) {
    return !isTechnique(key) || info[key].score >= threshold;
  }
  function withKey(key, scope) {
    return (scope || document).querySelectorAll('[data-k~="' + key + '"]');
  }

  function applyThreshold(value) {
    threshold = Math.min(1, Math.max(0, isNaN(value) ? data.threshold : value));
    slider.value = threshold;
    number.value = threshold;
    document.querySelectorAll(".seg.tech").forEach(function (el) {
      el.classList.toggle("tech-on", keysOf(el).some(function (k) { return isTechnique(k) && visible(k); }));
    });
    document.querySelectorAll(".tag").forEach(function (el) {
      el.classList.toggle("off", !visible(el.getAttribute("data-key")));
    });
    var techniques = Object.keys(info).filter(isTechnique);
    var shown = techniques.filter(visible).length;
    document.getElementById("tech-shown").textContent =
      shown + " of " + techniques.length + " technique span" + (techniques.length === 1 ? "" : "s") + " shown";
  }
  slider.addEventListener("input", function () { applyThreshold(parseFloat(slider.value)); });
  number.addEventListener("change", function () { applyThreshold(parseFloat(number.value)); });

  function showTip(el, event) {
    tip.textContent = "";
    keysOf(el).forEach(function (key) {
      var entry = info[key];
      if (!entry || !visible(key)) { return; }
      var block = document.createElement("div");
      block.className = "tip-block tip-" + entry.kind;
      var title = document.createElement("strong");
      title.textContent = entry.title;
      block.appendChild(title);
      (entry.lines || []).forEach(function (line) {
        if (!line) { return; }
        var row = document.createElement("div");
        row.textContent = line;
        block.appendChild(row);
      });
      tip.appendChild(block);
    });
    tip.hidden = !tip.firstChild;
    moveTip(event);
  }
  function moveTip(event) {
    if (tip.hidden) { return; }
    var x = Math.min(event.clientX + 14, window.innerWidth - tip.offsetWidth - 8);
    var y = event.clientY + 18;
    if (y + tip.offsetHeight > window.innerHeight - 8) { y = event.clientY - tip.offsetHeight - 12; }
    tip.style.left = Math.max(8, x) + "px";
    tip.style.top = Math.max(8, y) + "px";
  }

  var lit = [];
  function highlight(keys) {
    lit.forEach(function (el) { el.classList.remove("hl"); });
    lit = [];
    keys.forEach(function (key) {
      withKey(key).forEach(function (el) { el.classList.add("hl"); lit.push(el); });
    });
  }

  document.addEventListener("mouseover", function (event) {
    var seg = event.target.closest ? event.target.closest(".seg") : null;
    if (!seg) { highlight([]); tip.hidden = true; return; }
    highlight(keysOf(seg).filter(function (k) { return LINKING.test(k); }));
    showTip(seg, event);
  });
  document.addEventListener("mousemove", moveTip);

  function jump(key, article) {
    var column = document.getElementById("col-" + article);
    var targets = withKey(key, column);
    if (!targets.length) { return false; }
    targets[0].scrollIntoView({ behavior: "smooth", block: "center" });
    targets.forEach(function (el) {
      el.classList.remove("flash");
      void el.offsetWidth;  // restart the animation on a second click
      el.classList.add("flash");
    });
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-jump]") : null;
    if (link) {
      if (jump(link.getAttribute("data-jump"), link.getAttribute("data-article"))) { event.preventDefault(); }
      return;
    }
    var seg = event.target.closest ? event.target.closest(".seg") : null;
    if (!seg) { return; }
    var here = Number(seg.closest(".col").getAttribute("data-article"));
    var key = keysOf(seg).filter(function (k) { return LINKING.test(k); })[0];
    if (!key) { return; }
    var partner = (info[key].articles || []).filter(function (a) { return a !== here; })[0];
    if (partner !== undefined) { jump(key, partner); }
  });

  var unique = document.getElementById("show-unique");
  if (unique) {
    unique.addEventListener("change", function () { document.body.classList.toggle("show-unique", unique.checked); });
  }

  document.getElementById("download-json").addEventListener("click", function () {
    var blob = new Blob([JSON.stringify(data.document, null, 2)], { type: "application/json" });
    var anchor = document.createElement("a");
    anchor.href = URL.createObjectURL(blob);
    anchor.download = "parallax.json";
    document.body.appendChild(anchor);
    anchor.click();
    setTimeout(function () { URL.revokeObjectURL(anchor.href); anchor.remove(); }, 0);
  });

  applyThreshold(threshold);
})();
