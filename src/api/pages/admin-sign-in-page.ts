// GET /admin/sign-in: one field for ADMIN_TOKEN. The token is typed once; the session
// cookie then lasts 12 hours (admin-session.ts).
import { adminLayout } from './admin-layout'
import { html } from './html'

export type SignInNotice = 'wrong' | 'blocked' | 'signed-out' | 'expired'

const NOTICES: Record<SignInNotice, { text: string; bad: boolean }> = {
  wrong: { text: 'That is not the admin token.', bad: true },
  blocked: { text: 'Too many wrong tokens from your address. Try again in a few minutes.', bad: true },
  'signed-out': { text: 'You are signed out.', bad: false },
  expired: { text: 'Sign in to open the dashboard.', bad: false },
}

export function signInPage(notice?: SignInNotice): string {
  const n = notice ? NOTICES[notice] : undefined
  return adminLayout({
    title: 'Sign in',
    body: html`<section class="card narrow">
<h1>Operator sign-in</h1>
${n ? html`<p class="${n.bad ? 'error-summary' : 'notice'}" role="${n.bad ? 'alert' : 'status'}">${n.text}</p>` : ''}
<form method="post" action="/admin/sign-in">
<label for="token">Admin token</label>
<input id="token" name="token" type="password" autocomplete="current-password" required maxlength="512" autofocus>
<p class="hint">The value of <code>ADMIN_TOKEN</code>. You stay signed in on this browser for 12 hours.</p>
<button type="submit">Sign in</button>
</form>
</section>`,
  })
}
