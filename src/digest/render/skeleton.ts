// A compiled MJML template, parsed once into parts so that filling it per email is string
// concatenation. Markers written in the MJML sources survive compilation untouched:
//   {{name}}    a value, HTML-escaped when filled
//   {{{name}}}  trusted HTML built by this module (cards, the why line)
//   <!--pb:if name--> … <!--pb:fi name-->     kept only when `name` has a value
//   <!--pb:ifnot name--> … <!--pb:fi name-->  kept only when it has none
import { escapeHtml } from './escape'

type Node =
  | {
      kind: 'text'
      text: string
      /** UTF-8 size, measured once at parse: the same in every email. */
      bytes: number
    }
  | { kind: 'slot'; name: string; raw: boolean }
  | { kind: 'if'; name: string; negate: boolean; children: Node[] }

export type SlotValue = string | number | null | undefined
export type SlotValues = Readonly<Record<string, SlotValue>>

export interface Skeleton {
  readonly nodes: readonly Node[]
  /** Every name the template refers to, for checking at boot that code and template agree. */
  readonly names: ReadonlySet<string>
}

const TOKEN = /\{\{\{(\w+)\}\}\}|\{\{(\w+)\}\}|<!--pb:(if|ifnot|fi) (\w+)-->/g

const textNode = (text: string): Node => ({ kind: 'text', text, bytes: Buffer.byteLength(text) })

export function parseSkeleton(html: string): Skeleton {
  const root: Node[] = []
  const stack: { name: string; children: Node[] }[] = [{ name: '', children: root }]
  const names = new Set<string>()
  let last = 0
  for (const m of html.matchAll(TOKEN)) {
    const top = stack[stack.length - 1]!
    if (m.index > last) top.children.push(textNode(html.slice(last, m.index)))
    last = m.index + m[0].length
    const [, rawName, name, directive, condName] = m
    if (rawName || name) {
      names.add((rawName ?? name)!)
      top.children.push({ kind: 'slot', name: (rawName ?? name)!, raw: rawName !== undefined })
    } else if (directive === 'fi') {
      if (stack.length === 1 || top.name !== condName)
        throw new Error(`template: unmatched pb:fi ${condName}`)
      stack.pop()
    } else {
      names.add(condName!)
      const node: Node = { kind: 'if', name: condName!, negate: directive === 'ifnot', children: [] }
      top.children.push(node)
      stack.push({ name: condName!, children: node.children })
    }
  }
  if (stack.length !== 1) throw new Error(`template: pb:if ${stack[stack.length - 1]!.name} is never closed`)
  if (last < html.length) root.push(textNode(html.slice(last)))
  return { nodes: root, names }
}

function present(v: SlotValue): boolean {
  return v !== null && v !== undefined && v !== ''
}

// Filled by `+=`, not an array join: V8 keeps the result as a rope over the template's text
// and the shared card strings instead of copying ~20 KB per email, and the mailer flattens
// it once when it encodes the message. At 100,000 emails that copy was most of the garbage.
function fillNodes(nodes: readonly Node[], values: SlotValues): string {
  let out = ''
  for (const node of nodes) {
    if (node.kind === 'text') out += node.text
    else if (node.kind === 'slot') {
      const v = values[node.name]
      // A missing value is a bug in the caller, not something to paper over with "undefined" in a mail.
      if (v === undefined) throw new Error(`template: no value for {{${node.name}}}`)
      if (v !== null) out += node.raw ? String(v) : escapeHtml(String(v))
    } else if (present(values[node.name]) !== node.negate) out += fillNodes(node.children, values)
  }
  return out
}

export function fillSkeleton(skeleton: Skeleton, values: SlotValues): string {
  return fillNodes(skeleton.nodes, values)
}

/**
 * The UTF-8 size `fillSkeleton(skeleton, values)` would have, leaving out the raw slots in
 * `skip` (the caller measures those itself), without building the email.
 */
export function filledBytes(skeleton: Skeleton, values: SlotValues, skip: ReadonlySet<string>): number {
  const walk = (nodes: readonly Node[]): number => {
    let bytes = 0
    for (const node of nodes) {
      if (node.kind === 'text') bytes += node.bytes
      else if (node.kind === 'slot') {
        const v = values[node.name]
        if (v === null || v === undefined || skip.has(node.name)) continue
        bytes += Buffer.byteLength(node.raw ? String(v) : escapeHtml(String(v)))
      } else if (present(values[node.name]) !== node.negate) bytes += walk(node.children)
    }
    return bytes
  }
  return walk(skeleton.nodes)
}

/** Fails at boot, not at 06:00, when a template edit drops or renames a marker the code fills. */
export function assertNames(file: string, skeleton: Skeleton, expected: readonly string[]): void {
  const missing = expected.filter((n) => !skeleton.names.has(n))
  const unknown = [...skeleton.names].filter((n) => !expected.includes(n))
  if (missing.length || unknown.length) {
    throw new Error(`${file}: markers disagree with the code (missing: ${missing}; unknown: ${unknown})`)
  }
}
