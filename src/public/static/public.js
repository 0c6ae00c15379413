/* Public transparency page: aggregates from /api/v1/public, no key. Language, index state and
   month live in the URL. */
/* global document, window, fetch, Option, URLSearchParams */
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const I18N = {
    en: {
      title: 'Public grievance redressal figures',
      overall: 'All portals',
      received: 'Received',
      disposed: 'Disposed',
      pending: 'Pending',
      meanDays: 'Average days to dispose',
      within: 'Disposed within the deadline',
      byPortal: 'By portal',
      byState: 'By state',
      byMonth: 'By month received',
      portal: 'Portal',
      state: 'State',
      month: 'Month',
      meanDaysShort: 'Avg days',
      withinPct: 'Within deadline %',
      district: 'District',
      score: 'Score',
      rankChange: 'Rank change',
      indexTitle: 'District Governance Index: grievance redressal',
      none: 'None',
      intro:
        'Grievances lodged through the hub, by the date received. Only totals are shown: a figure counting fewer grievances than the minimum is hidden (–) so that no person can be picked out.',
      asOf: 'Figures as of',
      minimum: (n) => 'Figures counting fewer than ' + n + ' grievances are hidden (–).',
      against: 'against',
      error: 'The figures could not be loaded',
      other: 'English',
    },
    hi: {
      title: 'शिकायत निवारण के सार्वजनिक आँकड़े',
      overall: 'सभी पोर्टल',
      received: 'प्राप्त',
      disposed: 'निस्तारित',
      pending: 'लंबित',
      meanDays: 'निस्तारण में लगे औसत दिन',
      within: 'समय-सीमा में निस्तारित',
      byPortal: 'पोर्टल अनुसार',
      byState: 'राज्य अनुसार',
      byMonth: 'प्राप्ति माह अनुसार',
      portal: 'पोर्टल',
      state: 'राज्य',
      month: 'माह',
      meanDaysShort: 'औसत दिन',
      withinPct: 'समय-सीमा में %',
      district: 'ज़िला',
      score: 'स्कोर',
      rankChange: 'रैंक में बदलाव',
      indexTitle: 'ज़िला सुशासन सूचकांक: शिकायत निवारण',
      none: 'कोई नहीं',
      intro:
        'हब के माध्यम से दर्ज शिकायतें, प्राप्ति की तिथि अनुसार। केवल कुल संख्याएँ दिखाई जाती हैं: न्यूनतम से कम शिकायतों वाला आँकड़ा छिपाया जाता है (–) ताकि किसी व्यक्ति की पहचान न हो सके।',
      asOf: 'आँकड़े',
      minimum: (n) => n + ' से कम शिकायतों वाले आँकड़े छिपाए गए हैं (–)।',
      against: 'तुलना',
      error: 'आँकड़े लोड नहीं हो सके',
      other: 'हिन्दी',
    },
  };
  let lang = 'en';
  let last = {};
  const t = (k, arg) => {
    const v = I18N[lang][k];
    return typeof v === 'function' ? v(arg) : v;
  };
  const locale = () => (lang === 'hi' ? 'hi-IN' : 'en-IN');
  const fmt = (v, suffix) =>
    v === null || v === undefined ? '–' : Number(v).toLocaleString(locale()) + (suffix || '');
  const label = (l) => (lang === 'hi' && l.hi ? l.hi : l.en);
  const params = () => new URLSearchParams(window.location.search);
  function navigate(changes) {
    const p = params();
    Object.entries(changes).forEach(([k, v]) => (v ? p.set(k, v) : p.delete(k)));
    window.history.replaceState(null, '', window.location.pathname + (p.toString() ? '?' + p : ''));
  }
  async function json(path) {
    const res = await fetch(path);
    if (!res.ok) throw new Error(t('error') + ' (' + res.status + ')');
    return res.json();
  }
  // Every table of the page from one template: [i18n key (or the header text), numeric?] per
  // column; the figures' columns come with how each row shows them.
  const FIGURES = [
    ['received', (r) => fmt(r.received)],
    ['disposed', (r) => fmt(r.disposed)],
    ['pending', (r) => fmt(r.pending)],
    ['meanDaysShort', (r) => fmt(r.meanDaysToDispose)],
    ['withinPct', (r) => fmt(r.withinDeadlinePct, ' %')],
  ];
  const byFigures = (first) => [[first], ...FIGURES.map(([key]) => [key, true])];
  const TABLES = {
    'by-portal': byFigures('portal'),
    'by-state': byFigures('state'),
    'by-month': byFigures('month'),
    districts: [['#'], ['district'], ['score', true], ['rankChange'], ['received', true]],
  };
  function table(id, columns) {
    const tr = document.createElement('tr');
    columns.forEach(([key, numeric]) => {
      const th = document.createElement('th');
      th.scope = 'col';
      if (numeric) th.className = 'num';
      if (I18N.en[key]) th.dataset.i18n = key;
      th.textContent = I18N.en[key] || key;
      tr.appendChild(th);
    });
    const head = document.createElement('thead');
    head.appendChild(tr);
    const t = document.createElement('table');
    t.id = id;
    t.append(head, document.createElement('tbody'));
    const wrap = document.createElement('div');
    wrap.className = 'table-wrap';
    wrap.tabIndex = 0;
    wrap.appendChild(t);
    return wrap;
  }
  document
    .querySelectorAll('[data-table]')
    .forEach((slot) => slot.replaceWith(table(slot.dataset.table, TABLES[slot.dataset.table])));

  function fill(id, rows) {
    const body = $(id).querySelector('tbody');
    if (rows.length === 0) {
      const td = document.createElement('td');
      td.colSpan = $(id).querySelectorAll('thead th').length;
      td.className = 'empty';
      td.textContent = t('none');
      const tr = document.createElement('tr');
      tr.appendChild(td);
      body.replaceChildren(tr);
      return;
    }
    body.replaceChildren(
      ...rows.map((cells) => {
        const tr = document.createElement('tr');
        cells.forEach(([text, numeric]) => {
          const td = document.createElement('td');
          td.textContent = text;
          if (numeric) td.className = 'num';
          tr.appendChild(td);
        });
        return tr;
      }),
    );
  }
  const cells = (name, r) => [[name], ...FIGURES.map(([, show]) => [show(r), true])];

  function translate() {
    document.documentElement.lang = lang;
    document.title = t('title');
    document.querySelectorAll('[data-i18n]').forEach((el) => (el.textContent = t(el.dataset.i18n)));
    const other = lang === 'en' ? 'hi' : 'en';
    $('lang').textContent = I18N[other].other;
    $('lang').lang = other;
  }
  function render() {
    translate();
    const f = last.figures;
    if (f) {
      $('fig-received').textContent = fmt(f.overall.received);
      $('fig-disposed').textContent = fmt(f.overall.disposed);
      $('fig-pending').textContent = fmt(f.overall.pending);
      $('fig-mean').textContent = fmt(f.overall.meanDaysToDispose);
      $('fig-within').textContent = fmt(f.overall.withinDeadlinePct, ' %');
      fill(
        'by-portal',
        f.byPortal.map((r) => cells(label(r.label), r)),
      );
      fill(
        'by-state',
        f.byState.map((r) => cells(label(r.label), r)),
      );
      fill(
        'by-month',
        f.byMonth
          .slice()
          .reverse()
          .map((r) => cells(r.month, r)),
      );
      $('status').textContent =
        (f.asOf ? t('asOf') + ' ' + new Date(f.asOf).toLocaleString(locale()) + '. ' : '') +
        t('minimum', f.minCount);
    }
    const index = last.index;
    if (index) {
      $('index-month').value = index.month;
      const change = (c) => (c === null ? '–' : c > 0 ? '▲ ' + c : c < 0 ? '▼ ' + -c : '=');
      fill(
        'districts',
        index.districts.map((d) => [
          [d.rank === null ? '–' : String(d.rank)],
          [label(d.label)],
          [fmt(d.score), true],
          [change(d.rankChange)],
          [fmt(d.received), true],
        ]),
      );
      $('index-note').textContent =
        index.state.name +
        ', ' +
        index.month +
        ' (' +
        t('against') +
        ' ' +
        index.previousMonth +
        ').';
    }
  }
  async function loadIndex() {
    const q = new URLSearchParams({ state: $('index-state').value || '09' });
    if ($('index-month').value) q.set('month', $('index-month').value);
    last.index = await json('/api/v1/public/district-index?' + q);
    render();
  }
  async function load() {
    document.body.dataset.loaded = 'false';
    try {
      const p = params();
      lang = p.get('lang') === 'hi' ? 'hi' : 'en';
      translate();
      const [figures, places] = await Promise.all([
        json('/api/v1/public/figures'),
        json('/api/v1/jurisdictions'),
      ]);
      last.figures = figures;
      const select = $('index-state');
      places.states
        .filter((s) => s.districts.length > 0)
        .forEach((s) => select.add(new Option(s.name, s.code)));
      select.value = p.get('state') || '09';
      $('index-month').value = p.get('month') || '';
      await loadIndex();
      document.body.dataset.loaded = 'true';
    } catch (error) {
      $('status').textContent = error.message;
    }
  }
  $('lang').addEventListener('click', () => {
    lang = lang === 'en' ? 'hi' : 'en';
    navigate({ lang: lang === 'hi' ? 'hi' : '' });
    render();
  });
  $('index-state').addEventListener('change', () => {
    navigate({ state: $('index-state').value });
    loadIndex().catch((e) => ($('status').textContent = e.message));
  });
  $('index-month').addEventListener('change', () => {
    navigate({ month: $('index-month').value });
    loadIndex().catch((e) => ($('status').textContent = e.message));
  });
  load();
})();
