// The shell of the operator's pages: the admin stylesheet, the page's scripts (from our
// own origin: the CSP allows nothing inline) and, when signed in, the sign-out button
// (a POST with the session's CSRF token: a link could be followed by anything).
import { html, type SafeHtml } from './html'
import { pageHead } from './layout'

export type AdminPageOptions = { title: string; body: SafeHtml; csrf?: string; scripts?: readonly string[] }

export function adminLayout({ title, body, csrf, scripts = [] }: AdminPageOptions): string {
  return html`${pageHead({
    title: `${title} · Paperboy admin`,
    styles: ['/assets/site.css', '/assets/admin.css'],
    scripts,
    noindex: true,
  })}
<body class="admin">
<header class="site admin-bar"><a href="/admin" class="brand">Paperboy <span>admin</span></a>
${csrf ? html`<form method="post" action="/admin/sign-out" class="sign-out"><input type="hidden" name="_csrf" value="${csrf}"><button type="submit" class="secondary">Sign out</button></form>` : ''}
</header>
<main>
${body}
</main>
</body>
</html>
`.value
}

/** A short operator page: heading, message, optional extra markup. */
export function adminMessagePage(title: string, message: string, extra?: SafeHtml): string {
  return adminLayout({
    title,
    body: html`<section class="card narrow"><h1>${title}</h1><p>${message}</p>${extra}</section>`,
  })
}
