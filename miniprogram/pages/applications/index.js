const applications = require('../../services/applications')
const fmt = require('../../utils/format')
const speech = require('../../utils/speech')
const { page, today, messageOf, confirm } = require('../../utils/page')
const { loader } = require('../../utils/list')

// My applications: what became of each, and after the work, whether the pay arrived.
page({
  data: { items: [], loading: true, loaded: false, error: '', today: '' },

  onLoad() {
    this.run = loader(this)
  },

  onPullDownRefresh() {
    return this.load().finally(() => wx.stopPullDownRefresh())
  },

  onShow() {
    this.setData({ today: today() })
    return this.load()
  },

  readAloud(e) {
    const a = this.data.items.find((x) => x.id === e.currentTarget.dataset.id)
    speech.speak(fmt.speakApplication(a, this.data.today)).catch((err) => this.setData({ error: messageOf(err) }))
  },

  load() {
    return this.run(() => applications.mine(), (list) => {
      this.setData({ items: list.map((a) => ({ ...a, statusText: fmt.applicationWords[a.status] || a.status,
        wageText: fmt.wage(a.gig.wage_cents, a.gig.wage_unit),
        paidText: a.amount_paid_cents ? fmt.yuan(a.amount_paid_cents) + '元' : '', owedText: fmt.owed(a.owed), dateText: fmt.workDate(a.gig.start_date, a.gig.end_date, this.data.today) })) })
    })
  },

  async act(e) {
    const { id, action, score } = e.currentTarget.dataset
    const ask = {
      withdraw: ['不去了？', '取消后雇主就知道您不来了。名额还在的话，可以再报名。', '取消报名'],
      dispute: ['工钱没收到？', '会转给零工市场的工作人员，他们会联系您和雇主，帮您要回工钱。', '没收到'],
      paid: ['工钱收到了？', '确认后这件事就结束了，以后不能再说没收到。', '收到了'],
    }[action]
    if (ask && !(await confirm(...ask))) return
    const run = {
      withdraw: () => applications.withdraw(id),
      paid: () => applications.confirmPay(id),
      dispute: () => applications.dispute(id, ''),
      rate: () => applications.rate(id, Number(score) || 5, ''),
    }[action]
    try {
      await run()
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  checkIn() {
    wx.navigateTo({ url: '/pages/attendance/mine' })
  },

  open(e) {
    wx.navigateTo({ url: '/pages/gig/detail?id=' + e.currentTarget.dataset.gig })
  },
})
