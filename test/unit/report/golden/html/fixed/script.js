(function () {
  'use strict';
  var form = document.getElementById('filters');
  if (!form) return;
  var rows = Array.prototype.slice.call(document.getElementsByClassName('r'));
  var secs = Array.prototype.slice.call(document.querySelectorAll('[data-sec]'));
  var secOf = rows.map(function (r) { return secs.indexOf(r.closest('[data-sec]')); });
  var shown = document.getElementById('shown');
  var q = form.elements.namedItem('q');
  var texts = null;
  var timer = 0;
  function checked(name) {
    var on = {};
    form.querySelectorAll('input[name="' + name + '"]').forEach(function (c) { on[c.value] = c.checked; });
    return on;
  }
  function apply() {
    var st = checked('s'), sv = checked('v'), area = form.elements.namedItem('a').value;
    var needle = q.value.trim().toLowerCase();
    // The texts are read once, on the first search: most readers never search.
    if (needle && !texts) texts = rows.map(function (r) { return r.textContent.toLowerCase(); });
    var n = 0, per = secs.map(function () { return 0; });
    for (var i = 0; i < rows.length; i++) {
      var d = rows[i].dataset;
      var ok = st[d.s] !== false && sv[d.v] !== false && (!area || d.a === area) && (!needle || texts[i].indexOf(needle) >= 0);
      rows[i].classList.toggle('x', !ok);
      if (ok) { n++; if (secOf[i] >= 0) per[secOf[i]]++; }
    }
    secs.forEach(function (s, j) {
      var c = s.querySelector('.n');
      var total = Number(c.getAttribute('data-total'));
      c.textContent = per[j] === total ? String(total) : per[j] + ' of ' + total;
      s.classList.toggle('empty-now', total > 0 && per[j] === 0);
    });
    shown.textContent = n + ' of ' + rows.length + ' checks shown';
  }
  form.addEventListener('change', apply);
  q.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(apply, 120); });
  form.addEventListener('submit', function (e) { e.preventDefault(); apply(); });
  form.addEventListener('reset', function () { setTimeout(apply, 0); });
  // A link to a check the filter hides (a symptom's cause) shows everything again rather than going nowhere.
  function reveal() {
    var t = location.hash && document.getElementById(decodeURIComponent(location.hash.slice(1)));
    if (t && t.classList.contains('x')) { form.reset(); apply(); t.scrollIntoView(); }
  }
  window.addEventListener('hashchange', reveal);
  form.hidden = false;
  apply();
})();