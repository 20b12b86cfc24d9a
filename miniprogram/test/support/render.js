// Phone-sized renders: a page on the test phone (support/phone.js) is written out as the HTML WeChat's WebView
// would hold (wx-* elements, WeChat's scroll-view structure, default styles of the built-in components), styled by
// the code WeChat's own wcsc compiled from the app's WXSS (it converts rpx at the page's width, as on a phone),
// and opened in headless Chromium at 375×667, where the browser measures it. An approximation of the WebView.
const fs = require('fs')
const path = require('path')
const { spawnSync } = require('child_process')
const exparser = require('miniprogram-exparser')
const unescapeJs = require('unescape-js') // wcsc answers with \xNN escapes, as in a string literal
const { BUILTIN, attrsOf, tagOf, root } = require('./phone')

const CHROMIUM = process.env.LINGONG_CHROMIUM || '/usr/bin/chromium'
const available = () => fs.existsSync(CHROMIUM)

// WeChat's default styles for its built-in components (base library 3.x, without "style": "v2").
const BASE_CSS = `
html, body { margin: 0; padding: 0; -webkit-text-size-adjust: none; }
body { font-family: "Noto Sans CJK SC", "Droid Sans Fallback", sans-serif; font-size: 16px; }
wx-view, wx-scroll-view, wx-form, wx-picker, wx-navigator, wx-swiper, wx-map, wx-input, wx-textarea, wx-label, wx-page-root { display: block; }
wx-text { display: inline; white-space: pre-wrap; }
wx-button { position: relative; display: block; margin-left: auto; margin-right: auto; padding-left: 14px; padding-right: 14px;
  box-sizing: border-box; font-size: 18px; text-align: center; text-decoration: none; line-height: 2.55555556;
  border-radius: 5px; overflow: hidden; color: #000; background-color: #f8f8f8; }
wx-button::after { content: " "; width: 200%; height: 200%; position: absolute; top: 0; left: 0; border: 1px solid rgba(0,0,0,.2);
  transform: scale(.5); transform-origin: 0 0; box-sizing: border-box; border-radius: 10px; }
wx-button[type=primary] { color: #fff; background-color: #07c160; }
wx-input { height: 1.4rem; min-height: 1.4rem; overflow: hidden; text-overflow: clip; white-space: nowrap; cursor: auto; }
wx-input .placeholder { color: #999; }
wx-textarea { width: 300px; height: 150px; overflow: hidden; white-space: pre-wrap; }
wx-image { width: 320px; height: 240px; display: inline-block; overflow: hidden; background: #d9d9d9; }
wx-map { width: 300px; height: 225px; background: #cfe3d6; }
wx-switch, wx-checkbox, wx-radio { display: inline-block; }
wx-scroll-view > .wx-scroll-view-inner { width: 100%; height: 100%; }
[hidden] { display: none !important; }
`

// Styles: wcsc over every WXSS once, as miniprogram-compiler calls it.
let compiled = null
function styles() {
  if (compiled) return compiled
  const bin = path.join(root, 'node_modules', 'miniprogram-compiler', 'bin', 'linux', 'wcsc')
  fs.chmodSync(bin, 0o755)
  const walk = (dir) => fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    ['node_modules', 'test'].includes(e.name) ? [] : e.isDirectory() ? walk(path.join(dir, e.name)) : [path.relative(root, path.join(dir, e.name))])
  const wxss = walk(root).filter((f) => f.endsWith('.wxss'))
  // The app's, pages' and components' own styles (a .json beside them) are compiled, counted by -pc; others are imports.
  const own = wxss.filter((f) => fs.existsSync(path.join(root, f.replace(/\.wxss$/, '.json'))))
  const args = ['-db', '-pc', String(own.length)].concat(own.concat(wxss.filter((f) => !own.includes(f))).map((f) => './' + f))
  const res = spawnSync(bin, args, { cwd: root, maxBuffer: 64 * 1024 * 1024 })
  if (res.status !== 0) throw new Error('wcsc: ' + res.stderr)
  const parts = res.stdout.toString().split('=')
  const out = {}
  for (let i = 0; i + 1 < parts.length; i += 2) out[parts[i]] = parts[i + 1] // still JS-escaped, for a <script>
  compiled = out
  return out
}

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const rpx = (css) => String(css).replace(/(-?\d*\.?\d+)rpx/g, (_, n) => (Number(n) * 375) / 750 + 'px')

// A component with options.addGlobalClass takes the page's styles too (styleIsolation apply-shared): its classes
// also carry the page's prefix.
const sharing = new Map()
function sharesPageStyles(tag) {
  if (!sharing.has(tag)) {
    const js = path.join(root, 'components', tag, 'index.js')
    sharing.set(tag, fs.existsSync(js) && /addGlobalClass:\s*true/.test(fs.readFileSync(js, 'utf8')))
  }
  return sharing.get(tag)
}
function withGlobalClasses(cls) {
  if (!cls) return cls
  return cls.split(/\s+/).flatMap((c) => {
    const m = /^([a-z][a-z0-9-]*?)--(.+)$/.exec(c)
    return m && m[1] !== 'page' && sharesPageStyles(m[1]) ? [c, 'page--' + m[2]] : [c]
  }).join(' ')
}

const on = (v) => v !== undefined && v !== false && v !== 'false'
const TAPPABLE_TAGS = new Set(['button', 'input', 'textarea', 'picker', 'switch', 'slider', 'checkbox', 'radio', 'navigator'])

// html writes the page's composed tree as WebView markup; it also returns the custom components on the page.
function html(page) {
  const components = new Set()
  const out = (node) => {
    if (node instanceof exparser.TextNode) return esc(node.textContent)
    if (!(node instanceof exparser.Element)) return ''
    const kids = () => (node.__wxSlotChildren || []).map(out).join('')
    if (node.__virtual) return kids()
    const tag = tagOf(node)
    const a = attrsOf(node)
    if (a.hidden === true || a.hidden === 'true') return ''
    const builtin = BUILTIN.has(tag)
    if (!builtin) components.add(tag)
    const name = builtin ? 'wx-' + tag : tag
    const events = Object.keys((node._vt && node._vt.event) || {})
    const attrs = []
    let style = a.style ? rpx(a.style) : ''
    const cls = withGlobalClasses(node.$$ && node.$$.className)
    if (cls) attrs.push('class="' + esc(cls) + '"')
    for (const k of ['type', 'size', 'disabled', 'plain']) if (a[k] !== undefined && a[k] !== false && a[k] !== '') attrs.push(k + '="' + esc(a[k]) + '"')
    if (a.ariaLabel) attrs.push('aria-label="' + esc(a.ariaLabel) + '"')
    // What a finger can hit: elements bound to tap, and WeChat's own controls (a component's own tap target is inside it).
    if (events.some((e) => ['tap', 'longpress'].includes(e)) || TAPPABLE_TAGS.has(tag)) attrs.push('data-tap=""')
    let inner = kids()
    // An image shipped with the app is drawn from its file (mode scaleToFill, WeChat's default).
    if (tag === 'image' && typeof a.src === 'string' && a.src.startsWith('/') && fs.existsSync(path.join(root, a.src))) {
      inner = '<img src="' + require('url').pathToFileURL(path.join(root, a.src)) + '" style="width:100%;height:100%;display:block">'
      style = 'background:none;' + style
    }
    if (tag === 'input' || tag === 'textarea') {
      inner = a.value ? esc(a.value) : a.placeholder ? '<span class="placeholder">' + esc(a.placeholder) + '</span>' : ''
    }
    if (tag === 'scroll-view') {
      const scroll = on(a.scrollX) ? 'overflow-x:auto;overflow-y:hidden;' : on(a.scrollY) ? 'overflow-y:auto;' : ''
      attrs.push('data-scroll="' + (on(a.scrollX) ? 'x' : 'y') + '"')
      // Without enable-flex WeChat puts the children in an inner block: display:flex on the scroll-view does nothing.
      if (on(a.enableFlex)) style = scroll + style
      else inner = '<div class="wx-scroll-view-inner" style="' + scroll + '">' + inner + '</div>'
    }
    if (style) attrs.push('style="' + esc(style) + '"')
    return '<' + name + (attrs.length ? ' ' + attrs.join(' ') : '') + '>' + inner + '</' + name + '>'
  }
  return { body: out(page.comp._exparserNode), components }
}

// document is the whole HTML page: base styles, then WeChat's compiled WXSS applied with the class prefixes the
// renderer gave the page ("page--") and each component ("<tag>--").
function documentFor(page) {
  const css = styles()
  const { body, components } = html(page)
  // A tab page shows the app's own tab bar (custom-tab-bar) fixed at the bottom.
  const bar = page.tabBar ? html(page.tabBar) : { body: '', components: new Set() }
  bar.components.forEach((c) => components.add(c))
  const apply = [`(${css['./app.wxss']})('page--')`]
  if (page.tabBar) apply.push(`(${css['./custom-tab-bar/index.wxss']})('custom-tab-bar--')`)
  if (css['./' + page.route + '.wxss']) apply.push(`(${css['./' + page.route + '.wxss']})('page--')`)
  for (const c of components) {
    const file = './components/' + c + '/index.wxss'
    if (css[file]) apply.push(`(${css[file]})('${c}--')`)
  }
  return `<!doctype html><html><head><meta charset="utf-8"><meta name="viewport" content="width=375">
<style>${BASE_CSS}</style>
<script>${unescapeJs(css.comm)}</script>
<script>${apply.map(unescapeJs).join(';\n')}</script>
</head><body>${body}${bar.body}</body></html>`
}

// Browser drives headless Chromium through support/browser.js, a plain Node process (Playwright does not run
// under jest's jsdom): one HTML file in, the browser's measurements (and a PNG) out.
class Browser {
  async start() {
    const { spawn } = require('child_process')
    this.proc = spawn(process.execPath, [path.join(__dirname, 'browser.js'), CHROMIUM], { stdio: ['pipe', 'pipe', 'inherit'] })
    this.waiting = []
    let buf = ''
    this.proc.stdout.on('data', (chunk) => {
      buf += chunk
      let i
      while ((i = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, i)
        buf = buf.slice(i + 1)
        const w = this.waiting.shift()
        const msg = JSON.parse(line)
        msg.error ? w.reject(new Error(msg.error)) : w.resolve(msg)
      }
    })
    this.dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'lingong-render-'))
    this.n = 0
    await this.ask({ ping: true })
    return this
  }

  ask(job) {
    return new Promise((resolve, reject) => {
      this.waiting.push({ resolve, reject })
      this.proc.stdin.write(JSON.stringify(job) + '\n')
    })
  }

  // render lays out a page of the phone and measures it; with a file name it also saves the first screen as a PNG.
  async render(page, png) {
    const file = path.join(this.dir, 'page' + this.n++ + '.html')
    fs.writeFileSync(file, documentFor(page))
    if (png) fs.mkdirSync(path.dirname(png), { recursive: true })
    return this.ask({ file, png })
  }

  async stop() {
    if (!this.proc) return
    this.proc.stdin.end()
    await new Promise((r) => this.proc.on('exit', r))
    fs.rmSync(this.dir, { recursive: true, force: true })
  }
}

module.exports = { Browser, available }
