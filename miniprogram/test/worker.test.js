// What a worker does besides applying: search by words, look at the map, send a gig to family, have pages read.
const { Phone } = require('./support/phone')
const { postGig } = require('./support/seed')

const as = (user, choices = {}) => new Phone({ user, userChoices: { privacy: 'agreed', ...choices } })

test('search by words, then back to all; the map shows the gigs and a marker opens its gig', async () => {
  await postGig('仓库夜班搬运工')
  const phone = as('mp-worker-search')
  const home = await phone.open('pages/index/index')
  await phone.until(() => home.data.loaded, 'the list')
  const all = home.data.items.length
  await home.type('搜什么活', '夜班')
  await home.tap('搜')
  expect(home.data.items.length).toBeGreaterThan(0)
  expect(home.data.items.every((g) => /夜班/.test(g.title + g.category + g.employer_name + g.address))).toBe(true)
  expect(home.text()).toContain('在搜“夜班”')
  await home.tap('不搜了，看全部')
  expect(home.data.items.length).toBe(all)

  await home.tap('在地图上看')
  expect(home.has('附近的活在地图上')).toBe(true)
  expect(home.data.markers.length).toBe(home.data.items.length)
  const target = home.data.items[0]
  await home.event('附近的活在地图上', 'markertap', { markerId: target.id })
  expect(phone.page('pages/gig/detail').data.gig.id).toBe(target.id)
})

test('a gig sent to a family member opens on their phone', async () => {
  const gig = await postGig('小区绿化浇水')
  const mum = as('mp-worker-share')
  const detail = await mum.open('pages/gig/detail?id=' + gig.id)
  await detail.tap('发给家人看')
  expect(detail.shared.title).toContain('小区绿化浇水')
  const son = as('mp-worker-son')
  const opened = await son.open(detail.shared.path)
  expect(opened.text()).toContain('小区绿化浇水')
  expect(opened.data.error).toBe('')
})

test('读给我听 on the home list, a gig, my applications and a complaint plays aloud', async () => {
  const phone = as('worker')
  const http = require('../utils/request')
  const complaint = await http.post('/complaints', { category: 'fees', description: '介绍工作要先交200元押金', photos: [] })
  const home = await phone.open('pages/index/index')
  await phone.until(() => home.data.loaded, 'the list')
  await home.tap('读给我听')
  const detail = await phone.open('pages/gig/detail?id=' + home.data.items[0].id)
  await detail.tap('读给我听')
  const apps = await phone.open('pages/applications/index')
  await phone.until(() => apps.data.loaded, 'my applications')
  await apps.tap('读给我听', { nth: 0 })
  const c = await phone.open('pages/complaints/detail?id=' + complaint.id)
  await c.tap('读给我听')
  expect(phone.wx.played).toHaveLength(4)
  expect(phone.wx.audioOption.obeyMuteSwitch).toBe(false)
  expect(c.data.error).toBe('')
})

test('complaint photos show their upload; 提交 waits for them, and a failed one is tried again', async () => {
  const phone = as('worker')
  const form = await phone.open('pages/complaints/new')
  await form.tap('欠工钱')
  await form.type('经过', '干了两天活，老板说下个月再给')
  const seen = []
  const setData = form.instance.setData
  form.instance.setData = function (patch, cb) {
    for (const [k, v] of Object.entries(patch)) if (/progress$/.test(k)) seen.push(v)
    return setData.call(this, patch, cb)
  }
  const config = require('../config')
  const base = config.apiBase
  config.apiBase = 'http://127.0.0.1:1/api/v1' // the network drops while the photo goes up
  await form.tap('加照片（可不加）')
  config.apiBase = base
  expect(form.text()).toContain('没传上去')
  await form.tap('提交投诉')
  expect(form.text()).toContain('有照片没传上去')
  expect(phone.page().route).toBe('pages/complaints/new') // nothing filed
  await form.tap('重新上传')
  expect(form.text()).toContain('已传好')
  expect(seen.some((p) => p > 0 && p < 100)).toBe(true) // the progress was shown on the way
  await form.tap('提交投诉')
  const detail = phone.page('pages/complaints/detail')
  expect(detail.data.complaint.photos).toHaveLength(1)
  expect(phone.wx.calls.some((c) => c.name === 'requestSubscribeMessage')).toBe(true)
})

// refreshUntil pulls a page down now and then, as a user does, until what they wait for shows: WeChat's content
// check answers from the server's queue a moment after the save.
async function refreshUntil(page, cond, what, ms = 10000) {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for ' + what + '; on screen: ' + page.text().slice(0, 400))
    await new Promise((r) => setTimeout(r, 300))
    await page.pullDown()
  }
}

test('a complaint is filed at once and says 内容检测中; one WeChat refuses comes back to be reworded on its page', async () => {
  const phone = as('mp-worker-reword')
  const http = require('../utils/request')
  await http.post('/complaints', { category: 'fees', description: '介绍工作要先交押金，微信不通测试', photos: [] })
  const list = await phone.open('pages/complaints/index')
  await phone.until(() => list.data.loaded, 'my complaints')
  expect(list.text()).toContain('内容检测中，稍等一会儿，往下拉可以刷新')

  const form = await phone.open('pages/complaints/new')
  await form.tap('欠工钱')
  await form.type('经过', '老板不给钱还骂人，违规测试')
  await form.tap('提交投诉')
  const detail = phone.page('pages/complaints/detail')
  await refreshUntil(detail, () => detail.data.complaint.status === 'returned', 'the complaint returned')
  expect(detail.text()).toContain('欠工钱 · 退回修改')
  expect(detail.text()).toContain('请改一改再提交')
  expect(detail.text()).toContain('经过里有不允许的内容，请改一改再提交')
  expect(detail.data.draft).toBe('老板不给钱还骂人，违规测试') // what was sent, to change rather than retype
  await detail.type('改写经过', '老板欠了我三天工钱，一共六百元')
  await detail.tap('改好了，重新提交')
  expect(detail.data.error).toBe('')
  expect(detail.text()).toContain('欠工钱 · 已提交')
  expect(detail.text()).toContain('已修改，重新提交')
  await refreshUntil(detail, () => detail.data.complaint.sec_check === undefined, 'the new wording checked')
  expect(detail.text()).not.toContain('内容检测中')
  expect(detail.text()).toContain('老板欠了我三天工钱，一共六百元')
})
