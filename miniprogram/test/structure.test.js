// The mini-program's shape: every page of app.json has its four files; only utils/request.js calls wx.request;
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

test('only utils/request.js calls wx.request or wx.uploadFile', () => {
  const callers = walk(root).filter((f) => f.endsWith('.js') && /wx\.(request|uploadFile)\(/.test(fs.readFileSync(f, 'utf8')))
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
