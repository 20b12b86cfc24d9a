// The only caller of wx.request, wx.uploadFile and wx.downloadFile. It adds the access token, signs in when there is none,
// and on a 401 runs one re-login shared by every request that hit it, then retries each request once.
// Failures reject with {code, message, status, fields, requestId}: message is plain Chinese for the user.
const config = require('../config')

const TOKENS = 'lingong.tokens'
let signingIn = null

function tokens() {
  return wx.getStorageSync(TOKENS) || null
}

function networkError() {
  return { code: 'network', message: '网络连接不上，请检查网络后再试', status: 0 }
}

function toError(res) {
  const body = res.data && typeof res.data === 'object' ? res.data : {}
  return {
    code: body.code || 'http_' + res.statusCode,
    message: body.message || '出了点问题，请稍后再试',
    status: res.statusCode,
    fields: body.fields || [],
    requestId: body.request_id || '',
  }
}

function send({ method, path, data, token }) {
  return new Promise((resolve, reject) => {
    const header = { 'Content-Type': 'application/json' }
    if (token) header.Authorization = 'Bearer ' + token
    wx.request({
      url: config.apiBase + path,
      method,
      data,
      header,
      success: resolve,
      fail: () => reject(networkError()),
    })
  })
}

function wxLoginCode() {
  if (config.env === 'develop' && config.devLoginCode) return Promise.resolve(config.devLoginCode)
  return new Promise((resolve, reject) => {
    wx.login({ success: (r) => resolve(r.code), fail: () => reject(networkError()) })
  })
}

async function signIn() {
  const saved = tokens()
  if (saved && saved.refresh_token) {
    const res = await send({ method: 'POST', path: '/auth/refresh', data: { refresh_token: saved.refresh_token } })
    if (res.statusCode === 200) {
      wx.setStorageSync(TOKENS, res.data)
      return res.data
    }
  }
  const code = await wxLoginCode()
  const res = await send({ method: 'POST', path: '/auth/login', data: { code } })
  if (res.statusCode !== 200) {
    wx.removeStorageSync(TOKENS)
    throw toError(res)
  }
  wx.setStorageSync(TOKENS, res.data)
  return res.data
}

// login signs in once for everybody waiting: concurrent 401s share one sign-in.
function login() {
  if (!signingIn) {
    signingIn = signIn().finally(() => {
      signingIn = null
    })
  }
  return signingIn
}

async function request({ method = 'GET', path, data, auth = true }) {
  let token = null
  if (auth) {
    const saved = tokens() || (await login())
    token = saved.access_token
  }
  let res = await send({ method, path, data, token })
  if (res.statusCode === 401 && auth) {
    const fresh = await login()
    res = await send({ method, path, data, token: fresh.access_token })
  }
  if (res.statusCode >= 200 && res.statusCode < 300) return res.data
  throw toError(res)
}

// upload sends a photo; onProgress(percent) follows it on its way.
function upload(path, filePath, onProgress) {
  return new Promise((resolve, reject) => {
    const go = (token, retried) => {
      const task = wx.uploadFile({
        url: config.apiBase + path,
        filePath,
        name: 'file',
        header: { Authorization: 'Bearer ' + token },
        success: async (res) => {
          let data = res.data
          try {
            data = JSON.parse(res.data)
          } catch (e) {}
          if (res.statusCode === 401 && !retried) return go((await login()).access_token, true)
          if (res.statusCode >= 200 && res.statusCode < 300) return resolve(data)
          reject(toError({ statusCode: res.statusCode, data }))
        },
        fail: () => reject(networkError()),
      })
      if (onProgress && task) task.onProgressUpdate((p) => onProgress(p.progress))
    }
    Promise.resolve(tokens() || login()).then((t) => go(t.access_token, false), reject)
  })
}

// download fetches a file only the signed-in user may see (a complaint's photo) and gives its local path for
// <image>, which cannot send the access token itself.
function download(path) {
  return new Promise((resolve, reject) => {
    const go = (token, retried) =>
      wx.downloadFile({
        url: config.apiBase + path,
        header: { Authorization: 'Bearer ' + token },
        success: async (res) => {
          if (res.statusCode === 401 && !retried) return go((await login()).access_token, true)
          if (res.statusCode === 200) return resolve(res.tempFilePath)
          reject(toError({ statusCode: res.statusCode, data: {} }))
        },
        fail: () => reject(networkError()),
      })
    Promise.resolve(tokens() || login()).then((t) => go(t.access_token, false), reject)
  })
}

function logout() {
  wx.removeStorageSync(TOKENS)
}

// adopt keeps tokens the server handed out outside a sign-in (claiming a walk-in profile signs in anew).
function adopt(fresh) {
  wx.setStorageSync(TOKENS, fresh)
}

module.exports = {
  get: (path, data, auth = true) => request({ method: 'GET', path, data, auth }),
  post: (path, data) => request({ method: 'POST', path, data }),
  put: (path, data) => request({ method: 'PUT', path, data }),
  del: (path) => request({ method: 'DELETE', path }),
  upload,
  download,
  login,
  logout,
  adopt,
}
