const account = require('../../services/account')
const { careMode, fieldErrors, messageOf } = require('../../utils/page')

// 求职登记 with as little typing as can be: name and ID number typed once; the phone by WeChat's button;
// 工种 and days by big picture buttons; where by the location button. Age and sex come from the ID number.
Page({
  data: {
    care: false, categories: [], skills: {}, days: { 1: true, 2: true, 3: true, 4: true, 5: true, 6: true, 7: true },
    weekdays: [1, 2, 3, 4, 5, 6, 7].map((d) => ({ d, label: '周' + '一二三四五六日'[d - 1] })),
    name: '', idNumber: '', home: null, phone: '', errors: {}, error: '', busy: false, then: '',
  },

  async onLoad(query) {
    this.setData({ care: careMode(), then: (query && query.then) || '' })
    try {
      const [categories, me] = await Promise.all([account.categories(), account.me()])
      this.setData({ categories, phone: me.phone })
      const w = await account.worker().catch(() => null)
      if (w) {
        const skills = {}
        w.skills.forEach((s) => (skills[s.id] = true))
        this.setData({ name: w.name, skills, home: w.home })
      }
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
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

  locate() {
    wx.getLocation({
      type: 'gcj02',
      success: (p) => this.setData({ home: { lat: p.latitude, lng: p.longitude, address: '我现在的位置' } }),
      fail: () => this.setData({ error: '没拿到位置，可以先不填，以后再补' }),
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
    const { name, idNumber, skills, days, home } = this.data
    const profile = {
      name: name.trim(), id_number: idNumber.trim(),
      skills: Object.keys(skills).filter((k) => skills[k]).map(Number),
      available_days: Object.keys(days).filter((k) => days[k]).map(Number),
    }
    if (home) profile.home = home
    this.setData({ busy: true, errors: {}, error: '' })
    try {
      await account.saveWorker(profile)
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
