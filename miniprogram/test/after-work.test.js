// After the last day of a gig: the employer still reaches the people who worked, records what was paid (never a
// default), the worker sees that amount before answering, and both rate; the gig page tells the truth all along.
const { Phone } = require('./support/phone')

const as = (user, choices = {}) => new Phone({ user, userChoices: { privacy: 'agreed', ...choices } })

test('a gig that ended yesterday: pay recorded, seen, confirmed, rated both ways, all by taps', async () => {
  // The demo worker did "超市理货（昨天）" for employer1 yesterday (demo data); the gig has expired.
  const boss = as('employer1')
  const mine = await boss.open('pages/employer/gigs')
  await boss.until(() => mine.data.items.length > 0, 'my gigs')
  const done = mine.data.items.find((g) => g.title === '超市理货（昨天）')
  expect(done.status).toBe('expired')
  expect(mine.text()).toContain('已结束')
  const open = mine.data.items.filter((g) => g.status !== 'pending_review' && g.status !== 'rejected')
  await mine.tap('看报名的人', { nth: open.findIndex((g) => g.id === done.id) })

  const people = boss.page('pages/employer/applicants')
  await boss.until(() => people.data.items.length > 0, 'the applicant')
  expect(people.text()).toContain('已录用')
  await people.tap('确认完工') // no amount typed
  expect(people.text()).toContain('请填写实际付了多少钱')
  expect(people.data.items[0].status).toBe('confirmed')
  await people.type('实际付的工钱，元', '180')
  await people.tap('确认完工')
  expect(boss.wx.modals.pop().title).toBe('付了180元？')
  expect(people.text()).toContain('已完工')
  expect(people.text()).toContain('付了180元')
  await people.tap('好评')
  expect(people.text()).toContain('已评价')

  const worker = as('worker')
  const apps = await worker.open('pages/applications/index')
  const mineApp = apps.data.items.find((a) => a.gig.title === '超市理货（昨天）')
  expect(mineApp.status).toBe('completed')
  expect(apps.text()).toContain('雇主说付了您180元')
  // The gig's page is still there for the worker, and says where things stand.
  await apps.tap('超市理货（昨天），看详情')
  const detail = worker.page('pages/gig/detail')
  expect(detail.data.error).toBe('')
  expect(detail.text()).toContain('活干完了')
  expect(detail.has('我要报名')).toBe(false)
  await worker.wx.navigateBack()
  await worker.settle()

  const list = worker.page('pages/applications/index')
  await list.tap('工钱收到了', { nth: list.data.items.filter((a) => a.status === 'completed').findIndex((a) => a.id === mineApp.id) })
  expect(worker.wx.modals.pop().title).toBe('工钱收到了？') // it cannot be taken back, so it asks first
  expect(list.text()).toContain('已收到工钱')
  await list.tap('给雇主好评', { nth: list.data.items.filter((a) => (a.status === 'paid' || a.status === 'disputed') && !a.rated).findIndex((a) => a.id === mineApp.id) })
  // Reopened, the rating stays recorded: the flag comes from the server, not the page's memory.
  const again = await worker.open('pages/applications/index')
  expect(again.data.items.find((a) => a.id === mineApp.id).rated).toBe(true)
  expect(again.text()).toContain('已评价，谢谢')
})

test('the gig page says what became of the application in every state, and offers no apply button when it cannot be taken', async () => {
  const fmt = require('../utils/format')
  for (const s of ['pending', 'confirmed', 'rejected', 'cancelled', 'completed', 'paid', 'disputed', 'withdrawn']) {
    expect(fmt.myApplicationWords[s]).toMatch(/[\u4e00-\u9fa5]/)
  }
  const worker = as('worker')
  const page = await worker.open('pages/gig/detail?id=1')
  const gig = page.data.gig
  page.instance.show({ id: 1, status: 'rejected' }, gig)
  expect(page.text()).toContain('这次没有被录用')
  expect(page.has('我要报名')).toBe(false)
  page.instance.show(null, { ...gig, status: 'filled', spots_left: 0 })
  expect(page.text()).toContain('这个活已经招满了')
  expect(page.has('我要报名')).toBe(false)
  page.instance.show(null, { ...gig, status: 'published', spots_left: 1 })
  expect(page.has('我要报名')).toBe(true)
})
