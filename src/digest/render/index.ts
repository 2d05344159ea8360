// Render: turns planned data into finished emails and the archive page. MJML templates in
// templates/ are compiled once per process (the TemplateCache of src/deps.ts); a paper card is filled once
// per paper and day (prepareCard); each reader's email is then string assembly with escaped
// values (renderDigest), so 100,000 readers never mean 100,000 MJML compilations.

export type { CompiledTemplates } from './compile-templates'
export { compileTemplates, createTemplateCache, TEMPLATES_DIR, type TemplateCache } from './compile-templates'
export { type DigestCard, digestCard } from './digest-card'
export * from './email-types'
export { escapeHtml } from './escape'
export { hostOf } from './headers'
export type { FeedbackUrls, PaperForCard } from './paper-card'
export { cardFromPaper, prepareCard } from './paper-card'
export { renderArchive } from './render-archive'
export {
  type DigestFrame,
  type DigestLinks,
  type DigestRecipient,
  digestSubject,
  fillDigest,
  renderDigest,
  topTopics,
} from './render-digest'
export { renderConfirmEmail, renderManageEmail, renderWelcomeEmail } from './render-transactional'
