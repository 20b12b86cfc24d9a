// Loads a page's logic as the mini-program would (its Page({...}) object) with a setData that behaves like
// WeChat's, dotted paths included, so that tests drive pages by calling their handlers.
const path = require('path')

const root = path.join(__dirname, '..', '..')

function setPath(obj, key, value) {
  const parts = key.replace(/\[(\d+)\]/g, '.$1').split('.')
  let o = obj
  for (const p of parts.slice(0, -1)) {
    if (o[p] === undefined || o[p] === null) o[p] = {}
    o = o[p]
  }
  o[parts[parts.length - 1]] = value
}

const defs = {}

function loadPage(route) {
  if (!defs[route]) {
    global.Page = (o) => {
      defs[route] = o
    }
    require(path.join(root, route + '.js'))
  }
  const def = defs[route]
  const page = {
    route,
    data: JSON.parse(JSON.stringify(def.data || {})),
    setData(patch) {
      for (const [k, v] of Object.entries(patch)) setPath(this.data, k, v)
    },
  }
  for (const [k, v] of Object.entries(def)) {
    if (typeof v === 'function') page[k] = v.bind(page)
  }
  return page
}

// tap calls a handler the way a bound tap would, with dataset values.
function tap(page, handler, dataset = {}, detail = {}) {
  return page[handler]({ currentTarget: { dataset }, detail })
}

// settle waits until the page's pending work (promises chained off a tap) has finished.
const settle = () => new Promise((r) => setTimeout(r, 50))

// useServer points the mini-program's one config at the server the global setup started.
function useServer() {
  require(path.join(root, 'config')).apiBase = process.env.LINGONG_TEST_API
}

module.exports = { loadPage, tap, settle, root, useServer }
