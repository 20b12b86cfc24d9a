// A `wx` as strict as WeChat: what a real phone refuses, this refuses, with WeChat's own errMsg. Network calls go
// over real HTTP (Node's http module) to the Go server the global setup started. The person holding the phone is
// `wx.user`: tests set what they choose (deny location, refuse a message, cancel the photo picker…).
//
// The rules, each from WeChat's documentation (README, "The strict wx", lists them with their sources):
//  - privacy: with __usePrivacyCheck__, a privacy-gated API waits while the user has not agreed; the app's
//    onNeedPrivacyAuthorization listener gets a resolve, and only a tap on an agreePrivacyAuthorization button
//    followed by resolve({event: 'agree', buttonId}) lets the call go on; disagree fails it with errno 104.
//  - location APIs must be listed in app.json requiredPrivateInfos (getLocation and getFuzzyLocation never both),
//    and getLocation needs permission["scope.userLocation"].desc.
//  - requestSubscribeMessage, openSetting and requestPayment work only synchronously inside a tap handler (or a
//    showModal's button callback): an await or .then in between and they fail.
//  - navigateTo/redirectTo only to app.json pages that are not tab pages, switchTab only to tab pages and without
//    a query, at most 10 pages deep; makePhoneCall needs a number; setData over 1 MB fails (in phone.js).
const fs = require('fs')
const http = require('http')
const os = require('os')
const path = require('path')

const root = path.join(__dirname, '..', '..')
const appJson = JSON.parse(fs.readFileSync(path.join(root, 'app.json'), 'utf8'))
const pages = new Set(appJson.pages)
const tabPages = new Set(((appJson.tabBar && appJson.tabBar.list) || []).map((t) => t.pagePath))

// APIs that touch personal information: they wait for the privacy agreement (小程序隐私协议开发指南).
const PRIVACY_GATED = new Set(['getLocation', 'getFuzzyLocation', 'chooseLocation', 'choosePoi', 'chooseAddress',
  'startLocationUpdate', 'startLocationUpdateBackground', 'onLocationChange', 'chooseMedia', 'chooseImage',
  'chooseVideo', 'chooseMessageFile', 'saveImageToPhotosAlbum', 'getClipboardData', 'setClipboardData',
  'getPhoneNumber', 'getWeRunData', 'startRecord', 'getRecorderManager', 'chooseContact', 'addPhoneContact'])
// APIs that must be named in app.json requiredPrivateInfos (since 2022-07-14).
const DECLARED = new Set(['getLocation', 'getFuzzyLocation', 'chooseLocation', 'choosePoi', 'chooseAddress',
  'onLocationChange', 'startLocationUpdate', 'startLocationUpdateBackground'])
const MAX_PAGES = 10

class WxError extends Error {
  constructor(errMsg, extra = {}) {
    super(errMsg)
    Object.assign(this, { errMsg }, extra)
  }
}

function freshUser() {
  return {
    privacy: 'ask', // 'ask' until the user taps an agree button; then 'agreed'
    location: 'allow', // or 'deny'
    place: { latitude: 31.8612, longitude: 117.283 },
    chosenPlace: { latitude: 31.87, longitude: 117.29, name: '测试路1号', address: '安徽省合肥市蜀山区' },
    subscribe: 'accept', // or 'reject', 'ban', 'switch-off'
    media: 'pick', // or 'cancel'
    phone: 'allow', // or 'deny'
    phoneCode: '13966660001',
    modal: 'confirm', // or 'cancel'
    fontSizeScaleFactor: 1,
    envVersion: 'develop', // or 'trial', 'release': which build of the app is running
    scanned: 'cancel', // what the camera sees when wx.scanCode opens: a code's text, or 'cancel' (the user closes it)
  }
}

function install({ router } = {}) {
  const storage = new Map()
  let gesture = 0
  let privacyListener = null
  const waitingForPrivacy = [] // {name, go, fail}
  const agreedButtons = new Set()
  const scopes = {} // scope.userLocation: true/false once asked
  let inflight = 0

  const wx = {
    user: freshUser(),
    calls: [],
    toasts: [],
    modals: [],
    loginCodes: [],
    loginCount: 0,
    router: router || null,
    played: [], // audio sources played, in order
    lags: [], // milliseconds to hold back the next answers of wx.request, one per request, in order
    audioOption: { obeyMuteSwitch: true }, // WeChat's default: a phone on silent stays silent
  }

  const record = (name, arg) => wx.calls.push({ name, arg })

  // call runs one wx API the way WeChat does: callbacks when any are given, otherwise a promise.
  function call(name, opts, impl) {
    opts = opts || {}
    record(name, opts)
    const hasCallbacks = ['success', 'fail', 'complete'].some((k) => typeof opts[k] === 'function')
    const done = (async () => impl())()
    if (!hasCallbacks) return done.then((res) => ({ errMsg: name + ':ok', ...res }), (err) => Promise.reject(asFail(name, err)))
    done.then(
      (res) => {
        res = { errMsg: name + ':ok', ...res }
        opts.success && opts.success(res)
        opts.complete && opts.complete(res)
      },
      (err) => {
        const res = asFail(name, err)
        opts.fail && opts.fail(res)
        opts.complete && opts.complete(res)
      },
    )
    return undefined
  }
  const asFail = (name, err) => (err instanceof WxError ? { ...err, errMsg: err.errMsg } : { errMsg: name + ':fail ' + (err && err.message) })

  function needsGesture(name) {
    if (gesture === 0) throw new WxError(name + ':fail can only be invoked by user TAP gesture.')
  }

  function declared(name) {
    const infos = appJson.requiredPrivateInfos || []
    if (infos.includes('getLocation') && infos.includes('getFuzzyLocation')) {
      throw new WxError(name + ':fail getLocation and getFuzzyLocation can not be declared at the same time')
    }
    if (DECLARED.has(name) && !infos.includes(name)) {
      throw new WxError(name + ':fail the api need to be declared in the requiredPrivateInfos field in app.json/ext.json')
    }
    if (['getLocation', 'getFuzzyLocation', 'startLocationUpdate', 'onLocationChange'].includes(name)) {
      const p = (appJson.permission || {})['scope.userLocation']
      if (!p || !p.desc) throw new WxError(name + ':fail require permission desc')
    }
  }

  // privacy resolves when the user has agreed, or makes the call wait for the app's own consent panel.
  function privacy(name) {
    if (!PRIVACY_GATED.has(name) || !appJson.__usePrivacyCheck__ || wx.user.privacy === 'agreed') return Promise.resolve()
    return new Promise((go, fail) => {
      waitingForPrivacy.push({ name, go, fail })
      if (!privacyListener) return // WeChat's own sheet would show; a test answers it with wx.answerPrivacy
      if (waitingForPrivacy.length > 1) return // one listener call covers every call waiting
      privacyListener((answer) => settlePrivacy(answer || {}), { referrer: name })
    })
  }

  function settlePrivacy({ event, buttonId }) {
    const waiting = waitingForPrivacy.splice(0)
    if (event === 'agree' && agreedButtons.has(buttonId)) {
      wx.user.privacy = 'agreed'
      waiting.forEach((w) => w.go())
      return
    }
    const why = event === 'agree' ? 'the agree button ' + JSON.stringify(buttonId) + ' was not tapped' : 'privacy permission is not authorized'
    waiting.forEach((w) => w.fail(new WxError(w.name + ':fail ' + why, { errno: 104 })))
  }

  async function gated(name, impl) {
    declared(name)
    await privacy(name)
    return impl()
  }

  function locationScope(name) {
    if (scopes['scope.userLocation'] === false) throw new WxError(name + ':fail auth deny')
    if (scopes['scope.userLocation'] === undefined) scopes['scope.userLocation'] = wx.user.location === 'allow'
    if (!scopes['scope.userLocation']) throw new WxError(name + ':fail auth deny')
  }

  Object.assign(wx, {
    // ---- the network
    request(opts) {
      const { url, method = 'GET', data, header = {} } = opts
      return call('request', opts, () => new Promise((resolve, reject) => {
        if (!/^https?:\/\//.test(url)) return reject(new WxError('request:fail invalid url "' + url + '"'))
        let target = url
        let body
        // WeChat puts a GET's data into the query string, and sends objects as JSON otherwise.
        if (data !== undefined && data !== null) {
          if (method === 'GET') {
            const q = typeof data === 'string' ? data : Object.entries(data).map(([k, v]) => encodeURIComponent(k) + '=' + encodeURIComponent(v)).join('&')
            if (q) target += (target.includes('?') ? '&' : '?') + q
          } else {
            body = typeof data === 'string' ? data : JSON.stringify(data)
          }
        }
        inflight++
        const lag = wx.lags.shift() || 0 // a slow network for this one answer, when the test asks for it
        const req = http.request(target, { method, headers: { ...header, ...(body ? { 'Content-Length': Buffer.byteLength(body) } : {}) } }, (res) => {
          let raw = ''
          res.setEncoding('utf8')
          res.on('data', (c) => (raw += c))
          res.on('end', () => setTimeout(() => {
            inflight--
            let parsed = raw
            try {
              parsed = JSON.parse(raw)
            } catch (e) {}
            resolve({ statusCode: res.statusCode, data: parsed, header: res.headers })
          }, lag))
        })
        req.on('error', () => {
          inflight--
          reject(new WxError('request:fail'))
        })
        if (body) req.write(body)
        req.end()
      }))
    },

    // uploadFile and downloadFile answer with their task (progress, abort), never a promise: WeChat does not
    // promisify the APIs that return a task.
    uploadFile(opts) {
      const { url, filePath, name, header = {}, formData = {} } = opts
      const progress = []
      const task = { onProgressUpdate: (cb) => progress.push(cb), offProgressUpdate: () => {}, abort: () => {} }
      const tell = (sent, total) => progress.forEach((cb) => cb({ progress: Math.round((sent / total) * 100), totalBytesSent: sent, totalBytesExpectedToSend: total }))
      if (!['success', 'fail', 'complete'].some((k) => typeof opts[k] === 'function')) {
        record('uploadFile', opts)
        return task
      }
      call('uploadFile', opts, () => new Promise((resolve, reject) => {
        if (!filePath || !fs.existsSync(filePath)) return reject(new WxError('uploadFile:fail file not found'))
        if (!name) return reject(new WxError('uploadFile:fail parameter error: parameter.name should be String'))
        const boundary = '----wxboundary' + Date.now().toString(16)
        const parts = []
        for (const [k, v] of Object.entries(formData)) {
          parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`))
        }
        const type = filePath.endsWith('.png') ? 'image/png' : 'image/jpeg'
        parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${path.basename(filePath)}"\r\nContent-Type: ${type}\r\n\r\n`))
        parts.push(fs.readFileSync(filePath), Buffer.from(`\r\n--${boundary}--\r\n`))
        const body = Buffer.concat(parts)
        inflight++
        const req = http.request(url, { method: 'POST', headers: { ...header, 'Content-Type': 'multipart/form-data; boundary=' + boundary, 'Content-Length': body.length } }, (res) => {
          tell(body.length, body.length)
          let raw = ''
          res.setEncoding('utf8')
          res.on('data', (c) => (raw += c))
          res.on('end', () => {
            inflight--
            resolve({ statusCode: res.statusCode, data: raw }) // WeChat hands uploadFile's body over as a string
          })
        })
        req.on('error', () => {
          inflight--
          reject(new WxError('uploadFile:fail'))
        })
        const half = Math.floor(body.length / 2)
        req.write(body.subarray(0, half), () => tell(half, body.length))
        req.end(body.subarray(half))
      }))
      return task
    },

    downloadFile(opts) {
      const { url, header = {} } = opts
      const task = { onProgressUpdate: () => {}, offProgressUpdate: () => {}, abort: () => {} }
      if (!['success', 'fail', 'complete'].some((k) => typeof opts[k] === 'function')) {
        record('downloadFile', opts)
        return task
      }
      call('downloadFile', opts, () => new Promise((resolve, reject) => {
        inflight++
        http.get(url, { headers: header }, (res) => {
          const chunks = []
          res.on('data', (c) => chunks.push(c))
          res.on('end', () => {
            inflight--
            const ext = /png/.test(res.headers['content-type'] || '') ? '.png' : '.jpg'
            const tempFilePath = path.join(os.tmpdir(), 'wxfile-' + Date.now() + '-' + Math.random().toString(16).slice(2) + ext)
            fs.writeFileSync(tempFilePath, Buffer.concat(chunks))
            // WeChat calls success for any HTTP answer; the status tells whether it is the file.
            resolve({ tempFilePath, statusCode: res.statusCode })
          })
        }).on('error', () => {
          inflight--
          reject(new WxError('downloadFile:fail'))
        })
      }))
      return task
    },

    login(opts) {
      return call('login', opts, () => {
        wx.loginCount++
        return { code: wx.loginCodes.length ? wx.loginCodes[0] : 'tester' }
      })
    },

    // ---- storage: only what survives JSON, as on the phone
    getStorageSync: (k) => (storage.has(k) ? JSON.parse(storage.get(k)) : ''),
    setStorageSync: (k, v) => storage.set(k, JSON.stringify(v)),
    removeStorageSync: (k) => storage.delete(k),

    // ---- device and app
    getAppBaseInfo: () => ({ SDKVersion: '3.5.0', language: 'zh_CN', theme: 'light', fontSizeScaleFactor: wx.user.fontSizeScaleFactor, fontSizeSetting: Math.round(16 * wx.user.fontSizeScaleFactor) }),
    getWindowInfo: () => ({ windowWidth: 375, windowHeight: 667, screenWidth: 375, screenHeight: 667, pixelRatio: 2 }),
    getAccountInfoSync: () => ({ miniProgram: { appId: 'wx0000000000000000', envVersion: wx.user.envVersion,
      version: wx.user.envVersion === 'release' ? '1.0.0' : '' } }),
    getSetting(opts) {
      return call('getSetting', opts, () => ({ authSetting: Object.fromEntries(Object.entries(scopes)) }))
    },
    openSetting(opts) {
      return call('openSetting', opts, () => {
        needsGesture('openSetting')
        // The settings page: the user switches location back on.
        if ('scope.userLocation' in scopes) scopes['scope.userLocation'] = wx.user.location === 'allow'
        return { authSetting: { ...scopes } }
      })
    },

    // ---- privacy
    onNeedPrivacyAuthorization(listener) {
      privacyListener = listener
    },
    getPrivacySetting(opts) {
      return call('getPrivacySetting', opts, () => ({ needAuthorization: wx.user.privacy !== 'agreed', privacyContractName: '《零工用户隐私保护指引》' }))
    },

    // ---- location
    getLocation(opts) {
      return call('getLocation', opts, () => gated('getLocation', () => {
        locationScope('getLocation')
        return { ...wx.user.place, accuracy: 30 }
      }))
    },
    chooseLocation(opts) {
      return call('chooseLocation', opts, () => gated('chooseLocation', () => {
        if (wx.user.chosenPlace === 'cancel') throw new WxError('chooseLocation:fail cancel')
        return { ...wx.user.chosenPlace }
      }))
    },
    openLocation(opts) {
      return call('openLocation', opts, () => {
        if (typeof opts.latitude !== 'number' || typeof opts.longitude !== 'number') throw new WxError('openLocation:fail parameter error')
        return {}
      })
    },

    // ---- the camera as a scanner: wx.scanCode answers {result, scanType, charSet, path, rawData}, rawData being the
    // code's bytes in base64; scanType may only name barCode, qrCode, datamatrix and pdf417; a closed scanner
    // fails with "scanCode:fail cancel". The code in front of the camera is wx.user.scanned ('cancel' closes it).
    scanCode(opts) {
      return call('scanCode', opts, () => {
        const kinds = opts.scanType === undefined ? ['barCode', 'qrCode'] : opts.scanType
        if (!Array.isArray(kinds) || kinds.some((k) => !['barCode', 'qrCode', 'datamatrix', 'pdf417'].includes(k))) {
          throw new WxError('scanCode:fail parameter error: parameter.scanType should be Array of barCode, qrCode, datamatrix, pdf417')
        }
        if (opts.onlyFromCamera !== undefined && typeof opts.onlyFromCamera !== 'boolean') {
          throw new WxError('scanCode:fail parameter error: parameter.onlyFromCamera should be Boolean')
        }
        const seen = wx.user.scanned
        if (seen === 'cancel' || typeof seen !== 'string') throw new WxError('scanCode:fail cancel')
        if (!kinds.includes('qrCode')) throw new WxError('scanCode:fail cancel') // the scanner never recognises it
        return { result: seen, scanType: 'QR_CODE', charSet: 'utf-8', path: '', rawData: Buffer.from(seen, 'utf8').toString('base64') }
      })
    },

    // ---- media
    chooseMedia(opts) {
      return call('chooseMedia', opts, () => gated('chooseMedia', () => {
        const count = opts.count === undefined ? 9 : opts.count
        if (count < 1 || count > 20) throw new WxError('chooseMedia:fail parameter error: count should be between 1 and 20')
        if (wx.user.media === 'cancel') throw new WxError('chooseMedia:fail cancel')
        // Each pick is a new temporary file, as on the phone.
        const tempFilePath = photo().replace(/\.jpg$/, '_' + ++picks + '.jpg')
        fs.copyFileSync(photo(), tempFilePath)
        return { type: 'image', tempFiles: [{ tempFilePath, size: fs.statSync(tempFilePath).size, fileType: 'image' }] }
      }))
    },

    // ---- messages and gestures
    requestSubscribeMessage(opts) {
      const allowed = gesture > 0 // decided now, when the call is made
      return call('requestSubscribeMessage', opts, () => {
        if (!allowed) throw new WxError('requestSubscribeMessage:fail can only be invoked by user TAP gesture.')
        const ids = opts.tmplIds
        if (!Array.isArray(ids) || ids.length === 0) throw new WxError('requestSubscribeMessage:fail TmplIds can\'t be empty', { errCode: 10001 })
        if (ids.length > 3) throw new WxError('requestSubscribeMessage:fail Templates count out of max bounds', { errCode: 20003 })
        if (wx.user.subscribe === 'switch-off') throw new WxError('requestSubscribeMessage:fail last time user rejected all', { errCode: 20004 })
        const res = {}
        ids.forEach((id) => (res[id] = wx.user.subscribe))
        return res
      })
    },
    requestPayment(opts) {
      const allowed = gesture > 0
      return call('requestPayment', opts, () => {
        if (!allowed) throw new WxError('requestPayment:fail can only be invoked by user TAP gesture.')
        throw new WxError('requestPayment:fail cancel')
      })
    },
    makePhoneCall(opts) {
      return call('makePhoneCall', opts, () => {
        if (typeof opts.phoneNumber !== 'string' || opts.phoneNumber === '') throw new WxError('makePhoneCall:fail parameter error: parameter.phoneNumber should be String')
        return {}
      })
    },

    // ---- the screen
    showToast(opts) {
      return call('showToast', opts, () => {
        if (!opts.title) throw new WxError('showToast:fail parameter error: parameter.title should be String')
        // success/error/loading toasts show 7 Chinese characters at most; 'none' two lines.
        const limit = opts.icon === 'none' ? 36 : 7
        wx.toasts.push(opts.title.slice(0, limit))
        return {}
      })
    },
    showModal(opts) {
      // The answer comes from the user's tap on the modal: its callbacks run inside that gesture.
      record('showModal', opts)
      // WeChat refuses button words longer than 4 characters; the modal never shows.
      for (const k of ['confirmText', 'cancelText']) {
        if (opts[k] !== undefined && [...String(opts[k])].length > 4) {
          const res = { errMsg: 'showModal:fail ' + k + ' length should not larger than 4 Chinese characters' }
          if (opts.fail || opts.complete) return void setTimeout(() => { opts.fail && opts.fail(res); opts.complete && opts.complete(res) }, 0)
          return Promise.reject(res)
        }
      }
      wx.modals.push({ title: opts.title, content: opts.content, confirmText: opts.confirmText || '确定' })
      const confirm = wx.user.modal === 'confirm'
      const res = { errMsg: 'showModal:ok', confirm, cancel: !confirm }
      const answer = () => {
        gesture++
        try {
          opts.success && opts.success(res)
          opts.complete && opts.complete(res)
        } finally {
          gesture--
        }
      }
      if (opts.success || opts.complete) return void setTimeout(answer, 0)
      return new Promise((resolve) => setTimeout(() => resolve(res), 0))
    },
    previewImage(opts) {
      return call('previewImage', opts, () => {
        if (!Array.isArray(opts.urls) || !opts.urls.length || opts.urls.some((u) => typeof u !== 'string' || !u)) {
          throw new WxError('previewImage:fail parameter error: parameter.urls should be Array of String')
        }
        return {}
      })
    },
    showLoading: (opts) => call('showLoading', opts, () => ({})),
    hideLoading: (opts) => call('hideLoading', opts, () => ({})),
    stopPullDownRefresh: (opts) => call('stopPullDownRefresh', opts, () => ({})),
    setNavigationBarTitle: (opts) => call('setNavigationBarTitle', opts, () => ({})),
    createInnerAudioContext: () => {
      const player = { src: '', playing: false, play() { this.playing = true; wx.played.push(this.src) }, stop() { this.playing = false }, destroy() {} }
      return player
    },
    // iOS plays through the mute switch only when told (InnerAudioContext.obeyMuteSwitch is deprecated for this).
    setInnerAudioOption(opts) {
      return call('setInnerAudioOption', opts, () => {
        if ('obeyMuteSwitch' in opts) wx.audioOption.obeyMuteSwitch = !!opts.obeyMuteSwitch
        return {}
      })
    },

    // ---- navigation: checked against app.json, carried out by the phone (support/phone.js)
    navigateTo(opts) {
      return call('navigateTo', opts, () => {
        const { route, query } = parseUrl('navigateTo', opts.url)
        if (tabPages.has(route)) throw new WxError('navigateTo:fail can not navigateTo a tabbar page')
        if (wx.router && wx.router.depth() >= MAX_PAGES) throw new WxError('navigateTo:fail webview count limit exceed')
        return wx.router && wx.router.navigateTo(route, query)
      })
    },
    redirectTo(opts) {
      return call('redirectTo', opts, () => {
        const { route, query } = parseUrl('redirectTo', opts.url)
        if (tabPages.has(route)) throw new WxError('redirectTo:fail can not redirectTo a tabbar page')
        return wx.router && wx.router.redirectTo(route, query)
      })
    },
    switchTab(opts) {
      return call('switchTab', opts, () => {
        const { route, query } = parseUrl('switchTab', opts.url)
        if (!tabPages.has(route)) throw new WxError('switchTab:fail can not switch to no-tabBar page')
        if (Object.keys(query).length) throw new WxError('switchTab:fail url not support query')
        return wx.router && wx.router.switchTab(route)
      })
    },
    reLaunch(opts) {
      return call('reLaunch', opts, () => {
        const { route, query } = parseUrl('reLaunch', opts.url)
        return wx.router && wx.router.reLaunch(route, query)
      })
    },
    navigateBack(opts) {
      return call('navigateBack', opts, () => wx.router && wx.router.navigateBack((opts && opts.delta) || 1))
    },
  })

  // ---- what the test (the person, the phone) does
  wx.signInAs = (code) => {
    storage.clear()
    wx.loginCodes = [code]
  }
  // A tap runs its handler inside a user gesture: what it calls synchronously may ask for permission sheets.
  wx.asGesture = (fn) => {
    gesture++
    try {
      return fn()
    } finally {
      gesture--
    }
  }
  // The user taps a button with open-type="agreePrivacyAuthorization".
  wx.tapAgreeButton = (buttonId) => agreedButtons.add(buttonId)
  // The user answers WeChat's own privacy sheet (shown when the app registers no listener).
  wx.answerPrivacy = (event) => {
    if (event === 'agree') agreedButtons.add('__wechat__')
    settlePrivacy({ event, buttonId: '__wechat__' })
  }
  wx.privacyWaiting = () => waitingForPrivacy.map((w) => w.name)
  wx.privacyGate = (name) => privacy(name)
  wx.inflight = () => inflight
  wx.scopes = scopes

  global.wx = wx
  global.requirePlugin = requirePlugin
  return wx
}

// requirePlugin hands out a plugin only when app.json declares it, as WeChat does. 同声传译 (WechatSI) turns at
// most 1,000 bytes of text into speech per call and answers with the audio's address.
function requirePlugin(name) {
  if (!(appJson.plugins && appJson.plugins[name])) throw new Error('plugin "' + name + '" is not defined in app.json')
  if (name !== 'WechatSI') throw new Error('no double for plugin ' + name)
  return {
    textToSpeech({ lang, content, success, fail }) {
      setTimeout(() => {
        if (lang !== 'zh_CN' && lang !== 'en_US') return fail && fail({ retcode: -20001, msg: 'lang error' })
        if (!content || Buffer.byteLength(content, 'utf8') > 1000) return fail && fail({ retcode: -20003, msg: 'content too long or empty' })
        success && success({ retcode: 0, origin: content, filename: 'https://ae.weixin.qq.com/cgi-bin/mmasrai-bin/getmedia?filename=' +
          encodeURIComponent(content.slice(0, 8)) + '.mp3', expired_time: Math.floor(Date.now() / 1000) + 3600 })
      }, 0)
    },
  }
}

function parseUrl(api, url) {
  if (typeof url !== 'string' || !url) throw new WxError(api + ':fail parameter error: parameter.url should be String')
  const [p, q = ''] = url.split('?')
  const route = p.replace(/^\//, '')
  if (!pages.has(route)) throw new WxError(api + ':fail page "' + route + '" is not found')
  const query = {}
  for (const pair of q.split('&').filter(Boolean)) {
    const [k, v = ''] = pair.split('=')
    query[k] = v // WeChat hands page options over still URL-encoded, as they were written
  }
  return { route, query }
}

// photo is a small real JPEG the photo picker hands back.
let photoPath = ''
let picks = 0
function photo() {
  if (!photoPath) {
    photoPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'lingong-wx-')), 'tmp_photo.jpg')
    // 1×1 white JPEG
    fs.writeFileSync(photoPath, Buffer.from('/9j/4AAQSkZJRgABAQEASABIAAD/2wBDAP//////////////////////////////////////////////////////////////////////////////////////wgALCAABAAEBAREA/8QAFBABAAAAAAAAAAAAAAAAAAAAAP/aAAgBAQABPxA=', 'base64'))
  }
  return photoPath
}

module.exports = { install, WxError, PRIVACY_GATED, appJson, tabPages }
