// The words the mini-program shows and speaks, built in one place.
const fmt = require('../utils/format')
const speech = require('../utils/speech')

test('wages, distances and days read naturally', () => {
  expect(fmt.wage(25000, 'day')).toBe('250元/天')
  expect(fmt.wage(2250, 'hour')).toBe('22.50元/小时')
  expect(fmt.distance(850)).toBe('850米')
  expect(fmt.distance(3240)).toBe('3.2公里')
  expect(fmt.workDate('2026-11-26', '2026-11-26', '2026-11-26')).toBe('今天')
  expect(fmt.workDate('2026-12-31', '2027-01-01', '2026-12-30')).toBe('明天至1月1日')
})

test('应付 reads the same for the worker and the employer, by the gig\'s wage unit', () => {
  expect(fmt.owed(null)).toBe('')
  expect(fmt.owed({ wage_unit: 'day', days: 3, minutes: 0, open_days: 0, cents: 66000 })).toBe('应付660元（签到3天）')
  expect(fmt.owed({ wage_unit: 'hour', days: 2, minutes: 510, open_days: 1, cents: 21259 }))
    .toBe('应付212.59元（签到2天，共8.5小时；1天还没扫离开，没算进去）')
  expect(fmt.owed({ wage_unit: 'piece', days: 1, minutes: 0, open_days: 0, cents: null })).toBe('按件算钱，签到1天')
})

test('读给我听 says what, where, when and how much, in that order', () => {
  const gig = { title: '小区保洁', address: '蜀山区长江西路100号', start_date: '2026-11-27', end_date: '2026-11-27',
    work_hours: '08:00-17:00', wage_cents: 16000, wage_unit: 'day', settlement: 'daily' }
  expect(fmt.speakGig(gig, '2026-11-26')).toBe('小区保洁。在蜀山区长江西路100号。明天，08:00-17:00。工钱160元/天，日结。')
  expect(fmt.speakApplication({ status: 'confirmed', gig }, '2026-11-26')).toBe(
    '您被录用了。小区保洁。在蜀山区长江西路100号。明天，08:00-17:00。工钱160元/天。')
})

test('读给我听 speaks through the declared 同声传译 plugin, even on a phone set to silent', async () => {
  const wx = require('./support/wx').install()
  await speech.speak(fmt.speakGigs([], '2026-11-26'))
  expect(wx.played).toHaveLength(1)
  expect(wx.audioOption.obeyMuteSwitch).toBe(false)
  // The plugin takes at most 1,000 bytes a call: a long text is cut at a sentence, not refused.
  const long = '这是一句很长的话，用来试朗读。'.repeat(40)
  await speech.speak(long)
  expect(wx.played).toHaveLength(2)
})

test('a complaint and the home list read in plain words', () => {
  expect(fmt.speakComplaint({ category: 'wage_arrears', status: 'processing', timeline: [{ status: 'accepted', note: '已联系雇主' }, { status: 'processing', note: '' }] }))
    .toBe('您的投诉，欠工钱，现在办理中。工作人员说：已联系雇主。')
  expect(fmt.speakGigs([{ title: '搬家', distance_m: 800, start_date: '2026-11-26', end_date: '2026-11-26', wage_cents: 20000, wage_unit: 'day' }], '2026-11-26'))
    .toBe('附近有1个活。第1个，搬家，800米，今天，工钱200元/天。')
})

test('a program error reaches the user as a plain Chinese sentence, never in English', () => {
  const { messageOf } = require('../utils/page')
  const spy = jest.spyOn(console, 'error').mockImplementation(() => {})
  expect(messageOf(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe('出了点问题，请稍后再试')
  expect(spy).toHaveBeenCalled()
  spy.mockRestore()
  expect(messageOf({ code: 'not_found', message: '没有找到这条信息' })).toBe('没有找到这条信息')
  expect(messageOf({ code: 'network', message: '网络连接不上，请检查网络后再试' })).toBe('网络连接不上，请检查网络后再试')
})

test('flagged phrases are marked where they stand', () => {
  expect(fmt.highlight('招工限男性，日结', [{ phrase: '限男性' }])).toEqual([
    { text: '招工', flagged: false }, { text: '限男性', flagged: true }, { text: '，日结', flagged: false }])
})

// Every state the server gives an employer's registration or a gig has words on the phone: a state without
// them shows an empty 审核状态 (as "suspended" did when staff could first suspend an employer).
test('every employer and gig state the server knows has its words', () => {
  const fs = require('fs')
  const path = require('path')
  const states = (file, prefix) => {
    const src = fs.readFileSync(path.join(__dirname, '../../model', file), 'utf8')
    return [...src.matchAll(new RegExp(`^\\s*${prefix}[A-Z]\\w*\\s*=\\s*"(\\w+)"`, 'gm'))].map((m) => m[1])
  }
  const employer = states('employer.go', 'Status')
  const gig = states('gig.go', 'Gig')
  expect(employer).toEqual(expect.arrayContaining(['pending', 'verified', 'rejected', 'suspended']))
  expect(gig).toEqual(expect.arrayContaining(['pending_review', 'published', 'paused']))
  for (const s of [...employer, ...gig]) {
    expect([s, fmt.reviewWords[s]]).toEqual([s, expect.stringMatching(/\p{Script=Han}/u)])
  }
})
