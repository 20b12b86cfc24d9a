// Check-in on site, by taps: the employer's phone shows the changing code, the worker scans it with the camera
// (wx.scanCode, with the phone's location), a worker without a phone is marked by the employer and contests the
// mark in their own app; the employer's list shows each step.
const { Phone } = require('./support/phone')
const { idNumber } = require('./support/people')
const { api } = require('./support/seed')

const as = (user, choices = {}) => new Phone({ user, userChoices: { privacy: 'agreed', ...choices } })
const today = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)

test('the worker scans in, a scan too soon and a wrong code say why, a mark is contested, the employer sees it all', async () => {
  const boss = as('employer1')
  const gig = await api(boss).post('/gigs', { title: '仓库搬货（签到）', category_id: 1, description: '搬纸箱，包午饭', headcount: 2,
    wage_cents: 22000, wage_unit: 'day', settlement: 'daily', start_date: today(), end_date: today(), work_hours: '00:00-23:59',
    address: '合肥市蜀山区长江西路100号', location: { lat: 31.8612, lng: 117.283 }, area_code: '340104', contact_phone: '13900001111',
    hiring_mode: 'first_come' })
  await api(as('admin')).post('/admin/gigs/' + gig.id + '/approve')
  const worker = as('worker')
  await api(worker).post('/gigs/' + gig.id + '/applications')
  const elder = as('att-elder')
  await api(elder).put('/me/worker', { name: '钱桂芳', id_number: idNumber('19620303', 41), skills: [1], available_days: [1, 2, 3, 4, 5, 6, 7], area_code: '340104' })
  await api(elder).post('/gigs/' + gig.id + '/applications')

  // The employer, from the gig's applicants, opens today's code.
  const people = await boss.open('pages/employer/applicants?gig=' + gig.id)
  await people.tap('今天签到（出示签到码）')
  const site = boss.page('pages/attendance/code')
  await boss.until(() => site.data.qr && site.data.loaded, 'the code and the list')
  expect(site.data.qr).toMatch(/^data:image\/png;base64,/)
  expect(site.text()).toContain('码每30秒自动换')
  expect(site.text().match(/还没到/g).length).toBe(2)
  const shown = (await api(boss).get('/gigs/' + gig.id + '/attendance/code')).token // what the QR code holds

  // The worker: from 我的报名 to the scanner; the camera sees the code.
  worker.use()
  const apps = await worker.open('pages/applications/index')
  await apps.tap('到工地了，去签到', { nth: apps.data.items.filter((a) => a.status === 'confirmed').findIndex((a) => a.gig.id === gig.id) })
  const mine = worker.page('pages/attendance/mine')
  worker.wx.user.scanned = 'cancel'
  await mine.tap('扫码签到')
  expect(mine.data.scanError).toBe('') // closing the scanner is no error
  worker.wx.user.scanned = 'https://example.com/not-ours'
  await mine.tap('扫码签到')
  expect(mine.text()).toContain('这不是这个活的签到码')
  worker.wx.user.scanned = shown
  await mine.tap('扫码签到')
  await worker.until(() => mine.data.result, 'the check-in')
  expect(mine.text()).toContain('签到成功')
  expect(mine.text()).toContain('仓库搬货（签到）')
  const scan = worker.wx.calls.filter((c) => c.name === 'scanCode').pop().arg
  expect([scan.onlyFromCamera, scan.scanType]).toEqual([true, ['qrCode']])
  await mine.tap('扫码签到')
  expect(mine.text()).toContain('已经签到过了，收工时再扫一次')

  // The employer sees the arrival and where the phone was; marks the worker without a phone.
  boss.use()
  await site.pullDown()
  expect(site.text()).toContain('（扫码）')
  await site.tap(/^看.*签到的位置$/)
  expect(boss.wx.calls.filter((c) => c.name === 'openLocation').pop().arg.latitude).toBeCloseTo(31.8612, 3)
  await site.change('几点到的', { value: '00:00' })
  await site.tap('替他记到岗')
  expect(site.text()).toContain('您记的到岗 00:00，等他确认')

  // The marked worker says it is wrong, in their own words.
  elder.use()
  const hers = await elder.open('pages/attendance/mine')
  await elder.until(() => hers.data.loaded, 'her days')
  expect(hers.text()).toContain('雇主替您记了到岗时间，对吗？')
  await hers.tap('不对')
  await hers.type('哪里不对（可不填）', '我八点半才到')
  await hers.tap('提交')
  expect(hers.text()).toContain('您说不对：我八点半才到')
  expect(hers.has('对，是这样')).toBe(false)

  boss.use()
  await site.pullDown()
  expect(site.text()).toContain('他说不对：我八点半才到')
  site.instance.onUnload() // stops the code's refresh timer
})

test('a family member answers an employer\'s mark for the elder, and the elder sees it was done for her', async () => {
  const boss = as('employer1')
  const gig = await api(boss).post('/gigs', { title: '食堂帮厨（签到）', category_id: 1, description: '洗菜切菜，包午饭', headcount: 1,
    wage_cents: 18000, wage_unit: 'day', settlement: 'daily', start_date: today(), end_date: today(), work_hours: '00:00-23:59',
    address: '合肥市蜀山区长江西路100号', location: { lat: 31.8612, lng: 117.283 }, area_code: '340104', contact_phone: '13900001111',
    hiring_mode: 'first_come' })
  await api(as('admin')).post('/admin/gigs/' + gig.id + '/approve')
  const elder = as('att-elder2')
  await api(elder).put('/me/worker', { name: '孙玉珍', id_number: idNumber('19580808', 42), skills: [1], available_days: [1, 2, 3, 4, 5, 6, 7], area_code: '340104' })
  await api(elder).post('/gigs/' + gig.id + '/applications')
  const elderID = (await api(elder).get('/me')).id
  const { code } = await api(elder).post('/me/delegates')
  const daughter = as('att-daughter')
  await api(daughter).post('/me/delegations', { code })
  await api(boss).post('/gigs/' + gig.id + '/attendance/mark', { worker_id: elderID, day: today(), arrived_at: '00:00' })

  daughter.use()
  const hers = await daughter.open('pages/family/index')
  await daughter.until(() => hers.data.loaded, 'the family page')
  expect(hers.text()).toContain('食堂帮厨（签到）：雇主记的到岗 00:00，对吗？')
  await hers.tap('替他确认')
  expect(hers.has('替他确认')).toBe(false)

  elder.use()
  const own = await elder.open('pages/family/index')
  await elder.until(() => own.data.loaded, 'her family page')
  expect(own.text()).toContain('家人替您确认了雇主记的到岗')
  const days = await elder.open('pages/attendance/mine')
  await elder.until(() => days.data.loaded, 'her days')
  expect(days.text()).toContain('您已确认')
})
