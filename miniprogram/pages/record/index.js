const record = require('../../services/record')
const fmt = require('../../utils/format')
const { page, messageOf } = require('../../utils/page')
const { loader } = require('../../utils/list')

// 我的记录: the numbers others see of me (a worker's to employers, an employer's to workers), how each was
// counted and the entries behind it; a wrong no-show or late cancellation goes to staff in two taps and a few
// words. ?as=employer opens the employer's record, ?elder=<id> an elder's for their family delegate, and
// ?employer=<id> an employer's as workers see it from a gig (the numbers and how they are counted, no entries).
page({
  data: { asEmployer: false, elder: '', employer: '', title: '我的记录', numbers: [], open: {}, writing: 0, reasons: {}, sent: '', loading: true, loaded: false, error: '',
    formError: '' },

  onLoad(query) {
    const q = query || {}
    const asEmployer = q.as === 'employer'
    this.setData({ asEmployer, elder: q.elder || '', employer: q.employer || '',
      title: asEmployer ? '我的招工记录' : q.elder ? '家人的记录' : q.employer ? '雇主的记录' : '我的记录' })
    wx.setNavigationBarTitle({ title: this.data.title })
    this.run = loader(this)
    return this.load()
  },

  onPullDownRefresh() {
    return this.load().finally(() => wx.stopPullDownRefresh())
  },

  load() {
    const { asEmployer, elder, employer } = this.data
    const fetch = asEmployer ? record.employer : elder ? () => record.elder(elder) : employer ? () => record.ofEmployer(employer) : record.worker
    return this.run(fetch, (res) => {
      if (res.name) this.setData({ title: res.name + '的记录' })
      const open = {}
      const numbers = res.numbers.map((n, i) => {
        // The list that can be corrected starts open: that is what a person comes here about.
        if (n.entries.some((e) => e.correctable || e.correction)) open[i] = true
        return { ...n, entries: n.entries.map((e) => ({ ...e, dayText: fmt.day(e.day), correctionText: fmt.correction(e.correction) })) }
      })
      this.setData({ numbers, open: { ...open, ...this.data.open } })
    })
  },

  toggle(e) {
    const i = e.currentTarget.dataset.index
    this.setData({ ['open.' + i]: !this.data.open[i] })
  },

  write(e) {
    this.setData({ writing: e.currentTarget.dataset.id, formError: '', sent: '' })
  },

  onReason(e) {
    this.setData({ ['reasons.' + e.currentTarget.dataset.id]: e.detail.value })
  },

  async send(e) {
    const id = e.currentTarget.dataset.id
    const reason = (this.data.reasons[id] || '').trim()
    if (reason.length < 2) return this.setData({ formError: '请写明哪里不对，比如：雇主打电话说不用去了' })
    try {
      await record.correct(id, reason)
      this.setData({ writing: 0, formError: '', sent: '已交给工作人员，处理好了会通知您' })
      await this.load()
    } catch (err) {
      this.setData({ formError: messageOf(err) })
    }
  },
})
