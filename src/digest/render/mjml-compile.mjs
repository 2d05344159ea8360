// MJML compiles the templates in a short-lived child process, started once per process by
// compile-templates.ts: mjml and its dependencies (a parser, a minifier, CSS inliners) are
// about 30 MB of heap and 50 MB of RSS that would otherwise stay loaded in every server and
// delivery worker for the process's life, to be used for one second at start-up.
//   node mjml-compile.mjs DIR NAME…   prints the compiled HTML of DIR/NAME.mjml, in order, as one JSON array
// Plain JavaScript, so it needs no TypeScript loader (tsx, vitest). A template that fails
// strict validation exits 1 with MJML's message on stderr.
import { readFile } from 'node:fs/promises'
import mjml2html from 'mjml'

const [dir, ...names] = process.argv.slice(2)
const htmls = []
for (const name of names) {
  const filePath = `${dir}/${name}.mjml`
  const source = await readFile(filePath, 'utf8')
  const { html } = await mjml2html(source, {
    validationLevel: 'strict',
    filePath,
    ignoreIncludes: false,
    keepComments: false,
    // Web fonts would be remote requests; the font stack is system fonts only.
    fonts: {},
  })
  htmls.push(html)
}
process.stdout.write(JSON.stringify(htmls))
