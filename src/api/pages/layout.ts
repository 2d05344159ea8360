// The page shell shared by every server-rendered page: one stylesheet and, where a page
// needs it, one script, both from our own origin (the CSP allows nothing inline).
import { html, type SafeHtml } from './html'

export type PageOptions = { title: string; body: SafeHtml; script?: string }

export type HeadOptions = {
  title: string
  styles: readonly string[]
  scripts?: readonly string[]
  noindex?: boolean
}

/** `<!doctype html>` to `</head>`: our own stylesheets and deferred scripts, nothing inline. */
export function pageHead({ title, styles, scripts = [], noindex = false }: HeadOptions): SafeHtml {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
${noindex ? html`<meta name="robots" content="noindex">` : ''}
<title>${title}</title>
${styles.map((href) => html`<link rel="stylesheet" href="${href}">`)}
<link rel="icon" href="data:,">
${scripts.map((src) => html`<script src="${src}" defer></script>`)}
</head>`
}

export function layout({ title, body, script }: PageOptions): string {
  return html`${pageHead({ title: `${title} · Paperboy`, styles: ['/assets/site.css'], scripts: script ? [script] : [] })}
<body>
<header class="site"><a href="/" class="brand">Paperboy</a></header>
<main>
${body}
</main>
<footer class="site"><p>Paperboy emails the day's trending research papers that match your interests. No tracking pixels, no cookies.</p></footer>
</body>
</html>
`.value
}

/** A short page with a heading, a paragraph or two and optional extra markup. */
export function messagePage(
  title: string,
  paragraphs: readonly (string | SafeHtml)[],
  extra?: SafeHtml,
): string {
  return layout({
    title,
    body: html`<section class="card"><h1>${title}</h1>${paragraphs.map((p) => html`<p>${p}</p>`)}${extra}</section>`,
  })
}
