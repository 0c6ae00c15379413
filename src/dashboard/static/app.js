/* Staff dashboard: reads the staff API with the key typed in (kept for this tab only).
   Filters, language, sort and the index month live in the URL: a view can be shared, and the
   back button returns to the previous one. */
/* global document, window, sessionStorage, fetch, Option, URL, URLSearchParams, setTimeout, clearTimeout */
(function () {
  'use strict';
  const $ = (id) => document.getElementById(id);
  const charts = {};
  let key = sessionStorage.getItem('hub-api-key') || '';
  const FILTERS = ['from', 'to', 'portal', 'state', 'district', 'category', 'ministry'];
  // Auto-refresh every minute (the rollup's own period); `?refresh=N` sets N seconds (N >= 1).
  const REFRESH_MS = (() => {
    const seconds = Number(new URLSearchParams(window.location.search).get('refresh'));
    return Number.isFinite(seconds) && seconds >= 1 ? seconds * 1000 : 60000;
  })();
  let refreshTimer = null;
  let reference = null;
  let last = {}; // the last responses, to re-render on a language switch
  let breachCursors = [null]; // cursor of each page seen; the last is the current page's

  const I18N = {
    en: {
      title: 'Grievance redressal across portals',
      apiKey: 'Staff API key',
      show: 'Show',
      filters: 'Filters',
      from: 'Received from',
      to: 'Received to',
      portal: 'Portal',
      state: 'State',
      district: 'District',
      category: 'Category',
      ministry: 'Ministry',
      all: 'All',
      stateSubject: '(state subject: no ministry)',
      apply: 'Apply',
      clear: 'Clear',
      print: 'Print',
      mainFigures: 'Main figures',
      received: 'Received',
      open: 'Open',
      withinSla: 'Redressed within SLA',
      breached: 'Breached',
      meanDays: 'Average days to resolve',
      medianDays: 'Median days to resolve',
      rating: 'Mean rating',
      trend: 'Trend by week',
      breachesByPortal: 'Breaches by portal',
      breachesByState: 'Breaches by state',
      ageing: 'Open grievances by age (days since received)',
      age: 'Age',
      pastDue: 'Past deadline',
      byMinistry: 'Pendency and disposal by ministry',
      resolved: 'Resolved',
      withinSlaPct: 'Within SLA %',
      meanDaysShort: 'Avg days',
      medianDaysShort: 'Median days',
      byPortal: 'Pendency and disposal by portal',
      topCategories: 'Top categories',
      monthly: 'Month on month',
      month: 'Month',
      change: 'Change',
      ratings: 'Ratings given',
      ratingCol: 'Rating',
      count: 'Grievances',
      appeals: 'Appeals',
      appealState: 'State of the appeal',
      transfers: 'Transfers ("not pertaining") by portal',
      transfersCol: 'Transfers',
      indexTitle: 'District Governance Index: grievance redressal',
      downloadCsv: 'Download CSV',
      score: 'Score',
      rankChange: 'Rank change',
      disposedPct: 'Disposed %',
      withinDeadlinePct: 'Within deadline %',
      portalHealth: 'Portal health',
      lastDelivery: 'Last delivery',
      failureRate: 'Failure rate (24 h)',
      circuit: 'Circuit',
      backlog: 'Backlog',
      breachesTitle: 'Overdue grievances',
      sort: 'Sort',
      sortDue: 'Most overdue first',
      sortDueDesc: 'Least overdue first',
      sortReceived: 'Oldest received first',
      sortReceivedDesc: 'Newest received first',
      downloadPageCsv: 'Download this page as CSV',
      trackingId: 'Tracking id',
      reference: 'Reference',
      due: 'Due',
      daysOverdue: 'Days overdue',
      previous: 'Previous',
      next: 'Next',
      page: 'Page',
      masked: 'Personal data is masked. Unmasking is a separate, audited request.',
      close: 'Close',
      downloadSummary: 'Download the summary as CSV',
      none: 'None',
      loading: 'Loading…',
      asOf: 'Figures as of',
      stale: 'Figures are stale since',
      keyRefused: 'The API key was not accepted',
      hubAnswered: 'The hub answered',
      appealed: 'Appealed',
      decided: 'Decided',
      upheld: 'Upheld',
      pending: 'Pending',
      pendingPastDue: 'Pending past the appellate deadline',
      notRanked: (n) => 'Districts with fewer than ' + n + ' grievances are not ranked (–).',
      against: 'against',
      status: 'Status',
      subject: 'Subject',
      complainant: 'Complainant',
      place: 'Place',
      receivedAt: 'Received',
      other: 'English',
    },
    hi: {
      title: 'सभी पोर्टलों पर शिकायत निवारण',
      apiKey: 'स्टाफ़ API कुंजी',
      show: 'दिखाएँ',
      filters: 'फ़िल्टर',
      from: 'प्राप्ति से',
      to: 'प्राप्ति तक',
      portal: 'पोर्टल',
      state: 'राज्य',
      district: 'ज़िला',
      category: 'श्रेणी',
      ministry: 'मंत्रालय',
      all: 'सभी',
      stateSubject: '(राज्य का विषय: कोई मंत्रालय नहीं)',
      apply: 'लागू करें',
      clear: 'हटाएँ',
      print: 'प्रिंट करें',
      mainFigures: 'मुख्य आँकड़े',
      received: 'प्राप्त',
      open: 'लंबित',
      withinSla: 'समय-सीमा में निवारण',
      breached: 'समय-सीमा पार',
      meanDays: 'निवारण में लगे औसत दिन',
      medianDays: 'निवारण में लगे दिन (माध्यिका)',
      rating: 'औसत रेटिंग',
      trend: 'साप्ताहिक रुझान',
      breachesByPortal: 'पोर्टल अनुसार समय-सीमा पार',
      breachesByState: 'राज्य अनुसार समय-सीमा पार',
      ageing: 'लंबित शिकायतें, प्राप्ति से दिनों के अनुसार',
      age: 'अवधि',
      pastDue: 'समय-सीमा पार',
      byMinistry: 'मंत्रालय अनुसार लंबित और निस्तारित',
      resolved: 'निस्तारित',
      withinSlaPct: 'समय-सीमा में %',
      meanDaysShort: 'औसत दिन',
      medianDaysShort: 'माध्यिका दिन',
      byPortal: 'पोर्टल अनुसार लंबित और निस्तारित',
      topCategories: 'प्रमुख श्रेणियाँ',
      monthly: 'माह-दर-माह',
      month: 'माह',
      change: 'बदलाव',
      ratings: 'दी गई रेटिंग',
      ratingCol: 'रेटिंग',
      count: 'शिकायतें',
      appeals: 'अपीलें',
      appealState: 'अपील की स्थिति',
      transfers: 'पोर्टल अनुसार स्थानांतरण ("संबंधित नहीं")',
      transfersCol: 'स्थानांतरण',
      indexTitle: 'ज़िला सुशासन सूचकांक: शिकायत निवारण',
      downloadCsv: 'CSV डाउनलोड करें',
      score: 'स्कोर',
      rankChange: 'रैंक में बदलाव',
      disposedPct: 'निस्तारित %',
      withinDeadlinePct: 'समय-सीमा में %',
      portalHealth: 'पोर्टल स्थिति',
      lastDelivery: 'अंतिम प्रेषण',
      failureRate: 'विफलता दर (24 घंटे)',
      circuit: 'सर्किट',
      backlog: 'बकाया',
      breachesTitle: 'समय-सीमा पार शिकायतें',
      sort: 'क्रम',
      sortDue: 'सबसे अधिक विलंबित पहले',
      sortDueDesc: 'सबसे कम विलंबित पहले',
      sortReceived: 'सबसे पुरानी प्राप्त पहले',
      sortReceivedDesc: 'सबसे नई प्राप्त पहले',
      downloadPageCsv: 'यह पृष्ठ CSV में डाउनलोड करें',
      trackingId: 'ट्रैकिंग आईडी',
      reference: 'संदर्भ',
      due: 'नियत तिथि',
      daysOverdue: 'विलंब (दिन)',
      previous: 'पिछला',
      next: 'अगला',
      page: 'पृष्ठ',
      masked: 'व्यक्तिगत जानकारी छिपी है। उसे देखना एक अलग, लेखा-परीक्षित अनुरोध है।',
      close: 'बंद करें',
      downloadSummary: 'सारांश CSV में डाउनलोड करें',
      none: 'कोई नहीं',
      loading: 'लोड हो रहा है…',
      asOf: 'आँकड़े',
      stale: 'आँकड़े इस समय से अद्यतन नहीं हुए:',
      keyRefused: 'कुंजी स्वीकार नहीं हुई',
      hubAnswered: 'हब का उत्तर',
      appealed: 'अपील की गई',
      decided: 'निर्णीत',
      upheld: 'स्वीकृत',
      pending: 'लंबित',
      pendingPastDue: 'अपीलीय समय-सीमा पार लंबित',
      notRanked: (n) => n + ' से कम शिकायतों वाले ज़िलों की रैंक नहीं दी जाती (–)।',
      against: 'तुलना',
      status: 'स्थिति',
      subject: 'विषय',
      complainant: 'शिकायतकर्ता',
      place: 'स्थान',
      receivedAt: 'प्राप्त',
      other: 'हिन्दी',
    },
  };
  let lang = 'en';
  const t = (k, arg) => {
    const v = I18N[lang][k];
    return typeof v === 'function' ? v(arg) : v === undefined ? k : v;
  };
  const locale = () => (lang === 'hi' ? 'hi-IN' : 'en-IN');
  const label = (l) => (l && lang === 'hi' && l.hi ? l.hi : l ? l.en : '');

  async function api(path) {
    const res = await fetch(path, { headers: { Authorization: 'Bearer ' + key } });
    if (res.status === 401) throw new Error(t('keyRefused'));
    if (!res.ok) throw new Error(t('hubAnswered') + ' ' + res.status);
    return res;
  }
  const json = async (path) => (await api(path)).json();
  const fmt = (v, suffix) =>
    v === null || v === undefined ? '–' : Number(v).toLocaleString(locale()) + (suffix || '');
  const date = (v) => (v ? new Date(v).toLocaleDateString(locale()) : '–');

  // ----- URL state -----
  function params() {
    return new URLSearchParams(window.location.search);
  }
  function filterQuery() {
    const q = new URLSearchParams();
    const p = params();
    FILTERS.forEach((f) => p.get(f) && q.set(f, p.get(f)));
    return q;
  }
  function withFilters(path, extra) {
    const q = filterQuery();
    Object.entries(extra || {}).forEach(([k, v]) =>
      v === null || v === undefined || v === '' ? q.delete(k) : q.set(k, v),
    );
    const s = q.toString();
    return path + (s ? (path.includes('?') ? '&' : '?') + s : '');
  }
  function navigate(changes, replace) {
    const p = params();
    Object.entries(changes).forEach(([k, v]) => (v ? p.set(k, v) : p.delete(k)));
    const url = window.location.pathname + (p.toString() ? '?' + p.toString() : '');
    if (replace) window.history.replaceState(null, '', url);
    else window.history.pushState(null, '', url);
  }

  // ----- rendering helpers -----
  function cell(content, numeric) {
    const td = document.createElement('td');
    if (content instanceof window.Node) td.appendChild(content);
    else td.textContent = content;
    if (numeric) td.className = 'num';
    return td;
  }
  function fillTable(id, rows) {
    const body = $(id).querySelector('tbody');
    if (rows.length === 0) {
      const tr = document.createElement('tr');
      const td = document.createElement('td');
      td.colSpan = $(id).querySelectorAll('thead th').length;
      td.className = 'empty';
      td.textContent = t('none');
      tr.appendChild(td);
      body.replaceChildren(tr);
      return;
    }
    body.replaceChildren(
      ...rows.map((cells) => {
        const tr = document.createElement('tr');
        cells.forEach(([content, numeric]) => tr.appendChild(cell(content, numeric)));
        return tr;
      }),
    );
  }
  function chart(id, config) {
    if (charts[id]) charts[id].destroy();
    config.options = Object.assign(
      { animation: false, responsive: true, maintainAspectRatio: false },
      config.options,
    );
    charts[id] = new window.Chart($(id), config);
  }
  function translate() {
    document.documentElement.lang = lang;
    document.title = t('title');
    document.querySelectorAll('[data-i18n]').forEach((el) => (el.textContent = t(el.dataset.i18n)));
    const other = lang === 'en' ? 'hi' : 'en';
    $('lang').textContent = I18N[other].other;
    $('lang').lang = other;
    $('lang').setAttribute('aria-label', other === 'hi' ? 'हिन्दी में देखें' : 'View in English');
    translateOptions();
  }
  // The filter lists built from the reference data, in the page's language.
  function translateOptions() {
    if (!reference) return;
    const form = $('filters');
    for (const o of form.category.options) {
      const c = reference.categories.categories.find((x) => x.code === o.value);
      if (c) o.text = label(c.label);
    }
    for (const o of form.ministry.options) if (o.value === '-') o.text = t('stateSubject');
  }

  // ----- views -----
  function showFigures(summary) {
    const o = summary.overall;
    $('fig-total').textContent = fmt(o.total);
    $('fig-open').textContent = fmt(o.open);
    $('fig-within').textContent = fmt(o.withinSlaPct, ' %');
    $('fig-breached').textContent = fmt(o.breached);
    $('fig-mean').textContent = fmt(o.meanDaysToResolve);
    $('fig-median').textContent = fmt(o.medianDaysToResolve);
    $('fig-rating').textContent = fmt(o.meanFeedbackRating);
    chart('chart-portals', {
      type: 'bar',
      data: {
        labels: summary.groups.map((g) => g.key),
        datasets: [
          {
            label: t('breached'),
            data: summary.groups.map((g) => g.breached),
            backgroundColor: '#b03a2e',
          },
        ],
      },
    });
    fillTable('portal-figures', figureRows(summary.groups));
  }
  const figureRows = (groups) =>
    groups.map((g) => [
      [label(g.label) + ' (' + g.key + ')'],
      [fmt(g.total), true],
      [fmt(g.open), true],
      [fmt(g.resolved), true],
      [fmt(g.withinSlaPct, ' %'), true],
      [fmt(g.meanDaysToResolve), true],
      [fmt(g.medianDaysToResolve), true],
    ]);

  function showStates(summary) {
    const top = summary.groups
      .slice()
      .sort((a, b) => b.breached - a.breached)
      .slice(0, 12);
    chart('chart-states', {
      type: 'bar',
      data: {
        labels: top.map((g) => label(g.label)),
        datasets: [
          { label: t('breached'), data: top.map((g) => g.breached), backgroundColor: '#a04000' },
        ],
      },
      options: { indexAxis: 'y' },
    });
  }

  function showTrend(trend) {
    chart('chart-trend', {
      type: 'line',
      data: {
        labels: trend.weeks.map((w) => w.week),
        datasets: [
          { label: t('received'), data: trend.weeks.map((w) => w.total), borderColor: '#0b5394' },
          {
            label: t('resolved'),
            data: trend.weeks.map((w) => w.resolved),
            borderColor: '#1e7b45',
          },
          {
            label: t('breached'),
            data: trend.weeks.map((w) => w.resolvedLate),
            borderColor: '#b03a2e',
          },
        ],
      },
    });
  }

  function showAgeing(summary) {
    const none = summary.groups.every((g) => g.open === 0);
    fillTable(
      'ageing',
      none
        ? []
        : summary.groups.map((g) => [
            [label(g.label)],
            [fmt(g.open), true],
            [fmt(g.openPastDue), true],
          ]),
    );
  }
  function showMinistries(summary) {
    fillTable('ministries', figureRows(summary.groups.filter((g) => g.total > 0)));
  }
  function showCategories(summary) {
    const top = summary.groups
      .slice()
      .sort((a, b) => b.total - a.total)
      .slice(0, 10);
    fillTable(
      'categories',
      top.map((g) => [
        [label(g.label)],
        [fmt(g.total), true],
        [fmt(g.open), true],
        [fmt(g.breached), true],
      ]),
    );
  }
  function showInsights(insights) {
    const signed = (v) => (v === null || v === undefined ? '–' : (v > 0 ? '+' : '') + fmt(v));
    fillTable(
      'monthly',
      insights.monthly
        .slice()
        .reverse()
        .map((m) => [
          [m.month],
          [fmt(m.total), true],
          [m.change ? signed(m.change.total) : '–', true],
          [fmt(m.resolved), true],
          [fmt(m.withinSlaPct, ' %'), true],
          [fmt(m.medianDaysToResolve), true],
        ]),
    );
    const rated = insights.ratings.reduce((n, r) => n + r.count, 0);
    fillTable(
      'ratings',
      rated === 0
        ? []
        : insights.ratings.map((r) => [
            ['★'.repeat(r.rating) + ' ' + r.rating],
            [fmt(r.count), true],
          ]),
    );
    const a = insights.appeals;
    fillTable(
      'appeals',
      a.appealed === 0
        ? []
        : [
            [[t('appealed')], [fmt(a.appealed), true]],
            [[t('decided')], [fmt(a.decided), true]],
            [[t('upheld')], [fmt(a.upheld), true]],
            [[t('pending')], [fmt(a.pending), true]],
            [[t('pendingPastDue')], [fmt(a.pendingPastDue), true]],
          ],
    );
    fillTable(
      'transfers',
      insights.transfersByPortal.map((p) => [
        [p.name + ' (' + p.portal + ')'],
        [fmt(p.transfers), true],
      ]),
    );
  }

  // The District Governance Index of the chosen state and month (docs/governance-index.md).
  function indexQuery() {
    const month = $('index-month').value || new Date().toISOString().slice(0, 7);
    return (
      '?state=' +
      encodeURIComponent($('state').value || '09') +
      '&month=' +
      encodeURIComponent(month)
    );
  }
  async function loadDistricts() {
    last.index = await json('/api/v1/sla/district-index' + indexQuery());
    showDistricts(last.index);
  }
  function showDistricts(index) {
    $('index-month').value = index.month;
    const change = (tr) =>
      tr.rankChange === null
        ? '–'
        : tr.rankChange > 0
          ? '▲ ' + tr.rankChange
          : tr.rankChange < 0
            ? '▼ ' + -tr.rankChange
            : '=';
    fillTable(
      'districts',
      index.districts.map((d) => [
        [d.rank === null ? '–' : String(d.rank)],
        [label(d.label) + ' (' + d.key + ')'],
        [fmt(d.score), true],
        [change(d.trend)],
        [fmt(d.received), true],
        [fmt(d.values.disposalRate, ' %'), true],
        [fmt(d.values.withinDeadline, ' %'), true],
        [fmt(d.values.medianDaysToDispose), true],
        [fmt(d.values.satisfaction), true],
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
      '). ' +
      t('notRanked', index.minGrievances);
  }

  function showPortals(portals) {
    fillTable(
      'portals',
      portals.map((p) => [
        [p.name + ' (' + p.portalCode + ')'],
        [p.lastDeliveryAt ? new Date(p.lastDeliveryAt).toLocaleString(locale()) : '–'],
        [fmt(p.failureRatePct, ' %'), true],
        [p.circuit],
        [fmt(p.backlog.pendingDispatches + p.backlog.failedDispatches), true],
      ]),
    );
  }

  // ----- breaches: sorted, filtered, paged; each row opens the grievance (masked) -----
  const breachQuery = () =>
    withFilters('', {
      sort: $('breach-sort').value,
      limit: '20',
      cursor: breachCursors[breachCursors.length - 1],
    }).replace(/^\?/, '');
  async function loadBreaches() {
    last.breaches = await json('/api/v1/sla/breaches?' + breachQuery());
    showBreaches(last.breaches);
  }
  function showBreaches(page) {
    fillTable(
      'breaches',
      page.items.map((b) => {
        const open = document.createElement('button');
        open.type = 'button';
        open.className = 'link';
        open.textContent = b.trackingId;
        open.addEventListener('click', () =>
          openGrievance(b.trackingId).catch((e) => ($('status').textContent = e.message)),
        );
        return [
          [open],
          [b.portalCode],
          [b.externalRef || '–'],
          [b.category],
          [date(b.slaDueAt)],
          [String(b.daysOverdue), true],
        ];
      }),
    );
    $('breaches-prev').disabled = breachCursors.length <= 1;
    $('breaches-next').disabled = !page.nextCursor;
    $('breaches-page').textContent = t('page') + ' ' + breachCursors.length;
  }
  async function openGrievance(trackingId) {
    const g = await json('/api/v1/staff/complaints/' + encodeURIComponent(trackingId));
    $('grievance-title').textContent = g.trackingId;
    const rows = [
      [t('status'), g.status],
      [t('subject'), g.subject],
      [t('category'), g.category],
      [t('portal'), g.primaryPortalCode],
      [t('place'), g.stateCode + (g.districtCode ? ' / ' + g.districtCode : '')],
      [t('receivedAt'), date(g.createdAt)],
      [t('due'), date(g.slaDueAt)],
      [t('complainant'), g.complainant ? g.complainant.name + ', ' + g.complainant.mobile : '–'],
    ];
    $('grievance-details').replaceChildren(
      ...rows.flatMap(([k, v]) => {
        const dt = document.createElement('dt');
        dt.textContent = k;
        const dd = document.createElement('dd');
        dd.textContent = v;
        return [dt, dd];
      }),
    );
    $('grievance').hidden = false;
    $('grievance-close').focus();
  }

  // The hub says when the rollup has missed its refreshes (a failing job, no worker running).
  function showStale(since) {
    const banner = $('stale');
    banner.hidden = !since;
    banner.textContent = since ? t('stale') + ' ' + new Date(since).toLocaleString(locale()) : '';
  }

  // ----- filters form -----
  function option(select, value, text) {
    select.add(new Option(text, value));
  }
  async function loadReference() {
    if (reference) return;
    const [jurisdictions, categories, portals] = await Promise.all([
      json('/api/v1/jurisdictions'),
      json('/api/v1/categories'),
      json('/api/v1/staff/portals'),
    ]);
    reference = { jurisdictions, categories, portals };
    const form = $('filters');
    portals.forEach((p) => option(form.portal, p.portalCode, p.name));
    jurisdictions.states.forEach((s) => {
      option(form.state, s.code, s.name);
      option($('state'), s.code, s.name);
    });
    categories.categories.forEach((c) => option(form.category, c.code, label(c.label)));
    categories.ministries.forEach((m) => option(form.ministry, m.code, m.name));
    option(form.ministry, '-', t('stateSubject'));
    form.state.addEventListener('change', () => districtOptions(form.state.value, ''));
  }
  function districtOptions(stateCode, selected) {
    const select = $('filters').district;
    select.replaceChildren(new Option(t('all'), ''));
    const state = reference.jurisdictions.states.find((s) => s.code === stateCode);
    (state ? state.districts : []).forEach((d) => option(select, d.code, d.name));
    select.value = selected || '';
  }
  function formFromUrl() {
    const p = params();
    const form = $('filters');
    ['from', 'to', 'portal', 'state', 'category', 'ministry'].forEach(
      (f) => (form[f].value = p.get(f) || ''),
    );
    districtOptions(p.get('state') || '', p.get('district'));
    $('breach-sort').value = p.get('sort') || 'due';
    $('state').value = p.get('indexState') || p.get('state') || '09';
    $('index-month').value = p.get('month') || '';
    lang = p.get('lang') === 'hi' ? 'hi' : 'en';
  }

  async function load() {
    document.body.dataset.loaded = 'false';
    clearTimeout(refreshTimer);
    $('status').textContent = t('loading');
    try {
      await loadReference();
      formFromUrl();
      translate();
      const [byPortal, byState, byCategory, byMinistry, ageing, insights, trend, portals] =
        await Promise.all([
          json(withFilters('/api/v1/sla/summary?groupBy=portal')),
          json(withFilters('/api/v1/sla/summary?groupBy=state')),
          json(withFilters('/api/v1/sla/summary?groupBy=category')),
          json(withFilters('/api/v1/sla/summary?groupBy=ministry')),
          json(withFilters('/api/v1/sla/summary?groupBy=ageing')),
          json(withFilters('/api/v1/sla/insights')),
          json('/api/v1/sla/trend'),
          json('/api/v1/staff/portals'),
        ]);
      last = Object.assign(last, {
        byPortal,
        byState,
        byCategory,
        byMinistry,
        ageing,
        insights,
        trend,
        portals,
      });
      $('content').hidden = false;
      await Promise.all([loadBreaches(), loadDistricts()]);
      render();
      document.body.dataset.loaded = 'true';
    } catch (error) {
      $('status').textContent = error.message;
    }
    // Auto-refresh while the tab is open.
    refreshTimer = setTimeout(() => {
      if (!document.hidden) load();
    }, REFRESH_MS);
  }
  function render() {
    translate();
    showFigures(last.byPortal);
    showStates(last.byState);
    showCategories(last.byCategory);
    showMinistries(last.byMinistry);
    showAgeing(last.ageing);
    showInsights(last.insights);
    showTrend(last.trend);
    showPortals(last.portals);
    showBreaches(last.breaches);
    showDistricts(last.index);
    $('status').textContent = last.byPortal.asOf
      ? t('asOf') + ' ' + new Date(last.byPortal.asOf).toLocaleString(locale())
      : '';
    showStale(last.byPortal.staleSince);
  }

  async function download(path, name) {
    try {
      const blob = await (await api(path)).blob();
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = name;
      document.body.appendChild(a);
      a.click();
      setTimeout(() => {
        URL.revokeObjectURL(a.href);
        a.remove();
      }, 1000);
    } catch (error) {
      $('status').textContent = error.message;
    }
  }

  // ----- events -----
  $('login').addEventListener('submit', (event) => {
    event.preventDefault();
    key = $('api-key').value.trim();
    sessionStorage.setItem('hub-api-key', key);
    load();
  });
  $('filters').addEventListener('submit', (event) => {
    event.preventDefault();
    const form = $('filters');
    const changes = {};
    FILTERS.forEach((f) => (changes[f] = form[f].value));
    breachCursors = [null];
    navigate(changes);
    load();
  });
  $('clear-filters').addEventListener('click', () => {
    const changes = {};
    FILTERS.forEach((f) => (changes[f] = ''));
    breachCursors = [null];
    navigate(changes);
    load();
  });
  window.addEventListener('popstate', () => {
    breachCursors = [null];
    if (key) load();
  });
  $('lang').addEventListener('click', () => {
    lang = lang === 'en' ? 'hi' : 'en';
    navigate({ lang: lang === 'hi' ? 'hi' : '' }, true);
    if (last.byPortal) render();
    else translate();
  });
  $('print').addEventListener('click', () => window.print());
  $('state').addEventListener('change', () => {
    navigate({ indexState: $('state').value });
    loadDistricts().catch((e) => ($('status').textContent = e.message));
  });
  $('index-month').addEventListener('change', () => {
    navigate({ month: $('index-month').value });
    loadDistricts().catch((e) => ($('status').textContent = e.message));
  });
  $('breach-sort').addEventListener('change', () => {
    breachCursors = [null];
    navigate({ sort: $('breach-sort').value === 'due' ? '' : $('breach-sort').value });
    loadBreaches().catch((e) => ($('status').textContent = e.message));
  });
  $('breaches-next').addEventListener('click', () => {
    breachCursors.push(last.breaches.nextCursor);
    loadBreaches().catch((e) => ($('status').textContent = e.message));
  });
  $('breaches-prev').addEventListener('click', () => {
    breachCursors.pop();
    loadBreaches().catch((e) => ($('status').textContent = e.message));
  });
  $('grievance-close').addEventListener('click', () => ($('grievance').hidden = true));
  $('csv-link').addEventListener('click', (e) => {
    e.preventDefault();
    download(withFilters('/api/v1/sla/report.csv?groupBy=portal'), 'sla-report.csv');
  });
  $('index-csv').addEventListener('click', (e) => {
    e.preventDefault();
    download('/api/v1/sla/district-index.csv' + indexQuery(), 'district-index.csv');
  });
  $('breaches-csv').addEventListener('click', (e) => {
    e.preventDefault();
    download('/api/v1/sla/breaches.csv?' + breachQuery(), 'sla-breaches.csv');
  });

  formFromUrlLang();
  function formFromUrlLang() {
    lang = params().get('lang') === 'hi' ? 'hi' : 'en';
    translate();
  }
  if (key) {
    $('api-key').value = key;
    load();
  }
})();
