const gigs = require('../../services/gigs')
const account = require('../../services/account')
const fmt = require('../../utils/format')
const { page, today, fieldErrors, messageOf } = require('../../utils/page')

// 发布招工: the warnings (discriminatory phrases, a wage under the guide) show before submitting.
page({
  data: {
    categories: [], errors: {}, error: '', busy: false, checks: null, checked: false, region: [],
    form: { title: '', category_id: 0, description: '', headcount: 1, wage_yuan: '', wage_unit: 'day', settlement: 'daily',
      start_date: '', end_date: '', work_hours: '08:00-17:00', address: '', location: null, area_code: '', contact_phone: '',
      hiring_mode: 'first_come' },
    units: [{ k: 'day', t: '按天' }, { k: 'hour', t: '按小时' }, { k: 'piece', t: '按件' }],
  },

  async onLoad() {
    const d = today()
    this.setData({ 'form.start_date': d, 'form.end_date': d })
    try {
      this.setData({ categories: await account.categories() })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  onInput(e) { this.setData({ ['form.' + e.currentTarget.dataset.field]: e.detail.value, checked: false }) },
  pick(e) { this.setData({ ['form.' + e.currentTarget.dataset.field]: e.currentTarget.dataset.value, checked: false }) },
  onRegion(e) { this.setData({ region: e.detail.value, 'form.area_code': e.detail.code[2] }) },
  chooseLocation() {
    wx.chooseLocation({
      success: (p) => this.setData({ 'form.location': { lat: p.latitude, lng: p.longitude }, 'form.address': p.address + p.name }),
    })
  },

  body() {
    const f = this.data.form
    return { title: f.title, category_id: Number(f.category_id), description: f.description, headcount: Number(f.headcount),
      wage_cents: Math.round(Number(f.wage_yuan) * 100), wage_unit: f.wage_unit, settlement: f.settlement,
      start_date: f.start_date, end_date: f.end_date, work_hours: f.work_hours, address: f.address,
      location: f.location || { lat: 0, lng: 0 }, area_code: f.area_code, contact_phone: f.contact_phone, hiring_mode: f.hiring_mode }
  },

  // First tap checks and shows the warnings; a clean check (or a second tap after reading them) submits.
  async submit() {
    this.setData({ busy: true, errors: {}, error: '' })
    try {
      if (!this.data.checked) {
        const checks = await gigs.check(this.body())
        const warned = checks.discrimination.length > 0 || checks.below_guide
        this.setData({ checks: warned ? { ...checks, guideText: checks.below_guide ? fmt.yuan(checks.below_guide.low_cents) : '' } : null, checked: true })
        if (warned) return
      }
      const g = await gigs.post(this.body())
      wx.showToast({ title: '已提交，等工作人员审核', icon: 'none' })
      wx.redirectTo({ url: '/pages/employer/gigs?posted=' + g.id })
    } catch (err) {
      this.setData({ errors: fieldErrors(err), error: messageOf(err), checked: false })
    } finally {
      this.setData({ busy: false })
    }
  },
})
