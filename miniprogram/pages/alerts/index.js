const alerts = require('../../services/alerts')
const account = require('../../services/account')
const info = require('../../services/info')
const subscribe = require('../../services/subscribe')
const fmt = require('../../utils/format')
const { page, messageOf, fieldErrors } = require('../../utils/page')

// 有活提醒 (有活就告诉我): which new gigs to hear of and how. Opened from the gig list's "有这样的活就告诉我"
// it comes filled in with the list's 工种, 日结 and place and switched on, so that one tap on 就这样，有活告诉我
// saves it — WeChat's sheet asking to allow the message shows inside that tap, and 允许 is the third tap.
// A family delegate sets an elder's alerts here too (?elder=), but only the elder can say yes to SMS.

// summaryOf says the settings in one sentence, for the top of the page when it comes from the list.
function summaryOf(d) {
  const trades = d.categories.filter((c) => d.picked[c.id]).map((c) => c.name).join('、') || '所有'
  const market = d.markets.find((m) => m.id === d.marketId)
  const place = d.place === 'market' ? (market ? market.name : '零工市场') : '家'
  return '有新的' + trades + (d.daily ? '日结' : '') + '活，在' + place + '附近' + d.radius / 1000 + '公里内，马上告诉您'
}

// The answers to a yes to SMS from a page read before SMS was stopped.
const smsChanged = { sms_stopped_by_reply: true, sms_consent_stale: true }

page({
  data: {
    loaded: false, error: '', errors: {}, saved: '', busy: false, elder: 0, fromList: false,
    categories: [], markets: [], picked: {}, place: 'home', marketId: 0, radius: 5000, daily: false, earliest: '',
    sms: false, smsToken: '', enabled: true, hasHome: false, phoneBound: false, smsStopped: false, smsPerDay: 3, recent: [], summary: '',
    radii: [{ m: 1000, label: '1公里' }, { m: 3000, label: '3公里' }, { m: 5000, label: '5公里' }, { m: 10000, label: '10公里' }, { m: 20000, label: '20公里' }],
    starts: [{ t: '', label: '几点都行' }, { t: '06:00', label: '6点以后' }, { t: '07:00', label: '7点以后' }, { t: '08:00', label: '8点以后' }],
  },

  onLoad(query) {
    const q = query || {}
    this.setData({ elder: Number(q.elder || 0), fromList: q.from === 'list' })
    // The template id is fetched now: WeChat shows its sheet only when asked synchronously inside the tap.
    this.templateId = ''
    subscribe.template('job_alert').then((id) => { this.templateId = id })
    return this.load(q)
  },

  async load(q) {
    try {
      const [s, categories, markets] = await Promise.all([alerts.get(this.data.elder), account.categories(), info.markets()])
      const next = { categories, markets, place: s.place, marketId: s.market_id, radius: s.radius_m, daily: s.daily_pay,
        earliest: s.earliest_at, sms: s.sms_consent, smsToken: s.sms_consent_token, enabled: s.saved ? s.enabled : true, hasHome: s.has_home,
        phoneBound: s.phone_bound, smsStopped: s.sms_stopped, smsPerDay: s.sms_per_day, picked: {}, loaded: true, error: '' }
      for (const id of s.category_ids) next.picked[id] = true
      if (this.data.fromList) { // what the list showed is what to hear of
        if (q.category) next.picked = { [q.category]: true }
        if (q.daily === '1') next.daily = true
        if (q.market) Object.assign(next, { place: 'market', marketId: Number(q.market) })
        else if (s.has_home) next.place = 'home'
        next.enabled = true
      }
      if (next.place === 'market' && !next.marketId && markets.length) next.marketId = markets[0].id
      next.summary = summaryOf({ ...this.data, ...next })
      // The alerts already sent: someone told by SMS opens the gig from here.
      if (!this.data.elder) next.recent = (await alerts.recent()).map((a) => ({ ...a, text: fmt.wage(a.wage_cents, a.wage_unit) + ' · ' + fmt.day(a.start_date) + '开工' }))
      this.setData(next)
    } catch (err) {
      this.setData({ error: messageOf(err), loaded: true })
    }
  },

  // change sets what the user chose and says it again in the summary at the top.
  change(patch) {
    this.setData(patch)
    this.setData({ summary: summaryOf(this.data) })
  },
  toggleCategory(e) {
    const id = e.currentTarget.dataset.id
    this.change({ ['picked.' + id]: !this.data.picked[id] })
  },
  pickPlace(e) {
    const place = e.currentTarget.dataset.place
    const marketId = place === 'market' && !this.data.marketId && this.data.markets.length ? this.data.markets[0].id : this.data.marketId
    this.change({ place, marketId })
  },
  pickMarket(e) { this.change({ marketId: e.currentTarget.dataset.id }) },
  pickRadius(e) { this.change({ radius: e.currentTarget.dataset.m }) },
  pickStart(e) { this.setData({ earliest: e.currentTarget.dataset.t }) },
  toggleDaily() { this.change({ daily: !this.data.daily }) },
  toggleSMS() { this.setData({ sms: !this.data.sms }) },
  toggleEnabled() { this.setData({ enabled: !this.data.enabled }) },

  // save asks WeChat for the message first, inside the tap (the worker's own alerts only), then saves
  // whatever the answer: without the message, SMS (when agreed) tells them.
  save() {
    if (this.data.busy) return
    if (!this.data.elder && this.data.enabled) return subscribe.ask(this.templateId, () => this.send())
    return this.send()
  },

  async send() {
    const d = this.data
    this.setData({ busy: true, errors: {}, error: '', saved: '' })
    try {
      const s = await alerts.save({ category_ids: Object.keys(d.picked).filter((k) => d.picked[k]).map(Number), place: d.place,
        market_id: d.place === 'market' ? d.marketId : 0, radius_m: d.radius, daily_pay: d.daily, earliest_at: d.earliest,
        sms_consent: d.sms, sms_consent_token: d.smsToken, enabled: d.enabled }, d.elder)
      this.setData({ saved: s.enabled ? '设好了。有合适的活，马上告诉您' : '提醒已关掉', smsStopped: s.sms_stopped, smsToken: s.sms_consent_token })
    } catch (err) {
      if (smsChanged[err && err.code]) return this.smsChanged(err)
      this.setData({ errors: fieldErrors(err), error: messageOf(err) })
    }
    this.setData({ busy: false })
  },

  // smsChanged: SMS was stopped since the page was read (a 退订 reply, a new phone), and nothing was saved.
  // The switch shows SMS off as it now is, the other choices stay, and the worker taps 同意 again if they want it.
  async smsChanged(err) {
    const patch = { busy: false, sms: false, errors: { sms_consent: messageOf(err) } }
    try {
      const s = await alerts.get(this.data.elder)
      Object.assign(patch, { smsToken: s.sms_consent_token, smsStopped: s.sms_stopped, phoneBound: s.phone_bound })
    } catch (e) { // the next save answers the same, and this is tried again
    }
    this.setData(patch)
  },

  openAlert(e) {
    wx.navigateTo({ url: '/pages/alerts/open?id=' + e.currentTarget.dataset.id })
  },

  bindPhone() {
    wx.navigateTo({ url: '/pages/me/index' })
  },
})
