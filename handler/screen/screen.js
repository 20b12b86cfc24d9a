// The waiting hall's screen: fetches the market's public information, shows it, and refreshes itself. When
// the network drops it keeps the last information on screen, marked with its time.
(function () {
  var id = location.pathname.split('/').filter(Boolean).pop();
  var params = new URLSearchParams(location.search);
  var every = Math.max(1, Number(params.get('refresh')) || 30) * 1000;
  var units = { day: '天', hour: '小时', piece: '件' };
  var lastGood = null;

  function yuan(cents) { var v = cents / 100; return Number.isInteger(v) ? String(v) : v.toFixed(2); }
  function el(tag, cls, text) { var e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; }
  function hhmm(d) { return d.toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false, timeZone: 'Asia/Shanghai' }); }
  function distance(m) { return m < 1000 ? m + '米' : (m / 1000).toFixed(1) + '公里'; }

  function render(data) {
    document.getElementById('market-name').textContent = data.market.name;
    document.getElementById('hotline').textContent = data.market.hotline;
    document.getElementById('complaint-phone').textContent = data.market.complaint_phone;
    var list = document.getElementById('gigs');
    list.textContent = '';
    data.gigs.forEach(function (g) {
      var li = el('li');
      var top = el('div');
      top.appendChild(el('span', 'wage', yuan(g.wage_cents) + '元/' + (units[g.wage_unit] || g.wage_unit)));
      if (g.settlement === 'daily') top.appendChild(el('span', 'daily', '日结'));
      li.appendChild(top);
      li.appendChild(el('div', 'title', g.title));
      li.appendChild(el('div', 'meta', distance(g.distance_m) + ' · ' + g.start_date.slice(5) + (g.end_date !== g.start_date ? '至' + g.end_date.slice(5) : '') + ' · 还差' + g.spots_left + '人'));
      list.appendChild(li);
    });
    document.getElementById('no-gigs').hidden = data.gigs.length > 0;
    var fairs = document.getElementById('fairs');
    fairs.textContent = '';
    data.fairs_today.forEach(function (f) { fairs.appendChild(el('p', null, f.start_time + '-' + f.end_time + ' ' + f.title)); });
    document.getElementById('fair-panel').hidden = data.fairs_today.length === 0;
    var tbody = document.querySelector('#guides tbody');
    tbody.textContent = '';
    data.wage_guides.forEach(function (w) {
      var tr = el('tr');
      tr.appendChild(el('td', null, w.category));
      tr.appendChild(el('td', 'num', yuan(w.low_cents) + '–' + yuan(w.high_cents)));
      tbody.appendChild(tr);
    });
    document.getElementById('updated').textContent = hhmm(new Date(data.generated_at));
  }

  function refresh() {
    fetch('/api/v1/screen/markets/' + id, { cache: 'no-store' })
      .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
      .then(function (data) {
        lastGood = data;
        render(data);
        document.getElementById('offline').hidden = true;
        document.body.dataset.state = 'live';
      })
      .catch(function () {
        if (lastGood) {
          document.getElementById('stale-time').textContent = hhmm(new Date(lastGood.generated_at));
          document.getElementById('offline').hidden = false;
        }
        document.body.dataset.state = 'offline';
      })
      .finally(function () { setTimeout(refresh, every); });
  }

  function tick() { document.getElementById('clock').textContent = hhmm(new Date()); }
  document.getElementById('code').src = '/api/v1/screen/markets/' + id + '/code';
  tick();
  setInterval(tick, 10000);
  refresh();
})();
