// Live preview for the signup form (progressive enhancement: the form works without it).
// Reads the form, asks POST /api/preview which of the latest day's papers this reader
// would have got, and lists them with the reasons. Text goes in with textContent only.
;(() => {
  const form = document.getElementById('signup') || document.getElementById('preferences')
  const box = document.getElementById('preview')
  if (!form || !box || !window.fetch) return
  const status = document.getElementById('preview-status')
  const list = document.getElementById('preview-list')
  // On a phone the preview sits below the form; this line follows the reader down the form.
  const peek = document.getElementById('preview-peek')
  box.hidden = false

  const split = (text) =>
    text
      .split(/[,\n\r]+/)
      .map((s) => s.trim())
      .filter(Boolean)

  function request() {
    const data = new FormData(form)
    const max = Number(data.get('maxPapers'))
    return {
      topics: data.getAll('topics'),
      keywords: split(String(data.get('keywords') || '')),
      exclude: split(String(data.get('exclude') || '')),
      authors: split(String(data.get('authors') || '')),
      maxPapers: Number.isInteger(max) && max >= 1 && max <= 25 ? max : 10,
      fallbackToTrending: data.get('fallbackToTrending') === 'on',
    }
  }

  function show(answer) {
    list.replaceChildren()
    if (!answer.date) {
      status.textContent = 'No trending list has been fetched yet, so there is nothing to preview.'
      if (peek) peek.hidden = true
      return
    }
    const n = answer.papers.length
    if (peek) {
      peek.hidden = false
      peek.textContent = `Preview: ${n} paper${n === 1 ? '' : 's'} from ${answer.date} — see them`
    }
    const what = answer.fallback
      ? `the ${n} top trending paper${n === 1 ? '' : 's'}`
      : `${n} paper${n === 1 ? '' : 's'}`
    status.textContent =
      n === 0
        ? `Nothing from ${answer.date} matches these choices: that day you would have got no email.`
        : `From the ${answer.date} list you would have got ${what}:`
    for (const p of answer.papers) {
      const li = document.createElement('li')
      const title = document.createElement(p.url ? 'a' : 'span')
      title.textContent = p.title
      if (p.url) {
        title.href = p.url
        title.rel = 'noopener noreferrer'
      }
      const why = document.createElement('small')
      why.textContent = p.why.join(' · ')
      li.append(title, why)
      list.append(li)
    }
  }

  let timer = 0
  let seq = 0
  async function refresh() {
    const mine = ++seq
    try {
      const res = await fetch('/api/preview', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(request()),
      })
      const answer = await res.json()
      if (mine !== seq) return
      if (!res.ok) {
        list.replaceChildren()
        status.textContent = `Preview unavailable: ${answer.message || res.status}`
        return
      }
      show(answer)
    } catch {
      if (mine === seq) status.textContent = 'Preview unavailable right now.'
    }
  }
  const schedule = () => {
    clearTimeout(timer)
    timer = setTimeout(refresh, 250)
  }
  form.addEventListener('input', schedule)
  form.addEventListener('change', schedule)
  refresh()
})()

// A reader who has not picked a time zone yet starts from the browser's own, when it is one
// the server lists (otherwise the service's default stays selected).
;(() => {
  const select = document.querySelector('select[name="timezone"][data-prefill]')
  if (!select || !window.Intl) return
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone
  const options = [...select.options]
  // Names differ between ICU versions (the browser may say Asia/Calcutta where the server
  // lists Asia/Kolkata): failing an exact match, compare both as this browser resolves them.
  const resolved = (name) => {
    try {
      return new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone
    } catch {
      return null
    }
  }
  const option = options.find((o) => o.value === zone) ?? options.find((o) => resolved(o.value) === zone)
  if (option) select.value = option.value
})()
