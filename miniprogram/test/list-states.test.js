// Lists: loading first, then the items or the empty message (never before the answer), an error with 重试,
// pull-to-refresh; a filter tapped while the list loads shows that filter's list.
const { Phone } = require('./support/phone')
const { postGig } = require('./support/seed')

const as = (user, choices = {}) => new Phone({ user, userChoices: { privacy: 'agreed', ...choices } })

test('home: two filters tapped at once show the list for both, not the first answer', async () => {
  // Daily gigs of two trades near by: the daily-only list and the daily-cleaning list differ.
  await postGig('楼道保洁（日结）', { categoryID: 2 })
  await postGig('搬家具（日结）', { categoryID: 1 })
  const phone = as('mp-lists-worker')
  const home = await phone.open('pages/index/index')
  await phone.until(() => home.data.loaded, 'the first answer')
  const cleaning = home.data.categories.find((c) => c.code === 'cleaning')
  expect(cleaning.id).toBe(2)
  // The first answer is slow and lands after the second: it must not replace the list.
  phone.wx.lags.push(400)
  await Promise.all([home.tap('只看日结'), home.tap(cleaning.name)])
  await phone.until(() => !home.data.loading, 'the last answer')
  expect(home.data.daily).toBe(true)
  expect(home.data.category).toBe(cleaning.id)
  expect(home.data.items.length).toBeGreaterThan(0)
  expect(home.data.items.every((g) => g.settlement === 'daily' && g.category === cleaning.name)).toBe(true)
})

test('a list says "正在加载…" until the answer and the empty message only after it; a failure offers 重试', async () => {
  const phone = as('mp-lists-empty')
  const pending = phone.open('pages/complaints/index')
  const page = phone.page('pages/complaints/index')
  expect(page.text()).toContain('正在加载')
  expect(page.text()).not.toContain('还没有投诉')
  await pending
  await phone.until(() => page.data.loaded, 'the answer')
  expect(page.text()).toContain('还没有投诉')
  expect(page.text()).not.toContain('正在加载')

  // The network drops: the list says so in plain words and 重试 brings it back.
  const config = require('../config')
  const base = config.apiBase
  config.apiBase = 'http://127.0.0.1:1/api/v1'
  await page.pullDown()
  expect(page.text()).toContain('网络连接不上')
  config.apiBase = base
  await page.tap('重试')
  expect(page.text()).not.toContain('网络连接不上')
  expect(page.text()).toContain('还没有投诉')
})

test.each([
  ['pages/applications/index', '还没有报名'],
  ['pages/training/index', '技能培训'],
  ['pages/insurance/index', '可以买的保险'],
])('%s shows loading, then its answer, and refreshes on pull-down', async (route, see) => {
  const phone = as('mp-lists-' + route.split('/')[1])
  const opening = phone.open(route)
  expect(phone.page(route).text()).toContain('正在加载')
  await opening
  const page = phone.page(route)
  await phone.until(() => page.data.loaded, 'the answer')
  expect(page.text()).toContain(see)
  await page.pullDown()
  expect(phone.wx.calls.some((c) => c.name === 'stopPullDownRefresh')).toBe(true)
})
