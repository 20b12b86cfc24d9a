// The strict wx refuses what WeChat refuses. Each rule has a test here; each was broken once in the double to
// see its test fail (README, "The strict wx").
const { Phone } = require('./support/phone')
const { install } = require('./support/wx')

const failOf = (p) => p.then(() => null, (e) => e)

describe('privacy (用户隐私保护指引, wx.onNeedPrivacyAuthorization)', () => {
  test('a privacy-gated API waits until the user agrees, then goes on', async () => {
    const wx = install()
    let resolveIt = null
    wx.onNeedPrivacyAuthorization((resolve) => (resolveIt = resolve))
    let got = null
    wx.getLocation({ type: 'gcj02', success: (p) => (got = p) })
    await new Promise((r) => setTimeout(r, 20))
    expect(got).toBeNull()
    expect(wx.privacyWaiting()).toEqual(['getLocation'])
    wx.tapAgreeButton('agree')
    resolveIt({ event: 'agree', buttonId: 'agree' })
    await new Promise((r) => setTimeout(r, 0))
    expect(got.latitude).toBeCloseTo(31.8612)
  })

  test('agreeing in code without the user tapping the agree button does not count', async () => {
    const wx = install()
    wx.onNeedPrivacyAuthorization((resolve) => resolve({ event: 'agree', buttonId: 'agree' }))
    const err = await failOf(wx.chooseMedia({ count: 1 }))
    expect(err.errno).toBe(104)
  })

  test('disagreeing fails the call with errno 104', async () => {
    const wx = install()
    wx.onNeedPrivacyAuthorization((resolve) => resolve({ event: 'disagree' }))
    const err = await failOf(wx.getLocation({}))
    expect(err).toMatchObject({ errno: 104, errMsg: 'getLocation:fail privacy permission is not authorized' })
  })

  test('APIs that read nothing personal do not wait', async () => {
    const wx = install()
    await expect(wx.showToast({ title: '好', icon: 'none' })).resolves.toMatchObject({ errMsg: 'showToast:ok' })
  })
})

describe('requiredPrivateInfos and permission (app.json)', () => {
  test('a location API not declared in requiredPrivateInfos fails', async () => {
    const wx = install()
    const json = require('./support/wx').appJson
    const saved = json.requiredPrivateInfos
    json.requiredPrivateInfos = ['getLocation']
    wx.user.privacy = 'agreed'
    try {
      const err = await failOf(wx.chooseLocation({}))
      expect(err.errMsg).toBe('chooseLocation:fail the api need to be declared in the requiredPrivateInfos field in app.json/ext.json')
      json.requiredPrivateInfos = ['getLocation', 'getFuzzyLocation']
      expect((await failOf(wx.getLocation({}))).errMsg).toMatch(/can not be declared at the same time/)
    } finally {
      json.requiredPrivateInfos = saved
    }
  })

  test('getLocation needs permission["scope.userLocation"].desc', async () => {
    const wx = install()
    const json = require('./support/wx').appJson
    const saved = json.permission
    json.permission = {}
    wx.user.privacy = 'agreed'
    try {
      expect((await failOf(wx.getLocation({}))).errMsg).toBe('getLocation:fail require permission desc')
    } finally {
      json.permission = saved
    }
  })

  test('location denied once stays denied until the settings page turns it back on', async () => {
    const wx = install()
    wx.user.privacy = 'agreed'
    wx.user.location = 'deny'
    expect((await failOf(wx.getLocation({}))).errMsg).toBe('getLocation:fail auth deny')
    wx.user.location = 'allow'
    expect((await failOf(wx.getLocation({}))).errMsg).toBe('getLocation:fail auth deny')
    await wx.asGesture(() => wx.openSetting({}))
    await expect(wx.getLocation({})).resolves.toMatchObject({ errMsg: 'getLocation:ok' })
  })
})

describe('user gestures (wx.requestSubscribeMessage, wx.openSetting, wx.requestPayment)', () => {
  test('requestSubscribeMessage works inside a tap, not after an await', async () => {
    const wx = install()
    const inTap = wx.asGesture(() => wx.requestSubscribeMessage({ tmplIds: ['t1'] }))
    await expect(inTap).resolves.toMatchObject({ t1: 'accept' })
    const later = wx.asGesture(async () => {
      await Promise.resolve()
      return wx.requestSubscribeMessage({ tmplIds: ['t1'] })
    })
    expect((await failOf(later)).errMsg).toBe('requestSubscribeMessage:fail can only be invoked by user TAP gesture.')
    expect((await failOf(wx.requestSubscribeMessage({ tmplIds: ['t1'] }))).errMsg).toMatch(/TAP gesture/)
  })

  test('a showModal button counts as the tap', async () => {
    const wx = install()
    const res = await new Promise((resolve) => wx.showModal({ title: '要通知吗', success: () => resolve(wx.requestSubscribeMessage({ tmplIds: ['t1'] })) }))
    expect(res).toMatchObject({ t1: 'accept' })
  })

  test('a modal button says at most 4 characters, or the modal does not open', async () => {
    const wx = install()
    await expect(wx.showModal({ title: '撤下？', confirmText: '确定撤下这个活' })).rejects.toMatchObject({ errMsg: /confirmText length/ })
    await expect(wx.showModal({ title: '撤下？', confirmText: '撤下', cancelText: '先不了' })).resolves.toMatchObject({ confirm: true })
    expect(wx.modals).toHaveLength(1)
  })

  test('the user may reject, ban, or have switched messages off', async () => {
    const wx = install()
    wx.user.subscribe = 'reject'
    await expect(wx.asGesture(() => wx.requestSubscribeMessage({ tmplIds: ['t1'] }))).resolves.toMatchObject({ t1: 'reject' })
    wx.user.subscribe = 'switch-off'
    expect(await failOf(wx.asGesture(() => wx.requestSubscribeMessage({ tmplIds: ['t1'] })))).toMatchObject({ errCode: 20004 })
    expect(await failOf(wx.asGesture(() => wx.requestSubscribeMessage({ tmplIds: [] })))).toMatchObject({ errCode: 10001 })
  })

  test('openSetting and requestPayment need a tap too', async () => {
    const wx = install()
    expect((await failOf(wx.openSetting({}))).errMsg).toMatch(/TAP gesture/)
    expect((await failOf(wx.requestPayment({}))).errMsg).toMatch(/TAP gesture/)
  })
})

describe('calls and pages', () => {
  test('makePhoneCall with no number fails', async () => {
    const wx = install()
    expect((await failOf(wx.makePhoneCall({ phoneNumber: '' }))).errMsg).toMatch(/^makePhoneCall:fail parameter error/)
    expect((await failOf(wx.makePhoneCall({}))).errMsg).toMatch(/^makePhoneCall:fail/)
  })

  test('navigation goes only to pages in app.json, tab pages only by switchTab, 10 deep at most', async () => {
    const phone = new Phone({ user: 'nav-tester' })
    const wx = phone.wx
    wx.user.privacy = 'agreed'
    await phone.open('pages/markets/index')
    expect((await failOf(wx.navigateTo({ url: '/pages/employer/profile' }))).errMsg).toBe('navigateTo:fail page "pages/employer/profile" is not found')
    expect((await failOf(wx.navigateTo({ url: '/pages/me/index' }))).errMsg).toBe('navigateTo:fail can not navigateTo a tabbar page')
    expect((await failOf(wx.redirectTo({ url: '/pages/index/index' }))).errMsg).toBe('redirectTo:fail can not redirectTo a tabbar page')
    expect((await failOf(wx.switchTab({ url: '/pages/gig/detail' }))).errMsg).toBe('switchTab:fail can not switch to no-tabBar page')
    expect((await failOf(wx.switchTab({ url: '/pages/index/index?x=1' }))).errMsg).toBe('switchTab:fail url not support query')
    for (let i = phone.stack.length; i < 10; i++) await wx.navigateTo({ url: '/pages/markets/index' })
    expect(phone.stack).toHaveLength(10)
    expect((await failOf(wx.navigateTo({ url: '/pages/markets/index' }))).errMsg).toBe('navigateTo:fail webview count limit exceed')
    await phone.settle()
  })

  test('setData over 1 MB fails', async () => {
    const phone = new Phone({ user: 'setdata-tester' })
    phone.wx.user.privacy = 'agreed'
    const page = await phone.open('pages/markets/index')
    expect(() => page.instance.setData({ big: 'x'.repeat(1024 * 1024) })).toThrow(/exceeds the 1 MB limit/)
    expect(() => page.instance.setData({ small: 'x' })).not.toThrow()
  })

  test('the photo picker may be cancelled', async () => {
    const wx = install()
    wx.user.privacy = 'agreed'
    wx.user.media = 'cancel'
    expect((await failOf(wx.chooseMedia({ count: 3 }))).errMsg).toBe('chooseMedia:fail cancel')
    expect((await failOf(wx.chooseMedia({ count: 30 }))).errMsg).toMatch(/count/)
  })

  test('storage keeps only what survives JSON, as on the phone', () => {
    const wx = install()
    wx.setStorageSync('k', { at: new Date(0), f: () => 1 })
    expect(wx.getStorageSync('k')).toEqual({ at: '1970-01-01T00:00:00.000Z' })
  })
})
