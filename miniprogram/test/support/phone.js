// A phone running the mini-program: app.js launched, pages rendered from their real WXML (compiled by WeChat's
// wcc through miniprogram-simulate) with their real logic, a page stack WeChat's way, and a person who taps what
// is on screen. Tests find controls by what the user sees (their text or aria-label) and tap them; a handler
// that is not bound, a tag that does not exist or a control that is not shown cannot be tapped.
const fs = require('fs')
const path = require('path')
const simulate = require('miniprogram-simulate')
const exparser = require('miniprogram-exparser')
const { install, appJson, tabPages, WxError } = require('./wx')

const root = path.join(__dirname, '..', '..')
const SETDATA_LIMIT = 1024 * 1024
const GESTURES = new Set(['tap', 'longpress', 'longtap'])

// Built-in components WeChat renders; any other tag must be a declared custom component.
const BUILTIN = new Set(['view', 'scroll-view', 'swiper', 'swiper-item', 'movable-area', 'movable-view', 'cover-view',
  'cover-image', 'icon', 'text', 'rich-text', 'progress', 'button', 'checkbox', 'checkbox-group', 'form', 'input',
  'label', 'picker', 'picker-view', 'picker-view-column', 'radio', 'radio-group', 'slider', 'switch', 'textarea',
  'navigator', 'image', 'video', 'camera', 'map', 'canvas', 'web-view', 'block', 'slot', 'template', 'import',
  'include', 'wxs', 'page-meta', 'navigation-bar', 'functional-page-navigator', 'official-account', 'open-data',
  'ad', 'editor', 'match-media', 'page-container', 'share-element', 'keyboard-accessory', 'root-portal',
  'grid-view', 'list-view', 'sticky-header', 'sticky-section', 'channel-live', 'channel-video', 'voip-room'])

let defined = null // the definition the file being run gave to Page() or Component()

// Components are wrapped so that a handler run by a tap counts as the user's gesture while it runs synchronously.
const simulateComponent = global.Component
function gestureAware(methods) {
  const out = {}
  for (const [name, fn] of Object.entries(methods || {})) {
    out[name] = function (...args) {
      const e = args[0]
      if (e && typeof e === 'object' && GESTURES.has(e.type)) return global.wx.asGesture(() => fn.apply(this, args))
      return fn.apply(this, args)
    }
  }
  return out
}
global.Component = (def) => {
  defined = { make: global.Component, def }
  simulateComponent({ ...def, methods: gestureAware(def.methods) })
}

// A page is a component whose methods are the Page's functions; setData is WeChat's, 1 MB at most.
global.Page = (def) => {
  defined = { make: global.Page, def }
  const fns = {}
  const extra = {}
  for (const [k, v] of Object.entries(def)) {
    if (k === 'data') continue
    if (typeof v === 'function') fns[k] = v
    else extra[k] = v
  }
  simulateComponent({
    data: def.data || {},
    methods: gestureAware(fns),
    lifetimes: {
      created() {
        Object.assign(this, JSON.parse(JSON.stringify(extra)))
        const setData = this.setData
        this.setData = function (patch, cb) {
          const size = Buffer.byteLength(JSON.stringify(patch) || '')
          if (size > SETDATA_LIMIT) throw new Error('setData:fail data size ' + size + ' exceeds the 1 MB limit')
          return setData.call(this, patch, cb)
        }
      },
    },
  })
}

// app.json's usingComponents are declared for every page, as WeChat does; miniprogram-simulate reads only the
// page's own JSON, so its JSON reader adds them.
const simulateFiles = require('miniprogram-simulate/src/utils')
const readJson = simulateFiles.readJson
const pageJsons = new Set(appJson.pages.map((p) => path.join(root, p + '.json')))
simulateFiles.readJson = (file) => {
  const json = readJson(file)
  if (json && pageJsons.has(path.resolve(file))) json.usingComponents = { ...appJson.usingComponents, ...json.usingComponents }
  return json
}

// Each page or component file runs once, as in WeChat (and as jest's module registry allows); a later render
// registers its definition again.
const definitions = {}
simulateFiles.runJs = (file) => {
  if (!definitions[file]) {
    defined = null
    require(file)
    definitions[file] = defined
    return
  }
  definitions[file].make(definitions[file].def)
}

let tabBarDef = null
const loaded = {}
function loadRoute(route) {
  if (!loaded[route]) {
    if (!fs.existsSync(path.join(root, route + '.json'))) throw new Error('no page ' + route)
    loaded[route] = simulate.load(path.join(root, route), 'page', { rootPath: root })
  }
  return loaded[route]
}

// ---- the composed tree (what is on screen), read from exparser

function attrsOf(node) {
  const out = {}
  for (const a of (node._vt && node._vt.attrs) || []) out[a.name] = a.value
  return out
}

function tagOf(node) {
  return (node._vt && node._vt.tagName) || ''
}

function isHidden(node) {
  const a = attrsOf(node)
  return a.hidden === true || a.hidden === 'true'
}

// visit walks what is shown: virtual nodes are looked through, hidden subtrees skipped.
function visit(node, fn, parents = []) {
  if (node instanceof exparser.TextNode) return fn(node, parents, true)
  if (!(node instanceof exparser.Element)) return
  if (!node.__virtual) {
    if (isHidden(node)) return
    if (fn(node, parents, false) === false) return
    parents = parents.concat(node)
  }
  for (const child of node.__wxSlotChildren || []) visit(child, fn, parents)
}

function textOf(node) {
  let s = ''
  visit(node, (n, _p, isText) => {
    if (isText) s += n.textContent
    else if (tagOf(n) === 'input' || tagOf(n) === 'textarea') s += ' ' + (attrsOf(n).value || '') + ' '
  })
  return s.replace(/\s+/g, ' ').trim()
}

class PageDriver {
  constructor(phone, route, comp, query) {
    Object.assign(this, { phone, route, comp, query })
    this.instance = comp.instance
  }

  get data() {
    return this.instance.data
  }

  // text is everything the user can read on the page, as one line.
  text() {
    return textOf(this.comp._exparserNode)
  }

  // nodes lists what is shown with its label: aria-label, else its text.
  controls() {
    const out = []
    visit(this.comp._exparserNode, (n, _p, isText) => {
      if (isText) return
      const a = attrsOf(n)
      out.push({ node: n, tag: tagOf(n), attrs: a, label: a.ariaLabel || textOf(n), events: (n._vt && n._vt.event) || {} })
    })
    return out
  }

  // find returns the one shown control with that label (exact aria-label or text; a RegExp matches either).
  find(label, { nth } = {}) {
    const match = (s) => (label instanceof RegExp ? label.test(s || '') : s === label)
    const all = this.controls()
    let hits = all.filter((c) => match(c.attrs.ariaLabel))
    if (!hits.length) hits = all.filter((c) => !c.attrs.ariaLabel && match(textOf(c.node)))
    // The innermost element carrying the text is what the finger lands on.
    hits = hits.filter((h) => !hits.some((o) => o !== h && o.node !== h.node && isInside(o.node, h.node)))
    if (nth !== undefined) return hits[nth] || null
    if (hits.length > 1) throw new Error('more than one "' + label + '" on ' + this.route + ': tap one with {nth}')
    return hits[0] || null
  }

  has(label) {
    return !!this.find(label, { nth: 0 })
  }

  must(label, opts) {
    const c = this.find(label, opts)
    if (!c) throw new Error('no "' + label + '" on ' + this.route + '. On screen: ' + this.text().slice(0, 600))
    return c
  }

  // tap is the user's finger: open-type buttons do what WeChat makes them do, others fire tap on the element.
  async tap(label, opts = {}) {
    this.phone.use()
    const c = this.must(label, opts)
    const button = [c.node].concat(ancestors(c.node)).find((n) => tagOf(n) === 'button')
    const a = button ? attrsOf(button) : {}
    if (button && (a.disabled === true || a.disabled === 'true')) throw new Error('"' + label + '" is disabled')
    const wx = this.phone.wx
    switch (a.openType) {
      case 'agreePrivacyAuthorization':
        wx.tapAgreeButton(a.id || '')
        fire(button, 'agreeprivacyauthorization', {})
        break
      case 'getPhoneNumber':
        // The phone number sheet is itself privacy-gated; then the user allows or refuses.
        await wx.privacyGate('getPhoneNumber').then(
          () => fire(button, 'getphonenumber', wx.user.phone === 'allow'
            ? { errMsg: 'getPhoneNumber:ok', code: wx.user.phoneCode }
            : { errMsg: 'getPhoneNumber:fail user deny' }),
          () => fire(button, 'getphonenumber', { errMsg: 'getPhoneNumber:fail privacy permission is not authorized', errno: 104 }),
        )
        break
      case 'share':
        this.shared = this.instance.onShareAppMessage ? this.instance.onShareAppMessage({ from: 'button' }) : null
        break
      case 'openSetting':
        wx.asGesture(() => wx.openSetting({ success: (res) => fire(button, 'opensetting', res) }))
        break
      default:
        fire(c.node, 'tap', { x: 1, y: 1 })
    }
    await this.phone.settle()
  }

  // type enters text into the input or textarea with that label.
  async type(label, value, opts) {
    this.phone.use()
    const c = this.must(label, opts)
    if (!['input', 'textarea'].includes(c.tag)) throw new Error('"' + label + '" is a ' + c.tag + ', not an input')
    fire(c.node, 'input', { value: String(value), cursor: String(value).length, keyCode: 0 })
    await this.phone.settle()
  }

  // change answers a picker, switch or checkbox group as the user picked.
  async change(label, detail, opts) {
    this.phone.use()
    const c = this.must(label, opts)
    fire(c.node, 'change', detail)
    await this.phone.settle()
  }

  // event fires another event of a control as WeChat would: a map's markertap, a callout's tap.
  async event(label, type, detail, opts) {
    this.phone.use()
    fire(this.must(label, opts).node, type, detail)
    await this.phone.settle()
  }

  async pullDown() {
    this.phone.use()
    await this.instance.onPullDownRefresh()
    await this.phone.settle()
  }

  async reachBottom() {
    this.phone.use()
    this.instance.onReachBottom()
    await this.phone.settle()
  }
}

function ancestors(node) {
  const out = []
  for (let n = node.parentNode; n; n = n.parentNode) out.push(n)
  return out
}

function isInside(inner, outer) {
  return ancestors(inner).includes(outer) || composedAncestors(inner).includes(outer)
}

// A node inside a component's shadow tree has its host (and the host's parents) above it in the composed tree.
function composedAncestors(node) {
  const out = []
  for (let n = node; n; ) {
    const p = n.__wxSlotParent || n.parentNode || (n.ownerShadowRoot && n.ownerShadowRoot.__wxHost)
    if (!p) break
    out.push(p)
    n = p
  }
  return out
}

function fire(node, type, detail) {
  exparser.Event.dispatchEvent(node, exparser.Event.create(type, detail, {
    bubbles: true, composed: true, capturePhase: true,
    extraFields: { touches: [], changedTouches: [{ x: 1, y: 1 }] },
  }))
}

class Phone {
  constructor({ user = 'tester', fontSizeScaleFactor = 1, userChoices = {} } = {}) {
    require(path.join(root, 'config')).apiBase = process.env.LINGONG_TEST_API
    this.stack = []
    this.tabs = {}
    this.wx = install({ router: this.router() })
    Object.assign(this.wx.user, userChoices, { fontSizeScaleFactor })
    this.wx.signInAs(user)
    this.launchApp()
  }

  // use makes this phone the one in hand: one wx, one app, one page stack at a time, as on a real phone.
  use() {
    global.wx = this.wx
    global.getApp = () => this.app
    global.getCurrentPages = () => this.stack.map((p) => p.instance)
    return this
  }

  launchApp() {
    let def = null
    global.App = (d) => (def = d)
    jest.isolateModules(() => require(path.join(root, 'app.js')))
    this.app = def
    this.use()
    def.onLaunch && def.onLaunch({ path: appJson.pages[0], query: {}, scene: 1001 })
  }

  router() {
    return {
      depth: () => this.stack.length,
      navigateTo: (route, query) => {
        this.top() && this.top().instance.onHide && this.top().instance.onHide()
        this.push(route, query)
      },
      redirectTo: (route, query) => {
        this.unload(this.stack.pop())
        this.push(route, query)
      },
      switchTab: (route) => {
        this.stack.splice(0).forEach((p) => tabPages.has(p.route) || this.unload(p))
        const kept = this.tabs[route]
        if (kept) {
          this.stack.push(kept)
          kept.instance.onShow && kept.instance.onShow()
        } else {
          this.tabs[route] = this.push(route, {})
        }
      },
      reLaunch: (route, query) => {
        this.stack.splice(0).forEach((p) => this.unload(p))
        this.tabs = {}
        const p = this.push(route, query)
        if (tabPages.has(route)) this.tabs[route] = p
      },
      navigateBack: (delta) => {
        if (this.stack.length <= 1) throw new WxError('navigateBack:fail cannot navigate back at first page.')
        for (let i = 0; i < delta && this.stack.length > 1; i++) this.unload(this.stack.pop())
        const top = this.top()
        top.instance.onShow && top.instance.onShow()
      },
    }
  }

  push(route, query) {
    const comp = simulate.render(loadRoute(route))
    comp.attach(document.createElement('parent-wrapper'))
    const page = new PageDriver(this, route, comp, query)
    page.instance.route = route
    page.instance.options = query
    // With app.json tabBar.custom, WeChat gives each tab page its own custom-tab-bar instance (getTabBar).
    if (tabPages.has(route) && appJson.tabBar.custom) {
      if (!tabBarDef) tabBarDef = simulate.load(path.join(root, 'custom-tab-bar', 'index'), 'custom-tab-bar', { rootPath: root })
      const bar = simulate.render(tabBarDef)
      bar.attach(document.createElement('tab-bar-wrapper'))
      page.tabBar = new PageDriver(this, 'custom-tab-bar', bar, {})
      page.instance.getTabBar = () => bar.instance
    }
    this.stack.push(page)
    const inst = page.instance
    inst.onLoad && inst.onLoad(query)
    inst.onShow && inst.onShow()
    inst.onReady && inst.onReady()
    return page
  }

  unload(page) {
    if (!page) return
    page.instance.onUnload && page.instance.onUnload()
    page.comp.detach()
  }

  top() {
    return this.stack[this.stack.length - 1]
  }

  // open starts the app on a page, as a share card, a scanned code or a message does.
  async open(url) {
    this.use()
    const [p, q = ''] = url.replace(/^\//, '').split('?')
    const query = Object.fromEntries(q.split('&').filter(Boolean).map((kv) => kv.split('=')))
    this.router().reLaunch(p, query)
    await this.settle()
    return this.top()
  }

  // page is the page on top of the stack; with a route, it must be that one.
  page(route) {
    const top = this.top()
    if (route && (!top || top.route !== route)) throw new Error('expected ' + route + ' on top, found ' + (top && top.route))
    return top
  }

  // settle waits until the network is quiet and the pages have had their turn.
  async settle(ms = 5000) {
    const end = Date.now() + ms
    let quiet = 0
    while (quiet < 3) {
      await new Promise((r) => setTimeout(r, 5))
      quiet = this.wx.inflight() === 0 ? quiet + 1 : 0
      if (Date.now() > end) throw new Error('the page never settled: ' + this.wx.inflight() + ' requests in flight')
    }
  }

  // until waits for what the user should come to see.
  async until(cond, what = 'condition', ms = 5000) {
    const end = Date.now() + ms
    while (!cond()) {
      if (Date.now() > end) throw new Error('timed out waiting for ' + what + '; on screen: ' + (this.top() ? this.top().text().slice(0, 400) : ''))
      await this.settle()
    }
  }
}

module.exports = { Phone, BUILTIN, attrsOf, tagOf, root }
