// An employer's gig after review: the reason it was turned down, changed and sent again; the hours chosen by
// picker; the review result message asked inside the submit tap.
const { Phone } = require('./support/phone')
const { api } = require('./support/seed')

const as = (user, choices = {}) => new Phone({ user, userChoices: { privacy: 'agreed', ...choices } })

test('a rejected gig shows why, opens filled in, is changed (hours too) and goes back to review', async () => {
  const boss = as('employer1')
  const post = await boss.open('pages/employer/post')
  await post.type('标题', '商场保洁晚班')
  await post.tap(post.data.categories[1].name)
  await post.type('工钱，元', '150')
  await post.type('招几个人', '2')
  await post.change('几点开始', { value: '18:00' })
  await post.change('几点结束', { value: '22:00' })
  await post.tap('在地图上选')
  await post.change('选择区县', { value: ['安徽省', '合肥市', '蜀山区'], code: ['340000', '340100', '340104'] })
  await post.type('联系电话', '13955551001')
  await post.tap('提交')
  expect(boss.wx.calls.some((c) => c.name === 'requestSubscribeMessage')).toBe(true)
  const gigs = boss.page('pages/employer/gigs')
  const mine = (await api(boss).get('/me/gigs')).find((g) => g.title === '商场保洁晚班')
  expect(mine.work_hours).toBe('18:00-22:00')

  await api(as('staff')).post('/admin/gigs/' + mine.id + '/reject', { reason: '请写清楚工作地点在几楼' })
  boss.use()
  await gigs.pullDown()
  expect(gigs.text()).toContain('没通过：请写清楚工作地点在几楼')
  const rejected = gigs.data.items.filter((g) => g.status === 'rejected')
  await gigs.tap('改一改，重新提交', { nth: rejected.findIndex((g) => g.id === mine.id) })

  const edit = boss.page('pages/employer/post')
  expect(edit.text()).toContain('上次没通过：请写清楚工作地点在几楼')
  expect(edit.data.form.title).toBe('商场保洁晚班')
  expect(edit.text()).toContain('18:00 开始')
  await edit.type('说明', '商场三楼，穿工服')
  await edit.tap('提交')
  const back = boss.page('pages/employer/gigs')
  await boss.until(() => back.data.items.some((g) => g.id === mine.id && g.status === 'pending_review'), 'back in review')
  expect(back.text()).toContain('审核中')
})

// refreshUntil pulls a page down now and then, as a user does, until what they wait for shows: WeChat's content
// check answers from the server's queue a moment after the save.
async function refreshUntil(page, cond, what, ms = 10000) {
  const end = Date.now() + ms
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for ' + what + '; on screen: ' + page.text().slice(0, 400))
    await new Promise((r) => setTimeout(r, 300))
    await page.pullDown()
  }
}

test('a gig is saved at once: 内容检测中 while WeChat checks it, staff see 未检测, and a refusal shows why', async () => {
  // WeChat down (the dev WeChat's marker): the gig waits as checking, and says so.
  const today = new Date(Date.now() + 8 * 3600 * 1000).toISOString().slice(0, 10)
  await api(as('employer1')).post('/gigs', { title: '小区绿化工', category_id: 1, description: '修剪草坪，微信不通测试', headcount: 1,
    wage_cents: 20000, wage_unit: 'day', settlement: 'daily', start_date: today, end_date: today, address: '合肥市蜀山区长江西路100号',
    location: { lat: 31.8612, lng: 117.283 }, area_code: '340104', contact_phone: '13900001111', hiring_mode: 'select' })
  const boss = as('employer1')
  const gigs = await boss.open('pages/employer/gigs')
  await boss.until(() => gigs.data.loaded, 'my gigs')
  const waiting = gigs.data.items.findIndex((g) => g.title === '小区绿化工')
  expect(gigs.has('内容检测中，稍等一会儿，往下拉可以刷新')).toBe(true)
  expect(gigs.data.items[waiting].checks.sec_check).toBe('checking')
  const staff = as('staff')
  const reviews = await staff.open('pages/staff/reviews?kind=gig')
  await staff.until(() => reviews.text().includes('小区绿化工'), 'the gig in the queue')
  expect(reviews.text()).toContain('内容安全检测：未检测（微信还在检测），请仔细看')

  // Refused: turned down with the reason, to be changed and sent again.
  boss.use()
  const post = await boss.open('pages/employer/post')
  await post.type('标题', '代收快递')
  await post.tap(post.data.categories[1].name)
  await post.type('说明', '帮忙收快递，违规测试')
  await post.type('工钱，元', '160')
  await post.type('招几个人', '1')
  await post.tap('在地图上选')
  await post.change('选择区县', { value: ['安徽省', '合肥市', '蜀山区'], code: ['340000', '340100', '340104'] })
  await post.type('联系电话', '13955551002')
  await post.tap('提交')
  const mine = boss.page('pages/employer/gigs')
  const refused = () => mine.data.items.find((g) => g.title === '代收快递')
  await refreshUntil(mine, () => refused() && refused().status === 'rejected', 'the refusal')
  expect(mine.text()).toContain('没通过：标题或说明里有不允许的内容，请改后再提交')
  expect(mine.has('改一改，重新提交')).toBe(true)
})
