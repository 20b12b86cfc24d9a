const gigs = require('../../services/gigs')
const account = require('../../services/account')
const subscribe = require('../../services/subscribe')
const fmt = require('../../utils/format')
const { page, today, fieldErrors, messageOf } = require('../../utils/page')

// 发布招工, or (with ?edit=<id>) changing a gig and sending it back to review, as after a rejection. The
// warnings (discriminatory phrases, a wage under the guide) show before submitting; the review result message is
// asked for inside the submit tap.
page({
  data: {
    categories: [], errors: {}, error: '', busy: false, checks: null, checked: false, areaName: '', editID: '', rejectReason: '', today: '', loadFailed: false,
    startText: '', endText: '', fromTime: '08:00', toTime: '17:00', reviewTemplate: '', noNotice: false,
    form: { title: '', category_id: 0, description: '', headcount: 1, wage_yuan: '', wage_unit: 'day', settlement: 'daily',
      start_date: '', end_date: '', work_hours: '08:00-17:00', address: '', location: null, area_code: '', contact_phone: '',
      hiring_mode: 'first_come' },
    units: [{ k: 'day', t: '按天' }, { k: 'hour', t: '按小时' }, { k: 'piece', t: '按件' }],
  },

  async onLoad(query) {
    const d = today()
    this.setDates(d, d)
    subscribe.template('review_result').then((t) => this.setData({ reviewTemplate: t }))
    this.setData({ today: d, editID: (query && query.edit) || '' })
    await this.load()
  },

  // load fetches the trades and, when editing, the gig; until the gig is there the form cannot be sent, so that a
  // failed load never turns an edit into a second gig.
  async load() {
    this.setData({ error: '', loadFailed: false })
    try {
      this.setData({ categories: await account.categories() })
      if (this.data.editID) this.fill(await gigs.detail(this.data.editID))
    } catch (err) {
      this.setData({ error: messageOf(err), loadFailed: true })
    }
  },

  // fill puts a gig of the employer's back on the form, to be changed and sent to review again.
  fill(g) {
    const [fromTime = '08:00', toTime = '17:00'] = (g.work_hours || '').split('-')
    this.setData({ editID: g.id, rejectReason: g.reject_reason || '', areaName: g.area_name, fromTime, toTime,
      form: { title: g.title, category_id: g.category_id, description: g.description, headcount: g.headcount, wage_yuan: fmt.yuan(g.wage_cents),
        wage_unit: g.wage_unit, settlement: g.settlement, start_date: g.start_date, end_date: g.end_date, work_hours: g.work_hours,
        address: g.address, location: { lat: g.lat, lng: g.lng }, area_code: g.area_code, contact_phone: g.contact_phone, hiring_mode: g.hiring_mode } })
    if (g.start_date < today()) this.setDates(today(), g.end_date < today() ? today() : g.end_date)
    else this.setDates(g.start_date, g.end_date)
    wx.setNavigationBarTitle({ title: '修改后重新提交' })
  },

  setDates(start, end) {
    this.setData({ 'form.start_date': start, 'form.end_date': end, startText: fmt.day(start), endText: fmt.day(end), checked: false })
  },

  onInput(e) { this.setData({ ['form.' + e.currentTarget.dataset.field]: e.detail.value, checked: false }) },
  pick(e) { this.setData({ ['form.' + e.currentTarget.dataset.field]: e.currentTarget.dataset.value, checked: false }) },
  onStart(e) { this.setDates(e.detail.value, e.detail.value > this.data.form.end_date ? e.detail.value : this.data.form.end_date) },
  onEnd(e) { this.setDates(this.data.form.start_date, e.detail.value) },
  onFrom(e) { this.setData({ fromTime: e.detail.value, 'form.work_hours': e.detail.value + '-' + this.data.toTime, checked: false }) },
  onTo(e) { this.setData({ toTime: e.detail.value, 'form.work_hours': this.data.fromTime + '-' + e.detail.value, checked: false }) },
  onRegion(e) { this.setData({ areaName: e.detail.value[1] + e.detail.value[2], 'form.area_code': e.detail.code[2] }) },
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

  // The first tap asks for the review result message (inside the tap, as WeChat requires), then checks.
  tapSubmit() {
    if (this.data.busy || this.data.loadFailed) return
    if (this.asked) return this.submit()
    this.asked = true
    subscribe.ask(this.data.reviewTemplate, (granted) => {
      this.setData({ noNotice: !granted })
      this.submit()
    })
  },

  // A first submit checks and shows the warnings; a clean check (or a second tap after reading them) submits.
  async submit() {
    this.setData({ busy: true, errors: {}, error: '' })
    try {
      if (!this.data.checked) {
        const checks = await gigs.check(this.body())
        const warned = checks.discrimination.length > 0 || checks.below_guide
        this.setData({ checks: warned ? { ...checks, guideText: checks.below_guide ? fmt.yuan(checks.below_guide.low_cents) : '' } : null, checked: true })
        if (warned) return
      }
      const g = this.data.editID ? await gigs.update(this.data.editID, this.body()) : await gigs.post(this.body())
      wx.showToast({ title: '已提交，等工作人员审核', icon: 'none' })
      if (this.data.editID) wx.navigateBack()
      else wx.redirectTo({ url: '/pages/employer/gigs?posted=' + g.id })
    } catch (err) {
      this.setData({ errors: fieldErrors(err), error: messageOf(err), checked: false })
    } finally {
      this.setData({ busy: false })
    }
  },
})
