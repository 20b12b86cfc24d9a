// The flows the mini-program exists for, driven through the pages' own handlers against the real server.
const { install } = require('./support/wx')
const { loadPage, tap, settle, useServer } = require('./support/page')

let wx
beforeEach(() => {
  wx = install()
  useServer()
})

const until = async (cond, ms = 3000) => {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out')
    await settle()
  }
}

function idNumber(birth, seq) {
  const base = '340104' + birth + String(seq).padStart(3, '0')
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let sum = 0
  for (let i = 0; i < 17; i++) sum += Number(base[i]) * w[i]
  return base + '10X98765432'[sum % 11]
}

test('login → register → browse nearby → apply', async () => {
  wx.signInAs('mp-newcomer')
  const reg = loadPage('pages/register/worker')
  await reg.onLoad({})
  expect(reg.data.categories.length).toBeGreaterThan(10)

  // A wrong ID number: the error shows beside the field and nothing typed is lost.
  reg.onName({ detail: { value: '李秀英' } })
  reg.onIDNumber({ detail: { value: '340104196513051234' } })
  tap(reg, 'toggleSkill', { id: 2 })
  await reg.submit()
  expect(reg.data.errors.id_number).toMatch(/身份证/)
  expect(reg.data.name).toBe('李秀英')

  reg.onIDNumber({ detail: { value: idNumber('19650505', 11) } })
  await tap(reg, 'onPhone', {}, { code: '13966660001' })
  expect(reg.data.phone).toBe('139****0001')
  reg.locate()
  await reg.submit()
  expect(reg.data.error).toBe('')
  expect(wx.calls.find((c) => c.name === 'switchTab').arg.url).toBe('/pages/index/index')

  const home = loadPage('pages/index/index')
  home.onLoad()
  await until(() => home.data.items.length > 0)
  const nearest = home.data.items[0]
  expect(nearest.distance_m).toBeLessThan(3000)
  await tap(home, 'toggleDaily')
  expect(home.data.items.every((g) => g.settlement === 'daily')).toBe(true)

  const detail = loadPage('pages/gig/detail')
  await detail.onLoad({ id: String(nearest.id) })
  expect(detail.data.gig.contact_phone).toMatch(/^1\d{10}$/)
  detail.call()
  expect(wx.calls.find((c) => c.name === 'makePhoneCall').arg.phoneNumber).toBe(detail.data.gig.contact_phone)
  detail.tapApply()
  await until(() => detail.data.applied)
  expect(['pending', 'confirmed']).toContain(detail.data.applied.status)

  const mine = loadPage('pages/applications/index')
  await mine.onShow()
  expect(mine.data.items[0].gig.id).toBe(nearest.id)
})

test('employer posts → staff approves → worker sees it', async () => {
  wx.signInAs('employer1') // a verified demo employer
  const post = loadPage('pages/employer/post')
  await post.onLoad()
  post.setData({ form: { ...post.data.form, title: '仓库搬货限男性', category_id: 1, headcount: 2, wage_yuan: '260',
    location: { lat: 31.8700, lng: 117.2900 }, address: '合肥市蜀山区测试路1号', area_code: '340104', contact_phone: '13955551001' } })
  await post.submit()
  // The check runs first and shows the discriminatory phrase; nothing is posted yet.
  expect(post.data.checks.discrimination[0].phrase).toBe('限男性')
  post.onInput({ currentTarget: { dataset: { field: 'title' } }, detail: { value: '仓库搬货工（男女不限）' } })
  await post.submit()
  await post.submit()
  const redirect = wx.calls.find((c) => c.name === 'redirectTo')
  expect(redirect && redirect.arg.url).toMatch(/posted=\d+/)

  wx.signInAs('staff') // staff of 合肥市
  const reviews = loadPage('pages/staff/reviews')
  await reviews.onLoad({ kind: 'gig' })
  const queued = reviews.data.items.find((g) => g.title === '仓库搬货工（男女不限）')
  expect(queued).toBeTruthy()
  await tap(reviews, 'decide', { id: queued.id, approve: true })
  expect(reviews.data.error).toBe('')

  wx.signInAs('worker')
  wx.location = { latitude: 31.8700, longitude: 117.2900 }
  const home = loadPage('pages/index/index')
  home.onLoad()
  await until(() => home.data.items.some((g) => g.title === '仓库搬货工（男女不限）'))
})

test('file a complaint → staff moves it → worker sees the timeline', async () => {
  wx.signInAs('worker') // the demo worker lives in 蜀山区, in the 合肥 staff's area
  const form = loadPage('pages/complaints/new')
  form.onLoad({})
  await form.submit()
  expect(form.data.errors.category).toBeTruthy()
  tap(form, 'pick', { k: 'fees' })
  form.onText({ detail: { value: '老板让我先交两百块押金才能上工' } })
  await form.submit()
  const url = wx.calls.find((c) => c.name === 'redirectTo').arg.url
  const id = url.split('id=')[1]

  wx.signInAs('staff')
  const desk = loadPage('pages/staff/complaints')
  await desk.onLoad()
  const item = desk.data.items.find((c) => String(c.id) === id)
  expect(item.moves.map((m) => m.to)).toEqual(['accepted', 'rejected'])
  desk.onNote({ currentTarget: { dataset: { id: item.id } }, detail: { value: '已联系雇主，押金将退还' } })
  await tap(desk, 'move', { id: item.id, to: 'accepted' })
  expect(desk.data.error).toBe('')

  wx.signInAs('worker')
  const detail = loadPage('pages/complaints/detail')
  await detail.onLoad({ id })
  expect(detail.data.statusText).toBe('已受理')
  expect(detail.data.complaint.timeline.map((e) => e.status)).toEqual(['submitted', 'accepted'])
  expect(detail.data.complaint.timeline[1].note).toBe('已联系雇主，押金将退还')
})

test('employer records the work and pay, insures the workers; staff push to them and read the report', async () => {
  wx.signInAs('employer3') // the demo person employer in 淮南, with first-come gigs
  const gigsPage = loadPage('pages/employer/gigs')
  await gigsPage.onShow()
  const gig = gigsPage.data.items.find((g) => g.hiring_mode === 'first_come' && g.status === 'published')

  wx.signInAs('mp-hn-worker')
  const reg = loadPage('pages/register/worker')
  await reg.onLoad({})
  reg.onName({ detail: { value: '赵大勇' } })
  reg.onIDNumber({ detail: { value: idNumber('19720303', 21) } })
  tap(reg, 'toggleSkill', { id: 4 })
  await reg.submit()
  const detail = loadPage('pages/gig/detail')
  await detail.onLoad({ id: String(gig.id) })
  detail.tapApply()
  await until(() => detail.data.applied)
  expect(detail.data.applied.status).toBe('confirmed')

  wx.signInAs('employer3')
  const people = loadPage('pages/employer/applicants')
  people.onLoad({ gig: String(gig.id) })
  await until(() => people.data.items.length > 0 && people.data.plans.length > 0)
  const worker = people.data.items[0]
  expect(worker.phone).toMatch(/^1\d{10}$|^$/)
  await tap(people, 'insure', { plan: people.data.plans[0].id })
  expect(people.data.insured).toMatch(/已为\d+人次投保/)
  wx.signInAs('admin')
  const push = loadPage('pages/staff/push')
  push.onLoad()
  push.onTarget({ detail: { value: String(gig.id) } })
  push.onField({ currentTarget: { dataset: { f: 'gig' } }, detail: { value: '明天改为8点开工' } })
  await push.send()
  expect(push.data.error).toBe('')
  expect(push.data.report.recipients).toBe(1)
  await push.refresh()
  const r = push.data.report
  expect(r.pending + r.sent + r.no_grant + r.failed).toBe(1)

  wx.signInAs('employer3')
  people.onPay({ currentTarget: { dataset: { id: worker.id } }, detail: { value: '220' } })
  await tap(people, 'act', { id: worker.id, action: 'complete' })
  expect(people.data.items[0].status).toBe('completed')
  await tap(people, 'act', { id: worker.id, action: 'rate', score: 5 })
  expect(people.data.error).toBe('')

})

test('a family member acts for an elder; a walk-in profile is claimed with its slip; a poster code opens its gig', async () => {
  wx.signInAs('worker') // 王建国, the demo worker, invites his son
  const elderPage = loadPage('pages/family/index')
  await elderPage.onShow()
  await elderPage.invite()
  const code = elderPage.data.invite.code
  expect(code).toHaveLength(8)

  wx.signInAs('mp-son')
  const sonPage = loadPage('pages/family/index')
  await sonPage.onShow()
  sonPage.onCode({ detail: { value: code.toLowerCase() } })
  await sonPage.accept()
  expect(sonPage.data.error).toBe('')
  expect(sonPage.data.elders[0].name).toBe('王**')

  // The market screen's code opens the list around that market, wherever the phone is.
  wx.location = { latitude: 30.0, longitude: 118.0 }
  const home = loadPage('pages/index/index')
  await home.onLoad({ scene: encodeURIComponent('m=1') })
  expect(home.data.location).toEqual({ lat: 31.844, lng: 117.251 })
  await until(() => home.data.items.length > 0)
  const detail = loadPage('pages/gig/detail')
  // A poster's mini-program code carries the gig id as its scene.
  await detail.onLoad({ scene: encodeURIComponent(String(home.data.items[0].id)) })
  expect(detail.data.gig.id).toBe(home.data.items[0].id)
  expect(detail.data.elders).toHaveLength(1)
  await tap(detail, 'applyFor', { elder: detail.data.elders[0].elder_id })
  expect(detail.data.error).toBe('')
  await sonPage.onShow()
  expect(sonPage.data.elderApps[sonPage.data.elders[0].elder_id].some((a) => a.gig.id === detail.data.gig.id)).toBe(true)

  wx.signInAs('worker')
  await elderPage.onShow()
  expect(elderPage.data.actions.some((a) => a.action === 'apply')).toBe(true)
  const active = elderPage.data.delegates.find((d) => d.status === 'active')
  await tap(elderPage, 'revoke', { id: active.id })
  expect(elderPage.data.delegates.find((d) => d.id === active.id).status).toBe('revoked')

  // At the window, staff register a grandmother without a smartphone and print her slip.
  const http = require('../utils/request')
  wx.signInAs('staff')
  const desk = loadPage('pages/staff/walkin')
  await desk.onLoad()
  desk.onInput({ currentTarget: { dataset: { field: 'name' } }, detail: { value: '孙桂芳' } })
  desk.onInput({ currentTarget: { dataset: { field: 'id_number' } }, detail: { value: idNumber('19560606', 31) } })
  desk.onRegion({ detail: { value: ['安徽省', '合肥市', '蜀山区'], code: ['340000', '340100', '340104'] } })
  tap(desk, 'toggleSkill', { id: 2 })
  await desk.submit()
  expect(desk.data.errors['consent.note']).toBeTruthy() // spoken consent needs who heard it, when and where
  desk.onNote({ detail: { value: '本人在蜀山区零工市场窗口口头同意，工作人员小王在场' } })
  await desk.submit()
  expect(desk.data.slip.code).toMatch(/^\d{6}$/)
  const walkIn = { worker_no: desk.data.slip.workerNo }
  const slip = { code: desk.data.slip.code }

  // Her granddaughter claims it with her own WeChat, from the slip.
  wx.signInAs('mp-granddaughter')
  const claim = loadPage('pages/claim/index')
  claim.onLoad()
  claim.onNo({ detail: { value: String(walkIn.worker_no) } })
  claim.onCode({ detail: { value: '000000' === slip.code ? '111111' : '000000' } })
  await claim.submit()
  expect(claim.data.error).toMatch(/不对/)
  claim.onCode({ detail: { value: slip.code } })
  await claim.submit()
  expect(claim.data.done).toBe(true)
  const me = await http.get('/me/worker')
  expect(me.name).toBe('孙桂芳')
})
