// utils/request.js: the only caller of wx.request. On a 401 it signs in once, for all requests waiting,
// and retries each once; failures come back as {code, message}.
const { install } = require('./support/wx')

let wx
let http
beforeEach(() => {
  wx = install()
  require('../config').apiBase = process.env.LINGONG_TEST_API
  http = require('../utils/request')
})

test('401 mid-session → one shared re-login, each request retried once', async () => {
  wx.signInAs('mp-401')
  const me = await http.get('/me')
  expect(wx.loginCount).toBe(1)
  // The session ends on the server (as when the same account logs out elsewhere): the stored tokens are dead.
  const stored = wx.getStorageSync('lingong.tokens')
  await http.post('/auth/logout')
  wx.setStorageSync('lingong.tokens', stored)

  const [a, b, c] = await Promise.all([http.get('/me'), http.get('/me/applications'), http.get('/me')])
  expect(a.id).toBe(me.id)
  expect(c.id).toBe(me.id)
  expect(Array.isArray(b)).toBe(true)
  expect(wx.loginCount).toBe(2) // one re-login for three requests
})

test('failures carry a code and a Chinese message, and the fields', async () => {
  wx.signInAs('mp-errors')
  await expect(http.put('/me/worker', { name: 'x' })).rejects.toMatchObject({ code: 'invalid_input', status: 400 })
  // rejects: a request that resolves fails the test, instead of skipping the checks on the error.
  await expect(http.put('/me/worker', { name: '王', id_number: '1', skills: [] })).rejects.toMatchObject({
    code: 'invalid_input',
    status: 400,
    message: expect.stringMatching(/[\u4e00-\u9fa5]/),
    fields: expect.arrayContaining([expect.objectContaining({ field: 'id_number' })]),
  })
  await expect(http.get('/gigs/999999')).rejects.toMatchObject({ code: 'not_found', status: 404 })
})

test('a network failure reads as such', async () => {
  require('../config').apiBase = 'http://127.0.0.1:1/api/v1'
  await expect(http.get('/categories', null, false)).rejects.toMatchObject({ code: 'network' })
})

describe('where the app talks to, by the build WeChat runs', () => {
  const configIn = (envVersion) => {
    wx.user.envVersion = envVersion
    let config
    jest.isolateModules(() => (config = require('../config')))
    return config
  }

  test('DevTools talk to make run; 体验版 and 正式版 to their own https servers', () => {
    expect(configIn('develop').apiBase).toBe('http://127.0.0.1:8080/api/v1')
    const trial = configIn('trial')
    const release = configIn('release')
    expect(trial.apiBase).toMatch(/^https:\/\/[^/]+\/api\/v1$/)
    expect(release.apiBase).toMatch(/^https:\/\/[^/]+\/api\/v1$/)
    expect(trial.apiBase).not.toBe(release.apiBase)
  })

  test('a dev sign-in code works only in DevTools', async () => {
    for (const [envVersion, used] of [['develop', true], ['release', false]]) {
      wx.user.envVersion = envVersion
      let request
      jest.isolateModules(() => {
        const config = require('../config')
        config.devLoginCode = 'worker'
        config.apiBase = process.env.LINGONG_TEST_API
        request = require('../utils/request')
      })
      wx.signInAs('mp-own-wechat') // the person holding the phone
      await request.get('/me')
      const sent = wx.calls.filter((c) => c.name === 'request' && c.arg.url.endsWith('/auth/login')).pop()
      expect(sent.arg.data.code).toBe(used ? 'worker' : 'mp-own-wechat')
    }
  })
})
