// A step that cannot be taken back asks first: a plain-Chinese wx.showModal says what will happen; "先不了"
// leaves everything as it was, the confirm button does it.
const { Phone } = require('./support/phone')
const { idNumber } = require('./support/people')
const { api, postGig } = require('./support/seed')

const as = (user, choices = {}) => new Phone({ user, userChoices: { privacy: 'agreed', ...choices } })
async function register(phone, name, seq) {
  await api(phone).put('/me/worker', { name, id_number: idNumber('19640101', seq), skills: [1, 2, 3], available_days: [1, 2, 3, 4, 5, 6, 7], area_code: '340104' })
}

// twice taps a control first answering "先不了" (and checks nothing changed), then confirming.
async function twice(page, label, opts, { unchanged, changed, says }) {
  const wx = page.phone.wx
  wx.user.modal = 'cancel'
  const before = wx.modals.length
  await page.tap(label, opts)
  expect(wx.modals.length).toBe(before + 1)
  const modal = wx.modals[wx.modals.length - 1]
  expect(modal.title + modal.content).toMatch(says)
  expect(modal.title + modal.content).not.toMatch(/[A-Za-z]{3,}/) // plain Chinese, no codes
  await unchanged()
  wx.user.modal = 'confirm'
  await page.tap(label, opts)
  await changed()
}

test('worker: withdrawing, saying the pay did not come, revoking family, enrolling and reporting an injury each ask first', async () => {
  const boss = as('employer1')
  const [g1, g2] = [await postGig('确认测试一'), await postGig('确认测试二')]
  const worker = as('mp-ask-worker')
  await register(worker, '黄德胜', 31)
  const a1 = await api(worker).post('/gigs/' + g1.id + '/applications')
  const a2 = await api(worker).post('/gigs/' + g2.id + '/applications')
  await api(boss).post('/applications/' + a2.id + '/accept')
  await api(boss).post('/applications/' + a2.id + '/complete', { amount_paid_cents: 25000 })
  const status = async (id) => (await api(worker).get('/me/applications')).find((a) => a.id === id).status

  const apps = await worker.open('pages/applications/index')
  const nth = (id) => ({ nth: apps.data.items.filter((a) => a.status === 'pending' || a.status === 'confirmed').findIndex((a) => a.id === id) })
  await twice(apps, '不去了，取消报名', nth(a1.id), {
    says: /雇主/, unchanged: async () => expect(await status(a1.id)).toBe('pending'),
    changed: async () => expect(await status(a1.id)).toBe('withdrawn') })
  await twice(apps, '工钱没收到', {}, {
    says: /工作人员/, unchanged: async () => expect(await status(a2.id)).toBe('completed'),
    changed: async () => expect(await status(a2.id)).toBe('disputed') })

  await api(worker).post('/me/delegates')
  const family = await worker.open('pages/family/index')
  const active = async () => (await api(worker).get('/me/delegates')).filter((d) => d.status === 'invited' || d.status === 'active').length
  await twice(family, '收回', {}, { says: /不能再替您/, unchanged: async () => expect(await active()).toBe(1), changed: async () => expect(await active()).toBe(0) })

  const insurance = await worker.open('pages/insurance/index')
  const plan = insurance.data.plans.find((p) => p.payer === 'government')
  const policies = async () => (await api(worker).get('/me/insurance')).policies
  await twice(insurance, '从今天起投保', {}, {
    says: new RegExp('保' + plan.termText + '.*保费'), unchanged: async () => expect(await policies()).toHaveLength(0),
    changed: async () => expect(await policies()).toHaveLength(1) })
  const [policy] = await policies()
  await api(as('staff')).post('/admin/insurance/enrollments/' + policy.id + '/confirm', { policy_number: 'PICC-2026-0001' })
  const covered = await worker.open('pages/insurance/index')
  expect(covered.text()).toContain('今天有保障')
  const incidents = async () => (await policies())[0].incidents || []
  await twice(covered, '我受伤了，报案', {}, { says: /打电话/, unchanged: async () => expect(await incidents()).toHaveLength(0),
    changed: async () => expect(await incidents()).toHaveLength(1) })
})

test('employer: turning an applicant down, insuring the hired and taking a gig down each ask first', async () => {
  const boss = as('employer1')
  const gig = await postGig('确认测试三')
  const people = []
  for (const [user, name, seq] of [['mp-ask-a', '冯玉梅', 32], ['mp-ask-b', '韩大伟', 33]]) {
    const w = as(user)
    await register(w, name, seq)
    people.push(await api(w).post('/gigs/' + gig.id + '/applications'))
  }
  const status = async (id) => (await api(boss).get('/gigs/' + gig.id + '/applications')).find((a) => a.id === id).status
  const page = await boss.open('pages/employer/applicants?gig=' + gig.id)
  const idx = page.data.items.findIndex((a) => a.id === people[0].id)
  await twice(page, '不录用', { nth: idx }, { says: /不录用冯/, unchanged: async () => expect(await status(people[0].id)).toBe('pending'),
    changed: async () => expect(await status(people[0].id)).toBe('rejected') })
  await page.tap('录用')
  const plan = page.data.plans[0]
  const insured = () => page.data.insured
  await twice(page, plan.name, {}, { says: /每人每天.*元/, unchanged: async () => expect(insured()).toBe(''),
    changed: async () => expect(insured()).toMatch(/已为1人次投保/) })

  const mine = await boss.open('pages/employer/gigs')
  const open = mine.data.items.filter((g) => g.status !== 'closed' && g.status !== 'expired')
  const gigStatus = async () => (await api(boss).get('/me/gigs')).find((g) => g.id === gig.id).status
  await twice(mine, '撤下这个活', { nth: open.findIndex((g) => g.id === gig.id) }, { says: /确认测试三.*看不到/,
    unchanged: async () => expect(await gigStatus()).not.toBe('closed'), changed: async () => expect(await gigStatus()).toBe('closed') })
})

test('staff: a push asks before it goes out', async () => {
  const staff = as('staff')
  const push = await staff.open('pages/staff/push')
  await push.tap('投诉还在办理的人')
  await push.tap('投诉进度')
  await push.type('哪件投诉', '您的欠薪投诉')
  await push.type('办到哪一步', '办理中')
  await push.type('要说的话', '已联系雇主')
  await push.type('时间', '2026-12-01 09:00')
  await twice(push, '发送', {}, { says: /收不回/, unchanged: async () => expect(push.data.report).toBe(null),
    changed: async () => expect(push.data.report).toMatchObject({ id: expect.any(Number) }) })
})
