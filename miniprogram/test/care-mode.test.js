// 长辈版: follows WeChat's font size until the user chooses in 我的; the choice is remembered and every page,
// component and the tab bar follow it. 我的 shows only the entries for the user's roles.
const { Phone } = require('./support/phone')

const as = (user, choices = {}, fontSizeScaleFactor = 1) => new Phone({ user, fontSizeScaleFactor, userChoices: { privacy: 'agreed', ...choices } })
const rootClass = (page) => page.controls().find((c) => c.tag === 'view').node.$$.className

test('the 长辈版 switch in 我的 enlarges every page and the tab bar, and is remembered', async () => {
  const phone = as('mp-care-worker')
  const me = await phone.open('pages/me/index')
  expect(me.data.care).toBe(false)
  expect(me.tabBar.data.care).toBe(false)
  await me.tap('长辈版，字和按钮更大')
  expect(me.data.care).toBe(true)
  expect(rootClass(me)).toMatch(/\bcare\b/)
  expect(me.tabBar.data.care).toBe(true)
  expect(me.find('长辈版，字和按钮更大').attrs.ariaChecked).toBe('true')

  // The tab bar is the app's own: tapped, it switches tab; the next page is in 长辈版 too.
  await me.tabBar.tap('找活')
  const home = phone.page('pages/index/index')
  expect(home.data.care).toBe(true)
  expect(home.tabBar.data.selected).toBe('pages/index/index')
  expect(home.tabBar.data.care).toBe(true)

  // Closed and opened again, the app remembers.
  phone.launchApp()
  const again = await phone.open('pages/gig/detail?id=1')
  expect(again.data.care).toBe(true)
  const back = await phone.open('pages/me/index')
  await back.tap('长辈版，字和按钮更大')
  expect(back.data.care).toBe(false)
})

test('with WeChat set to large text it starts in 长辈版, and the user may still turn it off', async () => {
  const phone = as('mp-care-bigfont', {}, 1.4)
  const me = await phone.open('pages/me/index')
  expect(me.data.care).toBe(true)
  await me.tap('长辈版，字和按钮更大')
  const home = await phone.open('pages/index/index')
  expect(home.data.care).toBe(false)
})

test.each([
  ['mp-care-new', ['我要找活（求职登记）', '我要招工（招工登记）'], ['技能培训', '发布招工', '工作台（工作人员）']],
  ['worker', ['我的求职登记', '技能培训', '意外伤害保险'], ['发布招工', '工作台（工作人员）', '我要找活（求职登记）']],
  ['employer1', ['发布招工', '我发布的活', '我也要找活'], ['技能培训', '工作台（工作人员）', '我要招工（招工登记）']],
  ['staff', ['工作台（工作人员）'], ['发布招工', '技能培训']],
])('我的 for %s shows only their entries', async (user, shown, hidden) => {
  const phone = as(user)
  const me = await phone.open('pages/me/index')
  await phone.until(() => me.data.loaded, 'who I am')
  for (const label of shown) expect([label, me.has(label)]).toEqual([label, true])
  for (const label of hidden) expect([label, me.has(label)]).toEqual([label, false])
})
