// Why an input could not be ingested at all. A short closed list of codes so the CLI and
// the daily run can decide (retry later vs. give up) without parsing messages; the
// message itself is one line a person can act on.
export type IngestErrorCode =
  | 'empty' // no body, or only whitespace
  | 'not-found' // HTTP 404/410: usually the day is not published yet
  | 'http' // any other non-success answer after retries
  | 'network' // timeout, refused connection, reset
  | 'too-large' // body above the size cap
  | 'too-complex' // nested deeper or with more elements than any real feed
  | 'parse-failed' // the parser ran out of time or memory, or crashed
  | 'html' // an HTML page (error page, login wall) where a feed was expected
  | 'not-a-feed' // something else we cannot read as any known format
  | 'truncated' // cut off before the first complete entry
  | 'source-error' // the source answered with its own error document

export class IngestError extends Error {
  override readonly name = 'IngestError'
  constructor(
    readonly code: IngestErrorCode,
    message: string,
  ) {
    super(message)
  }
}

/**
 * The largest document read from a file or a download (10 MB). A day's Hugging Face list is
 * about 100 KB and arXiv's largest daily feed under 3 MB; past this, reading stops and the
 * document is refused, so a 50 MB file costs no more memory than a 10 MB one.
 */
export const MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
