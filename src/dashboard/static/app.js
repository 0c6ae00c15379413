/* Staff dashboard: reads the staff API with the key typed in (kept for this tab only). */
/* global document, window, sessionStorage, fetch, Option, URL, setTimeout */
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const charts = {};
  let key = sessionStorage.getItem('hub-api-key') || '';

  async function api(path) {
    const res = await fetch(path, { headers: { Authorization: 'Bearer ' + key } });
    if (res.status === 401) throw new Error('The API key was not accepted · कुंजी स्वीकार नहीं हुई');
    if (!res.ok) throw new Error('The hub answered ' + res.status);
    return res;
  }
  const json = async (path) => (await api(path)).json();
  const fmt = (v, suffix) => (v === null || v === undefined ? '–' : Number(v).toLocaleString('en-IN') + (suffix || ''));

  function cell(text, numeric) {
    const td = document.createElement('td');
    td.textContent = text;
    if (numeric) td.className = 'num';
    return td;
  }
  function fillTable(id, rows) {
    const body = $(id).querySelector('tbody');
    body.replaceChildren(
      ...rows.map((cells) => {
        const tr = document.createElement('tr');
        cells.forEach(([text, numeric]) => tr.appendChild(cell(text, numeric)));
        return tr;
      }),
    );
  }
  function chart(id, config) {
    if (charts[id]) charts[id].destroy();
    config.options = Object.assign({ animation: false, responsive: true, maintainAspectRatio: false }, config.options);
    charts[id] = new window.Chart($(id), config);
  }

  function showFigures(summary) {
    const o = summary.overall;
    $('fig-total').textContent = fmt(o.total);
    $('fig-open').textContent = fmt(o.open);
    $('fig-within').textContent = fmt(o.withinSlaPct, ' %');
    $('fig-breached').textContent = fmt(o.breached);
    $('fig-median').textContent = fmt(o.medianDaysToResolve);
    $('fig-rating').textContent = fmt(o.meanFeedbackRating);
    chart('chart-portals', {
      type: 'bar',
      data: { labels: summary.groups.map((g) => g.key), datasets: [{ label: 'Breached · समय-सीमा पार', data: summary.groups.map((g) => g.breached), backgroundColor: '#c0392b' }] },
    });
  }

  function showStates(summary) {
    const top = summary.groups.slice().sort((a, b) => b.breached - a.breached).slice(0, 12);
    chart('chart-states', {
      type: 'bar',
      data: { labels: top.map((g) => g.label.en), datasets: [{ label: 'Breached · समय-सीमा पार', data: top.map((g) => g.breached), backgroundColor: '#e67e22' }] },
      options: { indexAxis: 'y' },
    });
    const select = $('state');
    if (select.options.length === 0) {
      summary.groups.forEach((g) => select.add(new Option(g.label.en + ' (' + g.key + ')', g.key)));
      select.value = summary.groups.some((g) => g.key === '09') ? '09' : (summary.groups[0] || {}).key || '';
    }
  }

  function showTrend(trend) {
    chart('chart-trend', {
      type: 'line',
      data: {
        labels: trend.weeks.map((w) => w.week),
        datasets: [
          { label: 'Received · प्राप्त', data: trend.weeks.map((w) => w.total), borderColor: '#0b5394' },
          { label: 'Resolved · निवारित', data: trend.weeks.map((w) => w.resolved), borderColor: '#27ae60' },
          { label: 'Resolved late · देर से निवारित', data: trend.weeks.map((w) => w.resolvedLate), borderColor: '#c0392b' },
        ],
      },
    });
  }

  // The District Governance Index of the chosen state and month (docs/governance-index.md).
  function indexQuery() {
    const month = $('index-month').value || new Date().toISOString().slice(0, 7);
    return '?state=' + encodeURIComponent($('state').value || '09') + '&month=' + encodeURIComponent(month);
  }
  async function showDistricts() {
    const index = await json('/api/v1/sla/district-index' + indexQuery());
    $('index-month').value = index.month;
    const change = (t) => (t.rankChange === null ? '–' : t.rankChange > 0 ? '▲ ' + t.rankChange : t.rankChange < 0 ? '▼ ' + -t.rankChange : '=');
    fillTable('districts', index.districts.map((d) => [
      [d.rank === null ? '–' : String(d.rank)], [d.label.en + ' (' + d.key + ')'], [fmt(d.score), true], [change(d.trend)],
      [fmt(d.received), true], [fmt(d.values.disposalRate, ' %'), true], [fmt(d.values.withinDeadline, ' %'), true],
      [fmt(d.values.medianDaysToDispose), true], [fmt(d.values.satisfaction), true],
    ]));
    $('index-note').textContent = index.state.name + ', ' + index.month + ' (against ' + index.previousMonth + '). '
      + 'Districts with fewer than ' + index.minGrievances + ' grievances are not ranked (–). · '
      + index.minGrievances + ' से कम शिकायतों वाले ज़िलों की रैंक नहीं दी जाती।';
  }

  async function downloadIndexCsv(event) {
    event.preventDefault();
    try {
      const blob = await (await api('/api/v1/sla/district-index.csv' + indexQuery())).blob();
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = 'district-index.csv';
      document.body.appendChild(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    } catch (error) {
      $('status').textContent = error.message;
    }
  }

  function showPortals(portals) {
    fillTable('portals', portals.map((p) => [
      [p.name + ' (' + p.portalCode + ')'], [p.lastDeliveryAt ? new Date(p.lastDeliveryAt).toLocaleString('en-IN') : '–'],
      [fmt(p.failureRatePct, ' %'), true], [p.circuit], [fmt(p.backlog.pendingDispatches + p.backlog.failedDispatches), true],
    ]));
  }

  function showBreaches(page) {
    fillTable('breaches', page.items.map((b) => [
      [b.trackingId], [b.portalCode], [b.externalRef || '–'], [new Date(b.slaDueAt).toLocaleDateString('en-IN')], [String(b.daysOverdue), true],
    ]));
  }

  // The hub says when the rollup has missed its refreshes (a failing job, no worker running).
  function showStale(since) {
    const banner = $('stale');
    banner.hidden = !since;
    const at = since ? new Date(since).toLocaleString('en-IN') : '';
    banner.textContent = since ? 'Figures are stale since ' + at + ' · आँकड़े ' + at + ' से अद्यतन नहीं हुए' : '';
  }

  async function load() {
    document.body.dataset.loaded = 'false';
    $('status').textContent = 'Loading · लोड हो रहा है…';
    try {
      const [byPortal, byState, trend, portals, breaches] = await Promise.all([
        json('/api/v1/sla/summary?groupBy=portal'),
        json('/api/v1/sla/summary?groupBy=state'),
        json('/api/v1/sla/trend'),
        json('/api/v1/staff/portals'),
        json('/api/v1/sla/breaches?limit=20'),
      ]);
      $('content').hidden = false;
      showFigures(byPortal);
      showStates(byState);
      showTrend(trend);
      showPortals(portals);
      showBreaches(breaches);
      await showDistricts();
      $('status').textContent = byPortal.asOf ? 'Figures as of · आँकड़े ' + new Date(byPortal.asOf).toLocaleString('en-IN') : '';
      showStale(byPortal.staleSince);
      document.body.dataset.loaded = 'true';
    } catch (error) {
      $('status').textContent = error.message;
    }
  }

  async function downloadCsv(event) {
    event.preventDefault();
    try {
      const blob = await (await api('/api/v1/sla/report.csv?groupBy=portal')).blob();
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = 'sla-report.csv';
      document.body.appendChild(a);
      a.click();
      setTimeout(() => { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    } catch (error) {
      $('status').textContent = error.message;
    }
  }

  $('login').addEventListener('submit', (event) => {
    event.preventDefault();
    key = $('api-key').value.trim();
    sessionStorage.setItem('hub-api-key', key);
    load();
  });
  $('state').addEventListener('change', () => showDistricts().catch((e) => ($('status').textContent = e.message)));
  $('index-month').addEventListener('change', () => showDistricts().catch((e) => ($('status').textContent = e.message)));
  $('index-csv').addEventListener('click', downloadIndexCsv);
  $('csv-link').addEventListener('click', downloadCsv);
  if (key) { $('api-key').value = key; load(); }
})();
