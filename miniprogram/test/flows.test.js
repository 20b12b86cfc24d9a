// The flows the mini-program exists for, tapped through as a person would on a phone held to WeChat's rules
// (support/phone.js, support/wx.js), against the real server; each step asserts on what the user sees.
const { Phone } = require('./support/phone')
const { idNumber } = require('./support/people')

// as switches the phone to another person: same app, their WeChat, privacy already agreed unless told.
function as(user, choices = {}) {
  return new Phone({ user, userChoices: { privacy: 'agreed', ...choices } })
}

test('a new worker: privacy, nearby gigs, apply → register on the way → applied, with the result message granted', async () => {
  const phone = new Phone({ user: 'mp-newcomer' })
  const home = await phone.open('pages/index/index')
  // WeChat holds the location until the user agrees; the page says why and offers the button.
  expect(phone.wx.privacyWaiting()).toEqual(['getLocation'])
  expect(home.text()).toContain('用之前请您同意')
  await home.tap('同意并继续')
  await phone.until(() => home.data.items.length > 0, 'nearby gigs')
  expect(home.text()).not.toContain('用之前请您同意')
  const first = home.data.items[0]
  expect(first.distance_m).toBeLessThan(3000)
  expect(home.text()).toContain(first.title)

  await home.tap('只看日结')
  expect(home.data.items.every((g) => g.settlement === 'daily')).toBe(true)

  await home.tap(new RegExp('^' + home.data.items[0].title + '，'))
  const detail = phone.page('pages/gig/detail')
  const gig = detail.data.gig
  expect(detail.text()).toContain(gig.title)
  // Employers' phones are for registered workers: the page says so instead of offering the call.
  expect(detail.has('打电话')).toBe(false)
  expect(detail.text()).toContain('求职登记后就能看到雇主电话')

  // Not registered yet: applying leads to the registration, which comes back to the gig.
  await detail.tap('我要报名')
  const reg = phone.page('pages/register/worker')
  await reg.tap('用微信绑定的手机号')
  expect(reg.text()).toContain('139****0001')
  await reg.type('姓名', '李秀英')
  await reg.type('身份证号', '340104196513051234')
  await reg.tap(reg.data.categories[1].name)
  await reg.tap('提交登记')
  expect(reg.text()).toMatch(/身份证/)
  expect(reg.data.name).toBe('李秀英') // nothing typed is lost
  await reg.type('身份证号', idNumber('19650505', 11))
  await reg.tap('用我现在的位置')
  await reg.tap('提交登记')
  const back = phone.page('pages/gig/detail')
  await back.tap('打电话')
  expect(phone.wx.calls.find((c) => c.name === 'makePhoneCall').arg.phoneNumber).toBe(back.data.gig.contact_phone)
  await back.tap('我要报名')
  // The subscribe sheet opened inside the tap and the user accepted it: the server holds the grant.
  const sheet = phone.wx.calls.filter((c) => c.name === 'requestSubscribeMessage')
  expect(sheet.length).toBeGreaterThan(0)
  expect(back.text()).toMatch(/您已被录用|已报名，等雇主回复/)
  expect(back.text()).not.toContain('不会收到微信通知')
  const grants = await require('../utils/request').get('/me/subscriptions')
  expect(JSON.stringify(grants)).toMatch(/application_result/)

  await phone.wx.switchTab({ url: '/pages/applications/index' })
  await phone.settle()
  expect(phone.page('pages/applications/index').text()).toContain(gig.title)
})

test('a worker who refuses the message still applies, and is told there will be no WeChat notice', async () => {
  const phone = as('mp-refuser', { subscribe: 'reject' })
  await require('../utils/request').put('/me/worker', { name: '周桂兰', id_number: idNumber('19660606', 12), skills: [2], available_days: [1, 2, 3, 4, 5, 6, 7] })
  const home = await phone.open('pages/index/index')
  await phone.until(() => home.data.items.length > 0, 'gigs')
  await home.tap(new RegExp('^' + home.data.items[0].title + '，'))
  const detail = phone.page('pages/gig/detail')
  await detail.tap('我要报名')
  expect(detail.text()).toMatch(/您已被录用|已报名，等雇主回复/)
  expect(detail.text()).toContain('不会收到微信通知，请常来看看')
})

test('location denied: the list says what to do next and the market button still finds work', async () => {
  const phone = as('mp-no-location', { location: 'deny' })
  const home = await phone.open('pages/index/index')
  expect(home.text()).toContain('没拿到您的位置')
  await home.tap('按零工市场找')
  const markets = phone.page('pages/markets/index')
  await phone.until(() => markets.data.items.length > 0, 'markets')
  expect(markets.text()).toContain(markets.data.items[0].name)
})

test('employer posts with a place chosen on the map → staff approve → a worker applies → hired, paid, rated both ways', async () => {
  const boss = new Phone({ user: 'employer1' }) // a verified demo employer; privacy not yet agreed on this phone
  const post = await boss.open('pages/employer/post')
  await post.type('标题', '仓库搬货限男性')
  await post.tap(post.data.categories[0].name)
  await post.type('工钱，元', '260')
  await post.type('招几个人', '2')
  await post.tap('在地图上选')
  expect(post.text()).toContain('用之前请您同意') // chooseLocation is privacy-gated too
  await post.tap('同意并继续')
  expect(post.text()).toContain('测试路1号')
  await post.change('选择区县', { value: ['安徽省', '合肥市', '蜀山区'], code: ['340000', '340100', '340104'] })
  await post.type('联系电话', '13955551001')
  await post.tap('我来挑')
  await post.tap('提交')
  // The check runs first and shows the discriminatory phrase; nothing is posted yet.
  expect(post.text()).toContain('“限男性”')
  await post.type('标题', '仓库搬货工（男女不限）')
  await post.tap('我已看过，提交')
  const mine = boss.page('pages/employer/gigs')
  expect(mine.text()).toContain('仓库搬货工（男女不限）')
  expect(mine.text()).toContain('审核中')

  const staff = as('staff') // staff of 合肥市
  const reviews = await staff.open('pages/staff/reviews?kind=gig')
  await staff.until(() => reviews.text().includes('仓库搬货工（男女不限）'), 'the gig in the queue')
  const idx = reviews.data.items.findIndex((g) => g.title === '仓库搬货工（男女不限）')
  await reviews.tap('通过', { nth: idx })
  expect(reviews.text()).not.toContain('仓库搬货工（男女不限）')

  const worker = as('worker')
  const home = await worker.open('pages/index/index')
  await worker.until(() => home.text().includes('仓库搬货工（男女不限）'), 'the new gig nearby')
  const gigID = home.data.items.find((g) => g.title === '仓库搬货工（男女不限）').id
  await home.tap(/^仓库搬货工（男女不限），/)
  const detail = worker.page('pages/gig/detail')
  await detail.tap('我要报名')
  expect(detail.text()).toContain('已报名，等雇主回复')

  const people = await boss.open('pages/employer/applicants?gig=' + gigID)
  expect(people.text()).toContain('王')
  await people.tap('录用')
  expect(people.text()).toContain('已录用')
  await people.type('实际付的工钱，元', '260')
  await people.tap('确认完工')
  expect(people.text()).toContain('已完工')
  await people.tap('好评')
  expect(people.data.error).toBe('')

  const apps = await worker.open('pages/applications/index')
  expect(apps.text()).toContain('已完工')
  await apps.tap('工钱收到了', { nth: apps.data.items.findIndex((a) => a.gig.id === gigID) })
  expect(apps.text()).toContain('已收到工钱')
  await apps.tap('给雇主好评', { nth: 0 })
  expect(apps.data.error).toBe('')
  expect(apps.text()).toContain('已评价')
})

test('staff see a new employer with the full identity only on request', async () => {
  const owner = as('mp-new-boss')
  const reg = await owner.open('pages/employer/register')
  await reg.tap('个人')
  await reg.type('姓名', '张大力')
  await reg.type('身份证号', idNumber('19700707', 41))
  await reg.type('联系人', '张大力')
  await reg.type('联系电话', '13955556666')
  await reg.change('选择所在区县', { value: ['安徽省', '合肥市', '蜀山区'], code: ['340000', '340100', '340104'] })
  await reg.tap('提交审核')
  expect(reg.data.error).toBe('')

  const staff = as('staff')
  const reviews = await staff.open('pages/staff/reviews?kind=employer')
  await staff.until(() => reviews.text().includes('张大力'), 'the employer in the queue')
  const idx = reviews.data.items.findIndex((e) => (e.display_name || '').startsWith('张'))
  expect(reviews.text()).not.toContain(idNumber('19700707', 41))
  await reviews.tap('看完整身份信息', { nth: idx })
  expect(reviews.text()).toContain(idNumber('19700707', 41))
  await reviews.tap('通过', { nth: idx })
  expect(reviews.text()).not.toContain('张大力')
})

test('a complaint with a photo → staff move it → the worker sees the timeline', async () => {
  const worker = new Phone({ user: 'worker' }) // the demo worker lives in 蜀山区, in the 合肥 staff's area
  const form = await worker.open('pages/complaints/new')
  await form.tap('提交投诉')
  expect(form.text()).toContain('请看红字提示')
  expect(form.text()).toContain('必须填写') // the red text is there, beside the choice
  await form.tap('收费押金')
  await form.type('经过', '老板让我先交两百块押金才能上工')
  await form.tap('加照片（可不加）')
  expect(form.text()).toContain('用之前请您同意')
  await form.tap('同意并继续')
  await worker.until(() => form.data.photos.length === 1 && form.data.photos[0].id > 0, 'the photo uploaded')
  expect(form.text()).toContain('已传好')
  worker.wx.user.media = 'cancel' // a second try, cancelled: nothing changes, nothing breaks
  await form.tap('加照片（可不加）')
  expect(form.data.photos).toHaveLength(1)
  await form.tap('提交投诉')
  const detail = worker.page('pages/complaints/detail')
  expect(detail.text()).toContain('已提交')
  const id = detail.data.complaint.id
  expect(detail.data.complaint.photos).toHaveLength(1)
  await worker.until(() => detail.data.photos.length === 1 && detail.data.photos[0], 'the photo, fetched with the sign-in')
  await detail.tap('看大图，第1张照片')
  expect(worker.wx.calls.find((c) => c.name === 'previewImage').arg.urls).toHaveLength(1)

  const staff = as('staff')
  const desk = await staff.open('pages/staff/complaints')
  await staff.until(() => desk.data.loaded, 'the complaints')
  await desk.tap(/看详情$/, { nth: desk.data.items.findIndex((c) => c.id === id) })
  const one = staff.page('pages/staff/complaint')
  await staff.until(() => one.data.photos.length === 1 && one.data.photos[0], 'the photo')
  expect(one.text()).toContain('老板让我先交两百块押金才能上工')
  await one.type('说明', '已联系雇主，押金将退还')
  await one.tap('已受理')
  expect(one.data.error).toBe('')
  expect(one.text()).toContain('已联系雇主，押金将退还') // on the timeline
  await one.tap('转给同事看')
  expect(one.shared.path).toBe('/pages/staff/complaint?id=' + id)
  // Shared outside the market's staff, the card opens nothing.
  const outsider = await as('mp-not-staff').open(one.shared.path)
  expect(outsider.text()).toContain('没有找到')

  const again = await as('worker').open('pages/complaints/detail?id=' + id)
  expect(again.text()).toContain('已受理')
  expect(again.text()).toContain('已联系雇主，押金将退还')
})

test('employer insures the hired workers; staff push to them and read the report', async () => {
  const boss = as('employer3') // the demo person employer in 淮南, with first-come gigs
  const gigs = await boss.open('pages/employer/gigs')
  const gig = gigs.data.items.find((g) => g.hiring_mode === 'first_come' && g.status === 'published')

  const worker = as('mp-hn-worker')
  await require('../utils/request').put('/me/worker', { name: '赵大勇', id_number: idNumber('19720303', 21), skills: [4], available_days: [1, 2, 3, 4, 5, 6, 7] })
  const detail = await worker.open('pages/gig/detail?id=' + gig.id)
  await detail.tap('我要报名')
  expect(detail.text()).toContain('您已被录用')

  const people = await boss.open('pages/employer/applicants?gig=' + gig.id)
  expect(people.text()).toContain('赵')
  await people.tap(people.data.plans[0].name)
  expect(people.text()).toMatch(/已为\d+人次投保/)

  const admin = as('admin')
  const push = await admin.open('pages/staff/push')
  await push.tap('活取消了')
  await push.type('活的编号', String(gig.id))
  await push.type('哪个活', gig.title)
  await push.type('原定哪天', '2026-12-01')
  await push.type('要说的话', '明天改为8点开工')
  await push.tap('发送')
  expect(push.data.error).toBe('')
  expect(push.text()).toMatch(/共1人/)
  await push.tap('刷新结果')
  const r = push.data.report
  expect(r.pending + r.sent + r.no_grant + r.failed).toBe(1)
})

test('a family member acts for an elder; a walk-in profile is claimed with its slip; a poster code opens its gig', async () => {
  const elder = as('mp-elder') // an elder of her own, so that other tests' applications do not matter here
  await require('../utils/request').put('/me/worker', { name: '王秀兰', id_number: idNumber('19550505', 51), skills: [2], available_days: [1, 2, 3, 4, 5, 6, 7] })
  const mine = await elder.open('pages/family/index')
  await mine.tap('生成邀请码')
  const code = mine.data.invite.code
  expect(mine.text()).toContain(code)

  const son = as('mp-son', { place: { latitude: 30.0, longitude: 118.0 } })
  const his = await son.open('pages/family/index')
  await his.type('邀请码', code.toLowerCase())
  await his.tap('接受')
  expect(his.data.error).toBe('')
  expect(his.text()).toContain('王** 的报名')

  // The market screen's code opens the list around that market, wherever the phone is.
  const home = await son.open('pages/index/index?scene=' + encodeURIComponent('m=1'))
  expect(home.data.location).toEqual({ lat: 31.844, lng: 117.251 })
  await son.until(() => home.data.items.length > 0, 'gigs around the market')
  // A poster's mini-program code carries the gig id as its scene.
  const gig = home.data.items[0]
  const detail = await son.open('pages/gig/detail?scene=' + encodeURIComponent(String(gig.id)))
  expect(detail.text()).toContain(gig.title)
  await detail.tap('替王**报名')
  expect(detail.data.error).toBe('')
  const again = await son.open('pages/family/index')
  expect(again.text()).toContain(gig.title)

  const back = await elder.open('pages/family/index')
  expect(back.text()).toContain('家人替您报名了一个活')
  await back.tap('收回', { nth: back.data.delegates.findIndex((d) => d.status === 'active') })
  expect(back.data.delegates.every((d) => d.status !== 'active')).toBe(true)

  // At the window, staff register a grandmother without a smartphone and print her slip.
  const staff = as('staff')
  const desk = await staff.open('pages/staff/walkin')
  await desk.type('姓名', '孙桂芳')
  await desk.type('身份证号', idNumber('19560606', 31))
  await desk.change('选择所在区县', { value: ['安徽省', '合肥市', '蜀山区'], code: ['340000', '340100', '340104'] })
  await desk.tap(desk.data.categories[1].name)
  await desk.tap('登记并打印绑定码')
  expect(desk.data.errors['consent.note']).toBeTruthy() // spoken consent needs who heard it, when and where
  await desk.type('同意的说明', '本人在蜀山区零工市场窗口口头同意，工作人员小王在场')
  await desk.tap('登记并打印绑定码')
  expect(desk.data.slip.code).toMatch(/^\d{6}$/)
  expect(desk.text()).toContain(desk.data.slip.code)
  const slip = desk.data.slip

  // Her granddaughter claims it with her own WeChat, from the slip.
  const grand = as('mp-granddaughter')
  const claim = await grand.open('pages/claim/index')
  await claim.type('8位认领号', slip.ticket)
  await claim.type('6位绑定码', slip.code === '000000' ? '111111' : '000000')
  await claim.tap('绑定')
  expect(claim.text()).toMatch(/不对/)
  await claim.type('6位绑定码', slip.code)
  await claim.tap('绑定')
  expect(claim.data.done).toBe(true)
  expect((await require('../utils/request').get('/me/worker')).name).toBe('孙桂芳')
})
