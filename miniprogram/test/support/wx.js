// A stub of the wx API for page-logic tests: wx.request goes over real HTTP (Node's http module; jsdom under
// jest 29 has no fetch) to the Go server the global setup started. Everything a page asks of WeChat is
// recorded so that tests can assert on it.
const http = require('http')

function install() {
  const storage = new Map()
  const wx = {
    calls: [],
    loginCodes: [],
    loginCount: 0,
    location: { latitude: 31.8612, longitude: 117.283 },
    request({ url, method = 'GET', data, header, success, fail }) {
      const body = data === undefined || data === null ? undefined : typeof data === 'string' ? data : JSON.stringify(data)
      const req = http.request(url, { method, headers: { ...header, ...(body ? { 'Content-Length': Buffer.byteLength(body) } : {}) } }, (res) => {
        let raw = ''
        res.setEncoding('utf8')
        res.on('data', (c) => (raw += c))
        res.on('end', () => {
          let parsed = raw
          try {
            parsed = JSON.parse(raw)
          } catch (e) {}
          success && success({ statusCode: res.statusCode, data: parsed, header: res.headers })
        })
      })
      req.on('error', () => fail && fail({ errMsg: 'request:fail' }))
      if (body) req.write(body)
      req.end()
    },
    login({ success }) {
      wx.loginCount++
      success({ code: wx.loginCodes.length ? wx.loginCodes[0] : 'tester' })
    },
    getStorageSync: (k) => (storage.has(k) ? storage.get(k) : ''),
    setStorageSync: (k, v) => storage.set(k, v),
    removeStorageSync: (k) => storage.delete(k),
    getLocation({ success }) {
      success(wx.location)
    },
    requestSubscribeMessage({ tmplIds, success, complete }) {
      const res = { errMsg: 'requestSubscribeMessage:ok' }
      tmplIds.forEach((id) => (res[id] = 'accept'))
      success && success(res)
      complete && complete(res)
    },
    getAppBaseInfo: () => ({ fontSizeScaleFactor: 1.4 }),
  }
  for (const name of ['navigateTo', 'redirectTo', 'switchTab', 'navigateBack', 'showToast', 'makePhoneCall', 'openLocation',
    'stopPullDownRefresh', 'chooseLocation', 'chooseMedia']) {
    wx[name] = (arg) => wx.calls.push({ name, arg })
  }
  // Switch to another person: forget the tokens, and sign in next with this dev login code.
  wx.signInAs = (code) => {
    storage.clear()
    wx.loginCodes = [code]
  }
  global.wx = wx
  global.getApp = () => ({ globalData: { careMode: true }, agreedPrivacy() {} })
  global.getCurrentPages = () => []
  return wx
}

module.exports = { install }
