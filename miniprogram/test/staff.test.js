// The staff's phone at the window: a paper consent photographed, a binding code that failed to print is printed
// again without registering the person twice, and a lost slip is replaced from its 登记号.
const { Phone } = require('./support/phone')
const { idNumber } = require('./support/people')

test('walk-in with a photographed paper consent; the code printed again after a failure; a slip reissued', async () => {
  const staffPhone = new Phone({ user: 'staff' })
  const desk = await staffPhone.open('pages/staff/walkin')
  await desk.type('姓名', '周长根')
  await desk.type('身份证号', idNumber('19570707', 41))
  await desk.change('选择所在区县', { value: ['安徽省', '合肥市', '蜀山区'], code: ['340000', '340100', '340104'] })
  await desk.tap(desk.data.categories[0].name)
  await desk.tap('纸质签字')
  await desk.tap('登记并打印绑定码')
  expect(desk.text()).toContain('纸质同意书请拍照上传')
  await desk.tap('拍同意书')
  expect(desk.text()).toContain('用之前请您同意') // the camera waits for the privacy agreement
  await desk.tap('同意并继续')
  await staffPhone.until(() => desk.data.paper && desk.data.paper.id > 0, 'the consent photo uploaded')
  expect(desk.text()).toContain('已传好')

  // The code does not print the first time (the network drops after the registration).
  const staff = require('../services/staff')
  const bindingCode = staff.bindingCode
  staff.bindingCode = () => Promise.reject({ code: 'network', message: '网络连接不上，请检查网络后再试' })
  await desk.tap('登记并打印绑定码')
  staff.bindingCode = bindingCode
  expect(desk.text()).toContain('绑定码没打出来')
  const workerNo = desk.data.made.worker_no
  await desk.tap('重新打印绑定码')
  expect(desk.data.slip.workerNo).toBe(workerNo) // the same person, registered once
  expect(desk.text()).toContain(desk.data.slip.code)

  // Later the slip is lost: a new code from the 登记号.
  await desk.tap('再登记一个人')
  await desk.type('要补打的登记号', String(workerNo))
  await desk.tap('补打绑定码')
  expect(desk.data.slip.workerNo).toBe(workerNo)
  expect(desk.data.slip.code).toMatch(/^\d{6}$/)
  expect(desk.text()).not.toMatch(/\d{4}-\d{2}-\d{2}T/)
})

test('a reviewer approves a flagged gig only by writing why the flag is wrong', async () => {
  const { api } = require('./support/seed')
  const boss = new Phone({ user: 'employer1' })
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
  const gig = await api(boss).post('/gigs', { title: '女装区理货（误报测试）', category_id: 15, description: '商场女装区理货，限男性勿扰', headcount: 1,
    wage_cents: 20000, wage_unit: 'day', settlement: 'daily', start_date: today, end_date: today, work_hours: '09:00-17:00',
    address: '合肥市蜀山区长江西路100号', location: { lat: 31.8612, lng: 117.283 }, area_code: '340104', contact_phone: '13955551001', hiring_mode: 'select' })
  const staffPhone = new Phone({ user: 'staff', userChoices: { privacy: 'agreed' } })
  const reviews = await staffPhone.open('pages/staff/reviews?kind=gig')
  await staffPhone.until(() => reviews.data.items.some((g) => g.id === gig.id), 'the flagged gig')
  const nth = { nth: reviews.data.items.findIndex((g) => g.id === gig.id) }
  await reviews.tap('通过', nth)
  expect(reviews.text()).toContain('不能通过')
  await reviews.type('驳回原因', '误报', nth)
  await reviews.tap('通过', nth)
  expect(reviews.text()).toContain('10到200字')
  await reviews.type('驳回原因', '电话核实过，雇主写错了，男女都招', nth)
  await reviews.tap('通过', nth)
  expect(reviews.data.items.some((g) => g.id === gig.id)).toBe(false)
})

test('a push with a value WeChat would refuse says which field, beside it', async () => {
  const staffPhone = new Phone({ user: 'staff', userChoices: { privacy: 'agreed' } })
  const push = await staffPhone.open('pages/staff/push')
  await push.tap('投诉还在办理的人')
  await push.tap('投诉进度')
  await push.type('哪件投诉', '您的欠薪投诉')
  await push.type('办到哪一步', '工作人员已经在办理中了')
  await push.type('要说的话', '已联系雇主')
  await push.type('时间', '明天上午')
  await push.tap('发送')
  expect(push.text()).toContain('只能是5个以内的汉字')
  expect(push.text()).toContain('时间要写成')
  expect(push.data.report).toBe(null)
})
