// Component tests: render with miniprogram-simulate, tap, assert.
const path = require('path')
const simulate = require('miniprogram-simulate')

const root = path.join(__dirname, '..')
const loaded = {}
// load registers a component once; miniprogram-simulate hands out its id for every render.
const load = (name) => loaded[name] || (loaded[name] = simulate.load(path.join(root, 'components', name, 'index'), { rootPath: root }))

describe('big-button', () => {
  // Labels for screen readers are checked on the templates in structure.test.js: the simulator drops aria-*.
  test('taps once when enabled, never while busy or disabled', async () => {
    const id = load('big-button')
    const comp = simulate.render(id, { label: '我要报名', icon: '✋' })
    comp.attach(document.createElement('parent-wrapper'))
    let presses = 0
    comp.addEventListener('press', () => presses++)
    const button = comp.querySelector('.big-button')
    expect(comp.querySelector('.label').dom.textContent).toBe('我要报名')
    button.dispatchEvent('tap')
    await simulate.sleep(0)
    expect(presses).toBe(1)

    comp.setData({ busy: true })
    await simulate.sleep(0)
    expect(comp.querySelector('.label').dom.textContent).toBe('请稍等…')
    button.dispatchEvent('tap')
    comp.setData({ busy: false, disabled: true })
    button.dispatchEvent('tap')
    await simulate.sleep(0)
    expect(presses).toBe(1)
  })
})

describe('gig-card', () => {
  const gig = { id: 7, title: '小区保洁', wage_cents: 16000, wage_unit: 'day', settlement: 'daily', distance_m: 850,
    start_date: '2026-11-27', end_date: '2026-11-27', spots_left: 2, employer_name: '合肥好帮手家政服务有限公司' }

  test('shows wage first, distance, day, spots and the 日结 tag; tapping opens the gig', async () => {
    const comp = simulate.render(load('gig-card'), { gig, today: '2026-11-26' })
    comp.attach(document.createElement('parent-wrapper'))
    await simulate.sleep(0)
    expect(comp.querySelector('.wage').dom.textContent).toBe('160元/天')
    expect(comp.querySelector('.tag').dom.textContent).toBe('日结')
    const meta = comp.querySelector('.meta').dom.textContent
    expect(meta).toContain('850米')
    expect(meta).toContain('明天')
    expect(meta).toContain('还差2人')
    expect(comp.querySelector('.title').dom.textContent).toBe('小区保洁')
    let opened = null
    comp.addEventListener('open', (e) => (opened = e.detail.id))
    comp.querySelector('.gig-card').dispatchEvent('tap')
    await simulate.sleep(0)
    expect(opened).toBe(7)
  })

  test('a gig settled on completion has no 日结 tag', async () => {
    const comp = simulate.render(load('gig-card'), { gig: { ...gig, settlement: 'on_completion', distance_m: 3200 }, today: '2026-11-26' })
    comp.attach(document.createElement('parent-wrapper'))
    await simulate.sleep(0)
    expect(comp.querySelector('.tag')).toBeFalsy()
    expect(comp.querySelector('.meta').dom.textContent).toContain('3.2公里')
  })
})

describe('status-timeline', () => {
  test('lists the steps in plain words, the newest marked', async () => {
    const comp = simulate.render(load('status-timeline'), { events: [
      { status: 'submitted', note: '已提交', created_at: '2026-11-26T09:00:00+08:00' },
      { status: 'accepted', note: '已联系雇主', created_at: '2026-11-26T10:30:00+08:00' },
    ] })
    comp.attach(document.createElement('parent-wrapper'))
    await simulate.sleep(0)
    const steps = comp.querySelectorAll('.step')
    expect(steps.length).toBe(2)
    expect(steps[1].dom.className).toContain('current')
    expect(steps[1].dom.textContent).toContain('已受理')
    expect(steps[1].dom.textContent).toContain('2026-11-26 10:30')
  })
})
