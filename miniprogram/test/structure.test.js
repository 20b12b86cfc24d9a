// The mini-program's shape: every page of app.json has its four files; only utils/request.js talks to the network;
// every page that uses a privacy-gated API shows the privacy sheet; every tappable control has a label for screen
// readers. (WeChat's compilers check the templates and styles: compile.test.js.)
const fs = require('fs')
const path = require('path')
const { PRIVACY_GATED } = require('./support/wx')

const root = path.join(__dirname, '..')
const app = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8'))

function walk(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return ['node_modules', 'test'].includes(e.name) ? [] : walk(p)
    return [p]
  })
}

test.each(app.pages)('%s has .js, .json, .wxml and .wxss', (page) => {
  for (const ext of ['.js', '.json', '.wxml', '.wxss']) {
    expect(fs.existsSync(path.join(root, page + ext))).toBe(true)
  }
  JSON.parse(fs.readFileSync(path.join(root, page + '.json'), 'utf8'))
})

// WeChat holds a privacy-gated call until the user agrees; a page without the sheet would wait forever.
test.each(app.pages)('%s shows the privacy sheet if it uses a privacy-gated API', (page) => {
  const js = fs.readFileSync(path.join(root, page + '.js'), 'utf8')
  const wxml = fs.readFileSync(path.join(root, page + '.wxml'), 'utf8')
  const gated = [...PRIVACY_GATED].filter((api) => js.includes('wx.' + api + '(')).concat(/open-type="getPhoneNumber"/.test(wxml) ? ['getPhoneNumber'] : [])
  if (gated.length) expect([page, /<privacy-sheet\b/.test(wxml)]).toEqual([page, true])
})

test('only utils/request.js calls wx.request, wx.uploadFile or wx.downloadFile', () => {
  const callers = walk(root).filter((f) => f.endsWith('.js') && /wx\.(request|uploadFile|downloadFile)\(/.test(fs.readFileSync(f, 'utf8')))
  expect(callers.map((f) => path.relative(root, f))).toEqual(['utils/request.js'])
})

test('pages call services, never the network helpers directly', () => {
  const pages = walk(path.join(root, 'pages')).filter((f) => f.endsWith('.js'))
  for (const f of pages) expect(fs.readFileSync(f, 'utf8')).not.toMatch(/utils\/request/)
})

test('every tappable view and button is labelled for screen readers', () => {
  const unlabelled = []
  for (const f of walk(root).filter((f) => f.endsWith('.wxml'))) {
    const src = fs.readFileSync(f, 'utf8')
    for (const tag of src.match(/<(view|button|text|image)\b[^>]*\bbindtap=[^>]*>/g) || []) {
      if (!/aria-label=/.test(tag)) unlabelled.push(path.relative(root, f) + ': ' + tag.slice(0, 60))
    }
    for (const tag of src.match(/<button\b[^>]*>/g) || []) {
      if (!/aria-label=/.test(tag)) unlabelled.push(path.relative(root, f) + ': ' + tag.slice(0, 60))
    }
  }
  expect(unlabelled).toEqual([])
})

// Emoji newer than the phone's font render as empty boxes (🪚 🩺 🪪 on older Android): pictures are shipped images.
describe('icons are images shipped with the app', () => {
  const sources = walk(root).filter((f) => /\.(wxml|js|json)$/.test(f) && !f.includes(path.sep + 'icons' + path.sep))
  const categoryCodes = [...fs.readFileSync(path.join(root, '..', 'model', 'migrate.go'), 'utf8').matchAll(/\{Code: "([a-z_]+)", Name: "[^"]+", Icon:/g)].map((m) => m[1])

  test('no emoji or pictographs on screen', () => {
    const pictographs = /[\u{1F000}-\u{1FAFF}\u{2600}-\u{27BF}\u{2B00}-\u{2BFF}\u{FE0F}]/u
    const found = sources.flatMap((f) => fs.readFileSync(f, 'utf8').split('\n').map((line, i) => [f, i + 1, line]))
      .filter(([f, , line]) => pictographs.test(f.endsWith('.js') ? line.replace(/\/\/.*$/, '') : line))
      .map(([f, n, line]) => path.relative(root, f) + ':' + n + ' ' + line.trim())
    expect(found).toEqual([])
  })

  test('every icon a page names exists, trades included', () => {
    const named = new Set(categoryCodes.map((c) => 'cat-' + c))
    for (const f of sources) {
      const text = fs.readFileSync(f, 'utf8')
      for (const m of text.matchAll(/\bicon="([a-z0-9_-]+)"/g)) named.add(m[1])
      for (const m of text.matchAll(/\/icons\/([a-z0-9_-]+)\.svg/g)) named.add(m[1])
      for (const m of text.matchAll(/\bpic: '([a-z0-9_-]+)'/g)) named.add(m[1])
    }
    expect(categoryCodes.length).toBeGreaterThan(10)
    const missing = [...named].filter((n) => !fs.existsSync(path.join(root, 'icons', n + '.svg')))
    // Map markers are PNG (the map draws its markers natively).
    for (const f of sources) {
      for (const m of fs.readFileSync(f, 'utf8').matchAll(/\/icons\/([a-z0-9_-]+\.png)/g)) {
        if (!fs.existsSync(path.join(root, 'icons', m[1]))) missing.push(m[1])
      }
    }
    expect(missing).toEqual([])
  })

  test('icons are plain SVG that WeChat\'s <image> draws: no text, styles, scripts or outside references', () => {
    for (const f of fs.readdirSync(path.join(root, 'icons')).filter((n) => n.endsWith('.svg'))) {
      const svg = fs.readFileSync(path.join(root, 'icons', f), 'utf8')
      expect([f, /<(text|style|script|image|foreignObject|filter)\b|xlink:|url\(/.test(svg)]).toEqual([f, false])
      expect([f, svg.length < 2048]).toEqual([f, true])
    }
  })
})

// iOS runs the app's JavaScript in JavaScriptCore: before iOS 16.4 a regex lookbehind is a syntax error that
// stops the whole file, and WeChat's ES6-to-ES5 step does not rewrite regexes.
test('no regex lookbehind in the app\'s JavaScript', () => {
  const found = walk(root).filter((f) => f.endsWith('.js') && !f.includes(path.sep + 'test' + path.sep))
    .filter((f) => /\(\?<[=!]/.test(fs.readFileSync(f, 'utf8'))).map((f) => path.relative(root, f))
  expect(found).toEqual([])
})
