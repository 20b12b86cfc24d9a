const applications = require('../../services/applications')
const info = require('../../services/info')
const fmt = require('../../utils/format')
const { page, messageOf, confirm } = require('../../utils/page')
const { loader } = require('../../utils/list')

// The applicants of one gig: accept or turn down; call once accepted; after the work, record the pay.
page({
  data: { gigId: '', items: [], loading: true, loaded: false, pay: {}, payErrors: {}, plans: [], insured: '', error: '' },

  onPullDownRefresh() {
    return this.load().finally(() => wx.stopPullDownRefresh())
  },

  onLoad(query) {
    this.run = loader(this)
    this.setData({ gigId: query.gig })
    info.plans().then((plans) => this.setData({ plans: plans.filter((p) => p.term === 'day') }), () => {})
    return this.load()
  },

  onPay(e) {
    this.setData({ ['pay.' + e.currentTarget.dataset.id]: e.detail.value })
  },

  // insure enrols every confirmed worker of this gig under a day plan, one policy per worker per day.
  async insure(e) {
    const plan = this.data.plans.find((p) => p.id === e.currentTarget.dataset.plan)
    const hired = this.data.items.filter((a) => a.status === 'confirmed').length
    if (!hired) return this.setData({ insured: '还没有录用的人，录用后再投保' })
    if (!(await confirm('给录用的' + hired + '人投保？', plan.name + '：每人每天' + fmt.planPrice(plan) + '。身故伤残最高' +
      fmt.yuan(plan.death_disability_cents) + '元。', '投保'))) return
    try {
      const res = await info.insureGig(this.data.gigId, e.currentTarget.dataset.plan)
      this.setData({ insured: '已为' + res.created.length + '人次投保' + (res.skipped.length ? '，' + res.skipped.length + '人次已有保障或不符合条件' : '') })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  load() {
    return this.run(() => applications.applicants(this.data.gigId), (list) => {
      this.setData({ items: list.map((a) => ({ ...a, statusText: fmt.applicationWords[a.status] || '', sexText: a.sex === 'male' ? '男' : '女',
        paidText: a.amount_paid_cents ? fmt.yuan(a.amount_paid_cents) + '元' : '', owedText: fmt.owed(a.owed), recordText: fmt.workerRecord(a.record),
        ratingText: a.rating_count ? '评分' + a.rating.toFixed(1) + '（干过' + a.rating_count + '次）' : '第一次来' })) })
    })
  },

  async act(e) {
    const { id, action, pay } = e.currentTarget.dataset
    const who = this.data.items.find((a) => a.id === id)
    if (action === 'reject' && !(await confirm('不录用' + who.name + '？', '对方会看到“未录用”，这个活就不能再录用对方了。', '不录用'))) return
    const cents = Math.round(Number(this.data.pay[id] || pay) * 100)
    if (action === 'complete') {
      // The amount is what the worker will be asked to confirm: never a default.
      if (!(cents > 0)) return this.setData({ ['payErrors.' + id]: '请填写实际付了多少钱' })
      this.setData({ ['payErrors.' + id]: '' })
      if (!(await confirm('付了' + fmt.yuan(cents) + '元？', who.name + '会看到这个数，再确认收没收到。', '确认'))) return
    }
    const run = { accept: () => applications.accept(id), reject: () => applications.reject(id),
      complete: () => applications.complete(id, cents),
      rate: () => applications.rate(id, Number(e.currentTarget.dataset.score) || 5, '') }[action]
    try {
      await run()
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  attendance() {
    wx.navigateTo({ url: '/pages/attendance/code?gig=' + this.data.gigId })
  },

  call(e) {
    wx.makePhoneCall({ phoneNumber: e.currentTarget.dataset.phone })
  },
})
