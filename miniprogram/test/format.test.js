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

test('读给我听 says what, where, when and how much, in that order', () => {
  const gig = { title: '小区保洁', address: '蜀山区长江西路100号', start_date: '2026-11-27', end_date: '2026-11-27',
    work_hours: '08:00-17:00', wage_cents: 16000, wage_unit: 'day', settlement: 'daily' }
  expect(fmt.speakGig(gig, '2026-11-26')).toBe('小区保洁。在蜀山区长江西路100号。明天，08:00-17:00。工钱160元/天，日结。')
  expect(fmt.speakApplication({ status: 'confirmed', gig }, '2026-11-26')).toBe(
    '您被录用了。小区保洁。在蜀山区长江西路100号。明天，08:00-17:00。工钱160元/天。')
})

test('without the speech plugin the button is hidden, and speaking says why', async () => {
  expect(speech.available()).toBe(false)
  await expect(speech.speak('你好')).rejects.toMatchObject({ code: 'speech_unavailable' })
})

test('flagged phrases are marked where they stand', () => {
  expect(fmt.highlight('招工限男性，日结', [{ phrase: '限男性' }])).toEqual([
    { text: '招工', flagged: false }, { text: '限男性', flagged: true }, { text: '，日结', flagged: false }])
})
