const account = require('../../services/account')
const info = require('../../services/info')
const fmt = require('../../utils/format')
const { page, fieldErrors, messageOf } = require('../../utils/page')

const WAGES = [0, 15000, 20000, 25000, 30000]
const DIFFICULTY = { requested: '已申请，等工作人员认定', recognized: '已认定为就业困难人员', declined: '上次没有认定，可以再申请' }

function wageChoices(stored) {
  const list = WAGES.includes(stored) ? WAGES : WAGES.concat(stored).sort((a, b) => a - b)
  return list.map((c) => ({ cents: c, label: c ? fmt.yuan(c) + '元' : '不限' }))
}

// 求职登记 with as little typing as can be: name and ID number typed once; the phone by WeChat's button;
// 工种, days and wage by big buttons; the area by the location or the region picker. Reopened, the form
// shows what is stored and saves unchanged: the ID number stays masked and is kept when left empty.
page({
  data: {
    categories: [], skills: {}, days: { 1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true },
    weekdays: [1, 2, 3, 4, 5, 6, 7].map((d) => ({ d, label: '周' + '一二三四五六日'[d - 1] })),
    wages: wageChoices(0), wage: 0, name: '', idNumber: '', storedID: '', home: null, phone: '',
    areaCode: '', areaName: '', areaByLocation: false, wantsRegistration: false, requestDifficulty: false, difficultyText: '',
    errors: {}, error: '', busy: false, then: '',
  },

  async onLoad(query) {
    this.setData({ then: (query && query.then) || '' })
    try {
      const [categories, me] = await Promise.all([account.categories(), account.me()])
      this.setData({ categories, phone: me.phone })
      const w = await account.worker().catch((err) => {
        if (err.code === 'profile_missing') return null
        throw err
      })
      if (w) this.show(w)
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  show(w) {
    const skills = {}
    w.skills.forEach((s) => (skills[s.id] = true))
    const days = {}
    w.available_days.forEach((d) => (days[d] = true))
    this.setData({ name: w.name, storedID: w.id_number, skills, days, home: w.home, wage: w.expected_daily_wage_cents,
      wages: wageChoices(w.expected_daily_wage_cents), areaCode: w.area_code, areaName: w.area_name,
      wantsRegistration: w.wants_unemployment_registration, difficultyText: DIFFICULTY[w.difficulty_status] || '' })
  },

  onName(e) { this.setData({ name: e.detail.value }) },
  onIDNumber(e) { this.setData({ idNumber: e.detail.value.toUpperCase() }) },

  toggleSkill(e) {
    const id = e.currentTarget.dataset.id
    this.setData({ ['skills.' + id]: !this.data.skills[id] })
  },

  toggleDay(e) {
    const d = e.currentTarget.dataset.d
    this.setData({ ['days.' + d]: !this.data.days[d] })
  },

  pickWage(e) { this.setData({ wage: Number(e.currentTarget.dataset.cents) }) },
  toggleRegistration() { this.setData({ wantsRegistration: !this.data.wantsRegistration }) },
  toggleDifficulty() { this.setData({ requestDifficulty: !this.data.requestDifficulty }) },

  // <picker mode="region"> gives the county's GB/T 2260 code as the last of e.detail.code.
  onRegion(e) {
    const [, city, county] = e.detail.value
    this.setData({ areaCode: e.detail.code[2], areaName: city + county, areaByLocation: false })
  },

  // locate keeps the home for nearby gigs and, unless the user picked an area, takes the area of the nearest market.
  locate() {
    wx.getLocation({
      type: 'gcj02',
      success: async (p) => {
        this.setData({ home: { lat: p.latitude, lng: p.longitude, address: '我现在的位置' }, error: '' })
        if (this.data.areaCode && !this.data.areaByLocation) return
        const near = await info.markets(p.latitude, p.longitude).catch(() => [])
        if (near[0]) this.setData({ areaCode: near[0].area_code, areaName: near[0].area_name, areaByLocation: true })
      },
      fail: () => this.setData({ error: '没拿到位置，可以在下面选所在的区县' }),
    })
  },

  async onPhone(e) {
    if (!e.detail.code) return // the user said no
    try {
      const me = await account.bindPhone(e.detail.code)
      this.setData({ phone: me.phone })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  async submit() {
    const d = this.data
    const profile = {
      name: d.name.trim(), id_number: d.idNumber.trim(),
      skills: Object.keys(d.skills).filter((k) => d.skills[k]).map(Number),
      available_days: Object.keys(d.days).filter((k) => d.days[k]).map(Number),
      expected_daily_wage_cents: d.wage, area_code: d.areaCode,
      wants_unemployment_registration: d.wantsRegistration, request_difficulty_recognition: d.requestDifficulty,
    }
    if (d.home) profile.home = d.home
    this.setData({ busy: true, errors: {}, error: '' })
    try {
      const saved = await account.saveWorker(profile)
      this.show(saved)
      this.setData({ idNumber: '', requestDifficulty: false })
      wx.showToast({ title: '登记好了', icon: 'success' })
      if (this.data.then) wx.redirectTo({ url: '/pages/gig/detail?id=' + this.data.then })
      else wx.switchTab({ url: '/pages/index/index' })
    } catch (err) {
      this.setData({ errors: fieldErrors(err), error: messageOf(err) })
    } finally {
      this.setData({ busy: false })
    }
  },
})
