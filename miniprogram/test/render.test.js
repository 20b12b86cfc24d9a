// Every page, loaded with real data from the server on the test phone, rendered in headless Chromium at 375×667
// in normal and care mode (WeChat's largest font setting), and measured by the browser: the first gig on the home
// screen is on the first screen; in care mode every tappable is at least 60×60 px and the main screens' largest
// text at least 30 px; body text is at least 18 px; no text runs out of its box. With LINGONG_SCREENS_DIR set
// (make screens) each render is saved as a PNG.
const path = require('path')
const { Phone } = require('./support/phone')
const { idNumber } = require('./support/people')
const { Browser, available } = require('./support/render')
const { postGig } = require('./support/seed')

const CARE_SCALE = 1.4 // fontSizeScaleFactor at WeChat's largest 字体大小 setting, approximately
const screensDir = process.env.LINGONG_SCREENS_DIR
const required = process.env.LINGONG_REQUIRE_BROWSER === '1'

const http = () => require('../utils/request')
const ids = {}

// Each page with who looks at it, how it is opened, and a word the user must see once its data is there.
const pages = [
  { route: 'pages/index/index', user: 'worker', see: '附近的活', wait: (p) => p.data.items.length > 0, main: true },
  { route: 'pages/gig/detail', user: 'worker', query: () => 'id=' + ids.gig, see: '打电话', main: true },
  { route: 'pages/register/worker', user: 'worker', see: '求职登记', wait: (p) => p.data.categories.length > 0, main: true },
  { route: 'pages/applications/index', user: 'worker', see: '我的报名', wait: (p) => p.data.items.length > 0, main: true },
  { route: 'pages/me/index', user: 'worker', see: '我的', main: true },
  { route: 'pages/markets/index', user: 'worker', see: '零工市场', wait: (p) => p.data.items.length > 0 },
  { route: 'pages/info/index', user: 'worker', see: '冬季家政保洁专场招聘会', wait: (p) => p.data.loaded },
  { route: 'pages/training/index', user: 'worker', see: '培训' },
  { route: 'pages/insurance/index', user: 'worker', see: '保' },
  { route: 'pages/complaints/index', user: 'worker', see: '投诉', wait: (p) => (p.data.items || []).length > 0 },
  { route: 'pages/complaints/new', user: 'worker', see: '我要投诉' },
  { route: 'pages/complaints/detail', user: 'worker', query: () => 'id=' + ids.complaint, see: '已提交' },
  { route: 'pages/family/index', user: 'worker', see: '家人替您报名了一个活' },
  { route: 'pages/claim/index', user: 'mp-render-claim', see: '绑定' },
  { route: 'pages/employer/register', user: 'employer1', see: '招工登记' },
  { route: 'pages/employer/post', user: 'employer1', see: '发布招工', wait: (p) => p.data.categories.length > 0 },
  { route: 'pages/employer/gigs', user: 'employer1', see: '我发布的活', wait: (p) => p.data.items.length > 0 },
  { route: 'pages/employer/applicants', user: 'employer1', query: () => 'gig=' + ids.gig, see: '报名的人', wait: (p) => p.data.items.length > 0 },
  { route: 'pages/staff/index', user: 'staff', see: '工作台' },
  { route: 'pages/staff/reviews', user: 'staff', query: () => 'kind=employer', see: '看完整身份信息', wait: (p) => p.data.items.length > 0 },
  { route: 'pages/staff/complaints', user: 'staff', see: '投诉办理', wait: (p) => p.data.items.length > 0 },
  { route: 'pages/staff/complaint', user: 'staff', query: () => 'id=' + ids.complaint, see: '办理进度', wait: (p) => !!p.data.complaint },
  { route: 'pages/staff/push', user: 'staff', see: '推送消息' },
  { route: 'pages/staff/walkin', user: 'staff', see: '窗口' },
  { route: 'pages/staff/corrections', user: 'staff', see: '工人自己说家里有事', wait: (p) => p.data.loaded },
  { route: 'pages/attendance/mine', user: 'worker', see: '我的签到', wait: (p) => p.data.loaded },
  { route: 'pages/attendance/code', user: 'employer1', query: () => 'gig=' + ids.today, see: '签到', wait: (p) => p.data.loaded },
  { route: 'pages/record/index', user: 'worker', see: '干活天数', wait: (p) => p.data.loaded },
  { route: 'pages/record/index', user: 'employer1', query: () => 'as=employer', see: '按时付钱', wait: (p) => p.data.loaded, shot: 'record-employer' },
  { route: 'pages/record/index', user: 'worker', query: () => 'employer=' + ids.employer, see: '当天取消', wait: (p) => p.data.loaded, shot: 'record-of-employer' },
  { route: 'pages/alerts/index', user: 'worker', query: () => 'from=list&category=1&daily=1', see: '就这样，有活告诉我', wait: (p) => p.data.loaded },
  // The alert's landing goes straight on to the gig: what stays on screen is its message when it cannot.
  { route: 'pages/alerts/open', user: 'worker', query: () => 'id=999999', see: '这个活打不开了', wait: (p) => !!p.data.error, errorState: true },
]

let browser = null
beforeAll(async () => {
  if (available()) browser = await new Browser().start()
  else if (required) throw new Error('LINGONG_REQUIRE_BROWSER=1 but there is no Chromium at /usr/bin/chromium')
  // Data every page shows: an employer waits for review, the demo worker has applied to a gig of employer1 and
  // filed a complaint.
  new Phone({ user: 'mp-render-boss' })
  await http().put('/me/employer', { kind: 'person', legal_name: '钱师傅', id_number: idNumber('19680808', 61), contact_name: '钱师傅',
    contact_phone: '13955557777', area_code: '340104', address: '' })
  new Phone({ user: 'employer1' }) // a new phone is the one in hand
  ids.gig = (await http().get('/me/gigs')).find((g) => g.status === 'published').id
  new Phone({ user: 'worker' })
  const mine = await http().get('/me/applications')
  if (!mine.some((a) => a.gig.id === ids.gig)) await http().post('/gigs/' + ids.gig + '/applications')
  // A son acts for the demo worker: the family page lists what he did.
  const { code } = await http().post('/me/delegates')
  new Phone({ user: 'mp-render-son' })
  const elder = (await http().post('/me/delegations', { code })).elder_id
  const forElder = await postGig('替家人报名的活')
  new Phone({ user: 'mp-render-son' })
  await http().post('/elders/' + elder + '/applications', { gig_id: forElder.id })
  // employer1 takes the elder on for today's gig: its check-in page has a code and someone to wait for.
  new Phone({ user: 'employer1' })
  const applicants = await http().get('/gigs/' + forElder.id + '/applications')
  await http().post('/applications/' + applicants.find((a) => a.status === 'pending').id + '/accept')
  ids.today = forElder.id
  new Phone({ user: 'worker' })
  ids.complaint = (await http().post('/complaints', { category: 'wage_arrears', description: '干了三天活，工钱一直没给', photos: [] })).id
  // employer1 lets a worker go on the day and asks staff to correct it: 我的招工记录 and 记录更正 have an entry.
  const cancelled = await postGig('当天取消的活')
  new Phone({ user: 'mp-render-gone' })
  await http().put('/me/worker', { name: '郑秀兰', id_number: idNumber('19650505', 62), skills: [1], available_days: [1, 2, 3, 4, 5, 6, 7], area_code: '340104' })
  const gone = await http().post('/gigs/' + cancelled.id + '/applications')
  new Phone({ user: 'employer1' })
  await http().post('/applications/' + gone.id + '/accept')
  await http().post('/applications/' + gone.id + '/reject')
  const entry = (await http().get('/me/employer/record')).numbers.find((n) => n.label === '当天取消').entries.find((e) => e.correctable)
  await http().post('/me/record/corrections', { entry_id: entry.id, reason: '工人自己说家里有事，不干了' })
  new Phone({ user: 'worker' })
  ids.employer = (await http().get('/gigs/' + ids.gig)).employer_id
}, 60000)

afterAll(async () => browser && browser.stop())

// open shows a page on a phone of its user, with its data there.
async function open(spec, scale) {
  const phone = new Phone({ user: spec.user, fontSizeScaleFactor: scale, userChoices: { privacy: 'agreed' } })
  const page = await phone.open(spec.route + (spec.query ? '?' + spec.query() : ''))
  if (spec.wait) await phone.until(() => spec.wait(page), 'data on ' + spec.route)
  expect(page.text()).toContain(spec.see)
  if (!spec.errorState) expect(page.data.error || '').toBe('')
  return page
}

// What people read is Chinese words: no codes, ids, ISO times or English (numbers, 元 and 120 are fine).
describe('words on screen', () => {
  test.each(pages.map((p) => [p.route, p]))('%s', async (route, spec) => {
    const text = (await open(spec, 1)).text()
    expect([route, text.match(/\d{4}-\d{2}-\d{2}T|\d{2}:\d{2}:\d{2}|[A-Za-z_]{3,}|工种\d|\bundefined\b|\bnull\b|NaN/g)]).toEqual([route, null])
  })
})

const describeIf = available() || required ? describe : describe.skip
if (!available() && !required) console.log('NOTICE: no Chromium at /usr/bin/chromium: the phone-sized renders are skipped')

describeIf.each([['normal', 1], ['care', CARE_SCALE]])('%s size', (mode, scale) => {
  test.each(pages.map((p) => [p.route, p]))('%s', async (route, spec) => {
    const page = await open(spec, scale)
    const shot = spec.shot || route.replace(/^pages\//, '').replace(/\//g, '-')
    const png = screensDir ? path.join(screensDir, shot + (mode === 'care' ? '-care' : '') + '.png') : null
    const m = await browser.render(page, png)

    if (route === 'pages/index/index') {
      expect(m.firstCardTop).not.toBeNull()
      expect(m.screenBottom).toBeLessThan(667) // the tab bar is there
      expect(m.firstCardTop).toBeLessThanOrEqual(m.screenBottom - 100) // and the first card shows above it
    }
    expect(m.texts.length).toBeGreaterThanOrEqual(3) // the browser did measure the page
    expect(m.texts.filter((t) => t.size < 18)).toEqual([])
    expect(m.overflow).toEqual([])
    if (mode === 'care') {
      expect(m.taps.filter((t) => t.w < 60 || t.h < 60)).toEqual([])
      if (spec.main) expect(Math.max(...m.texts.map((t) => t.size))).toBeGreaterThanOrEqual(30)
    }
  })
})
