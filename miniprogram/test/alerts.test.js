// 有活提醒 by taps: from the gig list, "有这样的活就告诉我" opens the settings filled in with the list's 工种 and
// 日结, 就这样，有活告诉我 saves them with WeChat's sheet asked inside the tap (its 允许 is the third tap); a gig
// approved afterwards reaches the worker through the server's own jobs, and the alert opens the gig. A family
// delegate sets an elder's alerts, without the SMS consent only the elder can give.
const { Phone } = require('./support/phone')
const { idNumber } = require('./support/people')
const { api, postGig } = require('./support/seed')

const as = (user, choices = {}) => new Phone({ user, userChoices: { privacy: 'agreed', ...choices } })

// eventually polls the server until its background jobs (matching every second, sending every two) have run.
async function eventually(read, what) {
  const end = Date.now() + 20000
  for (;;) {
    const got = await read()
    if (got) return got
    if (Date.now() > end) throw new Error('timed out waiting for ' + what)
    await new Promise((r) => setTimeout(r, 200))
  }
}

test('three taps from the gig list set an alert; the approved gig is told and its alert opens it', async () => {
  const worker = as('mp-alerts-worker')
  await api(worker).put('/me/worker', { name: '孙德福', id_number: idNumber('19630405', 71), skills: [2], available_days: [1, 2, 3, 4, 5, 6, 7],
    home: { lat: 31.86, lng: 117.28, address: '合肥市蜀山区' }, area_code: '340104' })
  const list = await worker.open('pages/index/index')
  await worker.until(() => list.data.loaded, 'the list')
  await list.tap('搬运装卸')
  await list.tap('只看日结')

  await list.tap('有这样的活就告诉我') // 1
  const set = worker.page('pages/alerts/index')
  await worker.until(() => set.data.loaded, 'the settings')
  expect(set.data.picked).toEqual({ 1: true }) // the list's trade, not the registered one
  expect([set.data.daily, set.data.place, set.data.enabled]).toEqual([true, 'home', true])
  expect(set.text()).toContain('有新的搬运装卸日结活，在家附近5公里内，马上告诉您')
  await set.tap('就这样，有活告诉我') // 2, and WeChat's 允许 is 3
  await worker.until(() => set.data.saved, 'saved')
  expect(set.text()).toContain('设好了')
  const asked = worker.wx.calls.filter((c) => c.name === 'requestSubscribeMessage').pop()
  expect(asked.arg.tmplIds).toEqual(['dev-job_alert'])
  const saved = await api(worker).get('/me/alerts')
  expect([saved.saved, saved.enabled, saved.category_ids, saved.daily_pay, saved.sms_consent]).toEqual([true, true, [1], true, false])

  const gig = await postGig('小区搬家（提醒）')
  const recent = await eventually(async () => {
    const list = await api(worker).get('/me/alerts/recent')
    return list.find((a) => a.gig_id === gig.id)
  }, 'the alert of the approved gig')
  expect(recent.channel).toBe('wechat')

  // The alert's page (what the WeChat message opens, and the list below the settings for SMS) opens the gig.
  const again = await worker.open('pages/alerts/index')
  await worker.until(() => again.data.loaded, 'the settings again')
  expect(again.text()).toContain('最近告诉您的活')
  await again.tap('看小区搬家（提醒）')
  await worker.until(() => worker.page('pages/gig/detail') && worker.page('pages/gig/detail').data.gig, 'the gig')
  expect(worker.page('pages/gig/detail').data.gig.id).toBe(gig.id)
  expect((await api(worker).get('/me/alerts/recent')).find((a) => a.gig_id === gig.id).opened).toBe(true)
})

test('an alert that cannot be opened says so and offers the gigs near', async () => {
  const worker = as('mp-alerts-worker')
  const open = await worker.open('pages/alerts/open?id=999999')
  await worker.until(() => open.data.error, 'the error')
  expect(open.text()).toContain('这个活打不开了')
  await open.tap('看看附近别的活')
  expect(worker.top().route).toBe('pages/index/index')
})

test('a family member sets the elder\'s alerts but cannot agree to SMS for them; fields are checked at once', async () => {
  const elder = as('mp-alerts-elder')
  await api(elder).put('/me/worker', { name: '周秀兰', id_number: idNumber('19590909', 72), skills: [3], available_days: [1, 2, 3],
    home: { lat: 31.86, lng: 117.28, address: '合肥市蜀山区' }, area_code: '340104' })
  const { code } = await api(elder).post('/me/delegates')
  const son = as('mp-alerts-son')
  const { elder_id: elderID } = await api(son).post('/me/delegations', { code })
  const fam = await son.open('pages/family/index')
  await son.until(() => fam.data.loaded, 'the family page')
  await fam.tap('替他设置有活提醒')
  const set = son.page('pages/alerts/index')
  await son.until(() => set.data.loaded, 'the elder\'s settings')
  expect(set.data.elder).toBe(elderID)
  expect(set.has('同意用短信告诉我')).toBe(false)
  expect(set.text()).toContain('收不收短信，要家人自己在他的微信里同意')
  await set.tap('零工市场附近')
  await set.tap('10公里以内')
  await set.tap('保存')
  await son.until(() => set.data.saved, 'saved')
  expect(son.wx.calls.some((c) => c.name === 'requestSubscribeMessage')).toBe(false) // the sheet is the elder's to answer
  const got = await api(elder).get('/me/alerts')
  expect([got.place, got.radius_m, got.enabled, got.sms_consent]).toEqual(['market', 10000, true, false])

  // The elder asks for SMS without a bound phone: told beside the switch what to do.
  const own = await elder.open('pages/alerts/index')
  await elder.until(() => own.data.loaded, 'her settings')
  await own.tap('同意用短信告诉我')
  await own.tap('保存')
  await elder.until(() => own.data.error, 'the error')
  expect(own.text()).toContain('要收短信，请先在“我的”里绑定手机号')
  expect(own.has('去绑定手机号')).toBe(true)
})

test('a yes to SMS from a page read before a 退订 is not taken: the page shows SMS off and the worker says yes again', async () => {
  const worker = as('mp-alerts-td')
  await api(worker).put('/me/worker', { name: '吴长顺', id_number: idNumber('19610707', 73), skills: [1], available_days: [1, 2, 3, 4, 5],
    home: { lat: 31.86, lng: 117.28, address: '合肥市蜀山区' }, area_code: '340104' })
  await api(worker).post('/me/phone', { code: '13966660073' })
  const set = await worker.open('pages/alerts/index')
  await worker.until(() => set.data.loaded, 'the settings')
  await set.tap('同意用短信告诉我')
  await set.tap('保存')
  await worker.until(() => set.data.saved, 'saved')
  expect((await api(worker).get('/me/alerts')).sms_consent).toBe(true)

  // The worker replies 退订 to an alert SMS while this page stays open, still showing SMS on.
  await api(worker).post('/sms/replies?token=mp-test-sms-reply-token', { mobile: '13966660073', nationcode: '86', text: '退订', time: 1764300000 })
  await set.tap('10公里以内')
  await set.tap('保存')
  await worker.until(() => set.data.errors.sms_consent, 'the answer beside the switch')
  expect(set.text()).toContain('您回复了“退订”，提醒短信已经停了')
  expect(set.data.sms).toBe(false)
  expect(set.data.radius).toBe(10000) // what else was chosen stays on the page
  let got = await api(worker).get('/me/alerts')
  expect([got.sms_consent, got.radius_m]).toEqual([false, 5000]) // nothing was saved

  await set.tap('同意用短信告诉我')
  await set.tap('保存')
  await worker.until(() => set.data.saved && !set.data.busy, 'saved again')
  got = await api(worker).get('/me/alerts')
  expect([got.sms_consent, got.sms_stopped, got.radius_m]).toEqual([true, false, 10000])
})
