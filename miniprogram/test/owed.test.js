// What is owed, by taps: the worker's check-in makes a day; 我的报名 and the employer's applicants both show
// 应付 (days × the day's wage) beside what the employer says was paid; paying less and the worker's 工钱没收到
// open the wage complaint, which shows the day.
const { Phone } = require('./support/phone')
const { idNumber } = require('./support/people')
const { api } = require('./support/seed')

const as = (user, choices = {}) => new Phone({ user, userChoices: { privacy: 'agreed', ...choices } })
const today = () => new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)

test('应付 from the check-ins, beside what was paid, on both phones; a shortfall disputed opens the complaint with the day', async () => {
  const boss = as('employer1')
  const gig = await api(boss).post('/gigs', { title: '装卸工（应付）', category_id: 1, description: '装卸水泥，包午饭', headcount: 1,
    wage_cents: 22000, wage_unit: 'day', settlement: 'daily', start_date: today(), end_date: today(), work_hours: '00:00-23:59',
    address: '合肥市蜀山区长江西路100号', location: { lat: 31.8612, lng: 117.283 }, area_code: '340104', contact_phone: '13900001111',
    hiring_mode: 'first_come' })
  await api(as('admin')).post('/admin/gigs/' + gig.id + '/approve')
  const worker = as('owed-worker')
  await api(worker).put('/me/worker', { name: '孙有福', id_number: idNumber('19640404', 43), skills: [1], available_days: [1, 2, 3, 4, 5, 6, 7], area_code: '340104' })
  await api(worker).post('/gigs/' + gig.id + '/applications')

  // Taken on, not yet arrived: nothing owed.
  const apps = await worker.open('pages/applications/index')
  await worker.until(() => apps.data.loaded, 'my applications')
  expect(apps.text()).toContain('应付0元（签到0天）')

  // The worker scans the employer's code (the scan itself is attendance.test.js's).
  const shown = (await api(boss).get('/gigs/' + gig.id + '/attendance/code')).token
  await api(worker).post('/gigs/' + gig.id + '/attendance/scan', { token: shown })

  boss.use()
  const people = await boss.open('pages/employer/applicants?gig=' + gig.id)
  await boss.until(() => people.data.items.length > 0, 'the applicant')
  expect(people.text()).toContain('应付220元（签到1天）')
  await people.type('实际付的工钱，元', '100')
  await people.tap('确认完工')
  expect(boss.wx.modals.pop().title).toBe('付了100元？')
  expect(people.text()).toContain('应付220元（签到1天）')
  expect(people.text()).toContain('付了100元')

  worker.use()
  await apps.pullDown()
  expect(apps.text()).toContain('应付220元（签到1天）')
  expect(apps.text()).toContain('雇主说付了您100元')
  await apps.tap('工钱没收到')
  expect(worker.wx.modals.pop().title).toBe('工钱没收到？')
  expect(apps.data.items.find((a) => a.gig.id === gig.id).status).toBe('disputed')

  const [complaint] = await api(worker).get('/complaints')
  const detail = await api(worker).get('/complaints/' + complaint.id)
  expect(detail.description).toContain('签到记录：出勤1天，应付220元，雇主填的实付100元')
  expect(detail.attendance.map((d) => d.day)).toEqual([today()])
})
