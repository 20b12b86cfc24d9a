// What every page shares: today's date in 北京时间, care mode, and turning a failure into the message shown.

function today() {
  const now = new Date(Date.now() + 8 * 3600 * 1000)
  return now.toISOString().slice(0, 10)
}

const CARE = 'lingong.care'

// careMode is 长辈版: what the user chose in 我的 (remembered), else WeChat's font size set larger than standard.
function careMode() {
  const chosen = wx.getStorageSync(CARE)
  if (chosen === 'on' || chosen === 'off') return chosen === 'on'
  const app = typeof getApp === 'function' ? getApp() : null
  return !!(app && app.globalData && app.globalData.fontScale > 1)
}

function setCareMode(on) {
  wx.setStorageSync(CARE, on ? 'on' : 'off')
}

// page registers a page with what every page shares: 长辈版 followed each time the page shows (switched in
// 我的, it applies to the pages below as the user comes back), and the custom tab bar told where it is.
function page(def) {
  const onShow = def.onShow
  return Page({
    ...def,
    data: { care: false, ...def.data },
    onShow(...args) {
      applyCare(this)
      return onShow && onShow.apply(this, args)
    },
  })
}

// applyCare puts the page (and its tab bar, on a tab page) in or out of 长辈版 as chosen now.
function applyCare(pg) {
  const care = careMode()
  if (pg.data.care !== care) pg.setData({ care })
  const bar = typeof pg.getTabBar === 'function' && pg.getTabBar()
  if (bar) bar.show(pg.route, care)
}

// fieldErrors turns a 400's fields into {field: message} for the form to show beside each input.
function fieldErrors(err) {
  const out = {}
  for (const f of (err && err.fields) || []) out[f.field] = f.message
  return out
}

// confirm asks before a step that cannot be taken back, saying plainly what will happen; it resolves true
// only when the user taps the confirm button (WeChat allows 4 characters on it).
function confirm(title, content, confirmText) {
  return new Promise((resolve) => {
    wx.showModal({ title, content, confirmText, cancelText: '先不了', confirmColor: '#a4262c',
      success: (res) => resolve(!!res.confirm), fail: () => resolve(false) })
  })
}

// messageOf is what the user reads about a failure: the server's (or request.js's) Chinese message; a program
// error (a JavaScript Error, in English) is never shown, only a plain sentence.
function messageOf(err) {
  if (err && err.code && !(err instanceof Error) && err.message) return err.message
  if (err instanceof Error) console.error(err)
  return '出了点问题，请稍后再试'
}

module.exports = { today, careMode, setCareMode, applyCare, page, fieldErrors, messageOf, confirm }
