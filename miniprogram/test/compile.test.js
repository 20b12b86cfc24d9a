// WeChat's own compilers and checks, offline: wcc compiles every WXML, wcsc every WXSS (both from the npm package
// miniprogram-compiler, the binaries the developer tools run), miniprogram-ci's checkCodeQuality reads what would
// be uploaded, and every tag and event handler in a template exists.
const fs = require('fs')
const os = require('os')
const path = require('path')
const { spawnSync } = require('child_process')
const unescapeJs = require('unescape-js')
const { BUILTIN } = require('./support/phone')

const root = path.join(__dirname, '..')
const app = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8'))
const project = JSON.parse(fs.readFileSync(path.join(root, 'project.config.json'), 'utf8'))
const bin = path.join(root, 'node_modules', 'miniprogram-compiler', 'bin', 'linux')

// What WeChat packs: everything but project.config.json's packOptions.ignore.
const ignored = (rel) => (project.packOptions.ignore || []).some((i) => (i.type === 'folder' ? rel === i.value || rel.startsWith(i.value + '/') : rel === i.value))
function shipped(dir = root) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    const rel = path.relative(root, p)
    if (ignored(rel) || e.name.startsWith('.')) return []
    return e.isDirectory() ? shipped(p) : [rel]
  })
}
const files = shipped()
const wxml = files.filter((f) => f.endsWith('.wxml'))
const wxss = files.filter((f) => f.endsWith('.wxss'))
const components = files.filter((f) => f.endsWith('.json') && JSON.parse(fs.readFileSync(path.join(root, f), 'utf8')).component).map((f) => f.slice(0, -5))

function run(tool, args) {
  fs.chmodSync(path.join(bin, tool), 0o755)
  return spawnSync(path.join(bin, tool), args, { cwd: root, maxBuffer: 64 * 1024 * 1024 })
}

test('the package holds no tests, node_modules or npm files', () => {
  expect(files.filter((f) => /^(test|node_modules)\//.test(f) || /^package(-lock)?\.json$/.test(f))).toEqual([])
  expect(wxml.length).toBeGreaterThan(20)
})

test.each(wxml)('wcc compiles %s', (file) => {
  const res = run('wcc', ['-d', '-cc', '0', file, '-gn', '$gwx'])
  expect(res.stderr.toString()).toBe('')
  expect(res.status).toBe(0)
})

test('wcc compiles the whole app at once, with its components', () => {
  const { wxmlToJs } = require('miniprogram-compiler')
  expect(wxmlToJs(root, { wxmlList: wxml }).length).toBeGreaterThan(1000)
})

// wcsc compiles the styles of the app, its pages and components (files with a .json beside them, counted by -pc
// and given first, as miniprogram-compiler does); any other WXSS is only @import-ed. It reports selectors a
// component may not use.
const wcscArgs = () => {
  const own = wxss.filter((f) => fs.existsSync(path.join(root, f.slice(0, -5) + '.json')))
  const rest = wxss.filter((f) => !own.includes(f))
  return ['-db', '-pc', String(own.length)].concat(own.concat(rest).map((f) => './' + f))
}

// wcscOutput splits wcsc's answer into {comm, './file.wxss': code}, as miniprogram-compiler does.
function wcscOutput(raw) {
  const parts = raw.split('=')
  const out = {}
  for (let i = 0; i + 1 < parts.length; i += 2) out[parts[i]] = unescapeJs(parts[i + 1])
  return out
}

test('wcsc compiles every WXSS, and components use only class selectors', () => {
  const res = run('wcsc', wcscArgs())
  expect(res.stderr.toString()).toBe('')
  expect(res.status).toBe(0)
  const compiled = wcscOutput(res.stdout.toString())
  for (const p of app.pages.concat('app')) expect([p, typeof compiled['./' + p + '.wxss']]).toEqual([p, 'string'])
  for (const c of components) {
    const code = compiled['./' + c + '.wxss']
    expect(code).toBeDefined()
    // The second argument of setCssToHead is wcsc's complaint about the component's selectors, or undefined.
    const complaint = /\],(undefined|"(?:[^"\\]|\\.)*"),\{path:/.exec(code)
    expect([c, complaint && complaint[1]]).toEqual([c, 'undefined'])
  }
})

// Page and component definitions, read as WeChat would run them, for their method names.
function definition(file) {
  let def = null
  const g = global
  const saved = { Page: g.Page, Component: g.Component }
  g.Page = (d) => (def = { methods: d })
  g.Component = (d) => (def = { methods: d.methods || {} })
  try {
    jest.isolateModules(() => require(path.join(root, file + '.js')))
  } finally {
    Object.assign(g, saved)
  }
  return def
}

test.each(wxml.map((f) => f.slice(0, -5)))('%s uses only tags that exist and handlers that are defined', (base) => {
  const src = fs.readFileSync(path.join(root, base + '.wxml'), 'utf8').replace(/<!--[\s\S]*?-->/g, '')
  const json = JSON.parse(fs.readFileSync(path.join(root, base + '.json'), 'utf8'))
  const declared = new Set(Object.keys({ ...(json.component ? {} : app.usingComponents), ...json.usingComponents }))
  const unknown = [...src.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1]).filter((t) => !BUILTIN.has(t) && !declared.has(t))
  expect(unknown).toEqual([])

  const def = definition(base)
  const handlers = [...src.matchAll(/\s(?:bind|catch|capture-bind|capture-catch|mut-bind):?([a-z]+)="([^"{}]+)"/g)].map((m) => m[2])
  expect(handlers.filter((h) => typeof def.methods[h] !== 'function')).toEqual([])
})

test('miniprogram-ci checkCodeQuality passes on what would be uploaded', () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lingong-pack-'))
  const dir = path.join(tmp, 'package')
  for (const f of files.concat('project.config.json')) {
    fs.mkdirSync(path.join(dir, path.dirname(f)), { recursive: true })
    fs.copyFileSync(path.join(root, f), path.join(dir, f))
  }
  const report = path.join(tmp, 'quality.json')
  const res = spawnSync(process.execPath, [path.join(__dirname, 'support', 'quality.js'), dir, report], { cwd: root, timeout: 120000 })
  expect([res.status, res.stderr.toString()]).toEqual([0, ''])
  const results = JSON.parse(fs.readFileSync(report, 'utf8'))
  fs.rmSync(tmp, { recursive: true, force: true })
  const failed = results.filter((r) => !r.success).map((r) => r.name + ': ' + r.text + (r.detail ? ' ' + JSON.stringify(r.detail) : ''))
  expect(failed).toEqual([])
  const size = results.find((r) => r.name === 'PACKAGE_SIZE_LIMIT').detail.__APP__
  // WeChat's limit on the main package is 2 MB; the quality check asks for 1.5 MB.
  expect(size).toBeLessThan(1.5 * 1024 * 1024)
  expect(size).toBeGreaterThan(50 * 1024)
}, 120000)
