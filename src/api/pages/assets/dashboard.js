// The dashboard's charts. The numbers come from the page's JSON block (#metrics, the same
// object as GET /api/admin/metrics); Chart.js is served by the app (/assets/chart.umd.js).
// Each canvas names its chart in data-chart; once drawn it carries data-drawn.
;(() => {
  const block = document.getElementById('metrics')
  if (!block || !window.Chart) return
  const m = JSON.parse(block.textContent)
  const Chart = window.Chart
  Chart.defaults.font.family = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif'
  Chart.defaults.color = '#5b6472'
  Chart.defaults.animation = false
  Chart.defaults.maintainAspectRatio = false
  Chart.defaults.plugins.legend.labels.boxWidth = 12

  const C = {
    active: '#1e7a3c',
    paused: '#d49b1a',
    pending: '#1f5fbf',
    unsubscribed: '#8a94a6',
    bounced: '#b3261e',
    purple: '#6d4bb8',
    teal: '#0f8a8a',
  }
  const short = (date) => date.slice(5)
  const minutes = (ms) => (ms === null ? null : Math.round(ms / 600) / 100)
  const line = (label, data, color, extra = {}) => ({
    label,
    data,
    borderColor: color,
    backgroundColor: `${color}cc`,
    pointRadius: 0,
    borderWidth: 2,
    ...extra,
  })
  const bar = (label, data, color, extra = {}) => ({ label, data, backgroundColor: color, ...extra })
  const stacked = { x: { stacked: true, grid: { display: false } }, y: { stacked: true, beginAtZero: true } }
  const index = { mode: 'index', intersect: false }

  const ranking = (labels, readers, color) => ({
    type: 'bar',
    data: { labels, datasets: [bar('readers', readers, color)] },
    options: {
      indexAxis: 'y',
      plugins: { legend: { display: false } },
      scales: { y: { grid: { display: false } } },
    },
  })

  const charts = {
    list: () => ({
      type: 'line',
      data: {
        labels: m.list.map((d) => short(d.date)),
        datasets: ['active', 'paused', 'pending', 'unsubscribed', 'bounced'].map((s) =>
          line(
            s,
            m.list.map((d) => d[s]),
            C[s],
            { fill: true },
          ),
        ),
      },
      options: { scales: stacked, interaction: index },
    }),
    journey: () => ({
      type: 'bar',
      data: {
        labels: m.journey.map((d) => short(d.date)),
        datasets: [
          bar(
            'signups',
            m.journey.map((d) => d.signups),
            C.pending,
          ),
          bar(
            'confirmations',
            m.journey.map((d) => d.confirmations),
            C.active,
          ),
          bar(
            'unsubscribes (one-click)',
            m.journey.map((d) => -d.unsubscribesOneClick),
            C.unsubscribed,
          ),
          bar(
            'unsubscribes (page)',
            m.journey.map((d) => -d.unsubscribesPage),
            C.purple,
          ),
          bar(
            'bounces',
            m.journey.map((d) => -d.bounces),
            C.bounced,
          ),
        ],
      },
      options: {
        interaction: index,
        scales: { x: { stacked: true, grid: { display: false } }, y: { stacked: true } },
        plugins: {
          subtitle: { display: true, text: 'gains above the line, losses below' },
          tooltip: { callbacks: { label: (c) => `${c.dataset.label}: ${Math.abs(c.raw)}` } },
        },
      },
    }),
    deliveries: () => ({
      type: 'bar',
      data: {
        labels: m.deliveries.map((d) => short(d.date)),
        datasets: [
          line(
            'planned',
            m.deliveries.map((d) => d.planned),
            C.pending,
            { type: 'line', fill: false },
          ),
          bar(
            'sent',
            m.deliveries.map((d) => d.sent),
            C.active,
            { stack: 's' },
          ),
          bar(
            'failed',
            m.deliveries.map((d) => d.failed),
            C.bounced,
            { stack: 's' },
          ),
          bar(
            'skipped',
            m.deliveries.map((d) => d.skipped),
            C.unsubscribed,
            { stack: 's' },
          ),
          bar(
            'paused',
            m.deliveries.map((d) => d.paused),
            C.paused,
            { stack: 's' },
          ),
        ],
      },
      options: { interaction: index, scales: stacked },
    }),
    latency: () => ({
      type: 'line',
      data: {
        labels: m.deliveries.map((d) => short(d.date)),
        datasets: [
          line(
            'median',
            m.deliveries.map((d) => minutes(d.p50Ms)),
            C.active,
            { spanGaps: true },
          ),
          line(
            '95th percentile',
            m.deliveries.map((d) => minutes(d.p95Ms)),
            C.paused,
            { spanGaps: true },
          ),
        ],
      },
      options: {
        interaction: index,
        scales: { y: { beginAtZero: true, title: { display: true, text: 'min' } } },
      },
    }),
    runs: () => {
      const runs = [...m.runs].reverse()
      return {
        type: 'bar',
        data: {
          labels: runs.map((r) => short(r.date)),
          datasets: [
            bar(
              'ingest',
              runs.map((r) => minutes(r.ingestMs)),
              C.teal,
              { stack: 'p' },
            ),
            bar(
              'plan',
              runs.map((r) => minutes(r.planMs)),
              C.pending,
              { stack: 'p' },
            ),
            bar(
              'deliver',
              runs.map((r) => minutes(r.deliverMs)),
              C.active,
              { stack: 'p' },
            ),
            line(
              'list size',
              runs.map((r) => r.listSize),
              C.paused,
              { type: 'line', yAxisID: 'list', pointRadius: 2 },
            ),
          ],
        },
        options: {
          interaction: index,
          scales: {
            x: { stacked: true, grid: { display: false } },
            y: { stacked: true, beginAtZero: true, title: { display: true, text: 'min' } },
            list: { position: 'right', beginAtZero: true, grid: { display: false } },
          },
        },
      }
    },
    topics: () =>
      ranking(
        m.topics.map((t) => t.name),
        m.topics.map((t) => t.readers),
        C.pending,
      ),
    keywords: () =>
      ranking(
        m.keywords.map((k) => k.term),
        m.keywords.map((k) => k.readers),
        C.teal,
      ),
  }

  for (const canvas of document.querySelectorAll('canvas[data-chart]')) {
    const make = charts[canvas.dataset.chart]
    if (!make) continue
    new Chart(canvas, make())
    canvas.dataset.drawn = 'true'
  }
})()
