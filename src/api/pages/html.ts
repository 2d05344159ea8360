// A tiny tagged template for server-rendered pages: every interpolated value is escaped
// unless it is already SafeHtml (the output of another `html` call). Nothing reader-typed
// can reach a page unescaped, because the only way to skip escaping is this type.
import { escapeHtml } from '../../digest/render'

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

type Value = SafeHtml | string | number | boolean | null | undefined | readonly Value[]

function render(v: Value): string {
  if (v === null || v === undefined || v === false) return ''
  if (v instanceof SafeHtml) return v.value
  if (Array.isArray(v)) return v.map(render).join('')
  return escapeHtml(String(v))
}

export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  let out = strings[0]!
  for (let i = 0; i < values.length; i++) out += render(values[i]!) + strings[i + 1]!
  return new SafeHtml(out)
}

/** An attribute that is present or absent (`checked`, `selected`, `hidden`). */
export function flag(on: boolean, name: string): SafeHtml {
  return new SafeHtml(on ? ` ${name}` : '')
}
