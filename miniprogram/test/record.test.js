// 我的记录 both ways, by taps: the worker's record among the employer's applicants, the employer's on the gig
// page; the employer lets a confirmed worker go on the day (a late cancellation), asks for it to be corrected
// from 我的招工记录 in two taps and a few words, staff agree from 工作台, and the number goes down.
const { Phone } = require('./support/phone')
const { idNumber } = require('./support/people')
const { api } = require('./support/seed')

const as = (user, choices = {}) => new Phone({ user, userChoices: { privacy: 'agreed', ...choices } })
const today = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)

test('records on the applicant list and the gig page; a late cancellation corrected from 我的招工记录', async () => {
  const boss = as('rec-boss')
  const emp = await api(boss).put('/me/employer', { kind: 'person', legal_name: '周德明', id_number: idNumber('19700707', 71),
    contact_name: '周师傅', contact_phone: '13955558888', area_code: '340104', address: '' })
  const admin = as('admin')
  await api(admin).post('/admin/employers/' + emp.id + '/approve')
  const gig = await api(boss).post('/gigs', { title: '搬仓库（记录）', category_id: 1, description: '搬纸箱，包午饭', headcount: 2,
    wage_cents: 22000, wage_unit: 'day', settlement: 'daily', start_date: today(), end_date: today(), work_hours: '00:00-23:59',
    address: '合肥市蜀山区长江西路100号', location: { lat: 31.8612, lng: 117.283 }, area_code: '340104', contact_phone: '13955558888',
    hiring_mode: 'first_come' })
  await api(admin).post('/admin/gigs/' + gig.id + '/approve')
  const came = as('rec-came')
  await api(came).put('/me/worker', { name: '吴长海', id_number: idNumber('19630303', 72), skills: [1], available_days: [1, 2, 3, 4, 5, 6, 7], area_code: '340104' })
  await api(came).post('/gigs/' + gig.id + '/applications')
  const shown = (await api(boss).get('/gigs/' + gig.id + '/attendance/code')).token
  await api(came).post('/gigs/' + gig.id + '/attendance/scan', { token: shown })
  const gone = as('rec-gone')
  await api(gone).put('/me/worker', { name: '郑秀兰', id_number: idNumber('19650505', 73), skills: [1], available_days: [1, 2, 3, 4, 5, 6, 7], area_code: '340104' })
  const app = await api(gone).post('/gigs/' + gig.id + '/applications')
  await api(boss).post('/applications/' + app.id + '/reject') // on a work day: a late cancellation

  boss.use()
  const people = await boss.open('pages/employer/applicants?gig=' + gig.id)
  await boss.until(() => people.data.loaded, 'the applicants')
  expect(people.text()).toContain('干过1天 · 最近90天没有失约')

  gone.use()
  const page = await gone.open('pages/gig/detail?id=' + gig.id)
  await gone.until(() => page.data.gig, 'the gig page')
  expect(page.text()).toContain('雇主记录：完工0个活 · 属实投诉0件 · 当天取消1次')
  await page.tap('看雇主的记录')
  const theirs = gone.page('pages/record/index')
  await gone.until(() => theirs.data.loaded, 'the employer\'s record')
  expect(theirs.text()).toContain('周**（个人）的记录')
  expect(theirs.text()).toContain('当天取消：1次')
  expect(theirs.text()).toContain('开工的日子里取消已录用工人（或关掉招工）的次数，工作人员核实更正的不算。')
  expect(theirs.has('这条不对，申请更正')).toBe(false)

  // The employer, from 我的, to the record; the late cancellation's list is open, the correction two taps away.
  boss.use()
  const me = await boss.open('pages/me/index')
  await boss.until(() => me.has('我的招工记录（工人能看到）'), 'the 我的 page')
  await me.tap('我的招工记录（工人能看到）')
  const rec = boss.page('pages/record/index')
  await boss.until(() => rec.data.loaded, 'the record')
  expect(rec.text()).toContain('当天取消：1次')
  expect(rec.text()).toContain('开工的日子里取消已录用工人')
  expect(rec.text()).toContain('搬仓库（记录）')
  await rec.tap('这条不对，申请更正')
  await rec.tap('交给工作人员')
  expect(rec.text()).toContain('请写明哪里不对')
  await rec.type('哪里不对', '工人自己说家里有事不干了')
  await rec.tap('交给工作人员')
  await boss.until(() => rec.data.sent, 'the request')
  expect(rec.text()).toContain('已交给工作人员，处理好了会通知您')
  expect(rec.text()).toContain('已申请更正，等工作人员处理')
  expect(rec.has('这条不对，申请更正')).toBe(false)

  // Staff of 合肥, from 工作台: the request with that day's attendance; refusing needs a note, agreeing does not.
  const desk = as('staff')
  const home = await desk.open('pages/staff/index')
  await home.tap('记录更正（没到岗、当天取消）')
  const list = desk.page('pages/staff/corrections')
  await desk.until(() => list.data.loaded, 'the requests')
  expect(list.text()).toContain('雇主开工当天取消了工人')
  expect(list.text()).toContain('那天没有签到记录')
  expect(list.text()).toContain('申请人说：工人自己说家里有事不干了')
  // Other tests' requests may wait too: ours is the nth open one.
  const nth = list.data.items.filter((c) => c.status === 'open').findIndex((c) => c.gig_id === gig.id)
  await list.tap('不同意', { nth })
  expect(list.text()).toContain('不同意时请写明原因')
  await list.type('答复', '问过工人，属实', { nth })
  await list.tap('同意更正', { nth })
  await desk.until(() => list.text().includes('工作人员已更正，这条不算了：问过工人，属实'), 'the decision')
  expect(list.data.items.find((c) => c.gig_id === gig.id).status).toBe('accepted')

  boss.use()
  await rec.pullDown()
  expect(rec.text()).toContain('当天取消：0次')
  expect(rec.text()).toContain('工作人员已更正，这条不算了：问过工人，属实')

  // The worker's own record: the day, and how it was counted.
  came.use()
  const own = await came.open('pages/record/index')
  await came.until(() => own.data.loaded, 'the worker\'s record')
  expect(own.text()).toContain('干活天数：1天')
  await own.tap('看是哪几条（1条）')
  expect(own.text()).toContain('扫码签到')
})

test('a family member opens the elder\'s record from 亲情代办', async () => {
  const boss = as('employer1')
  const gig = await api(boss).post('/gigs', { title: '食堂帮厨（记录）', category_id: 1, description: '洗菜切菜，包午饭', headcount: 1,
    wage_cents: 18000, wage_unit: 'day', settlement: 'daily', start_date: today(), end_date: today(), work_hours: '00:00-23:59',
    address: '合肥市蜀山区长江西路100号', location: { lat: 31.8612, lng: 117.283 }, area_code: '340104', contact_phone: '13900001111',
    hiring_mode: 'first_come' })
  await api(as('admin')).post('/admin/gigs/' + gig.id + '/approve')
  const elder = as('rec-elder')
  await api(elder).put('/me/worker', { name: '冯桂英', id_number: idNumber('19570707', 74), skills: [1], available_days: [1, 2, 3, 4, 5, 6, 7], area_code: '340104' })
  await api(elder).post('/gigs/' + gig.id + '/applications')
  const shown = (await api(boss).get('/gigs/' + gig.id + '/attendance/code')).token
  await api(elder).post('/gigs/' + gig.id + '/attendance/scan', { token: shown })
  const { code } = await api(elder).post('/me/delegates')
  const son = as('rec-son')
  await api(son).post('/me/delegations', { code })

  son.use()
  const fam = await son.open('pages/family/index')
  await son.until(() => fam.data.loaded, 'the family page')
  await fam.tap('看冯**的记录')
  const rec = son.page('pages/record/index')
  await son.until(() => rec.data.loaded, 'her record')
  expect(rec.text()).toContain('家人的记录')
  expect(rec.text()).toContain('干活天数：1天')
  expect(son.wx.calls.filter((c) => c.name === 'setNavigationBarTitle').pop().arg.title).toBe('家人的记录')
})
