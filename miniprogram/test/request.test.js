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
  const err = await http.put('/me/worker', { name: '王', id_number: '1', skills: [] }).then(() => null, (e) => e)
  expect(err).not.toBeNull()
  expect(err.message).toMatch(/[\u4e00-\u9fa5]/)
  expect(err.fields.map((f) => f.field)).toContain('id_number')
  await expect(http.get('/gigs/999999')).rejects.toMatchObject({ code: 'not_found', status: 404 })
})

test('a network failure reads as such', async () => {
  require('../config').apiBase = 'http://127.0.0.1:1/api/v1'
  await expect(http.get('/categories', null, false)).rejects.toMatchObject({ code: 'network' })
})
