const applications = require('../../services/applications')
const fmt = require('../../utils/format')
const { careMode, messageOf } = require('../../utils/page')

// The applicants of one gig: accept or turn down; call once accepted; after the work, record the pay.
Page({
  data: { gigId: '', items: [], error: '', care: false },

  onLoad(query) {
    this.setData({ gigId: query.gig, care: careMode() })
    return this.load()
  },

  async load() {
    try {
      const list = await applications.applicants(this.data.gigId)
      this.setData({ items: list.map((a) => ({ ...a, statusText: fmt.applicationWords[a.status] || a.status, sexText: a.sex === 'male' ? '男' : '女' })) })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  async act(e) {
    const { id, action, pay } = e.currentTarget.dataset
    const run = { accept: () => applications.accept(id), reject: () => applications.reject(id),
      complete: () => applications.complete(id, Number(pay) || 0), rate: () => applications.rate(id, 5, '') }[action]
    try {
      await run()
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  call(e) {
    wx.makePhoneCall({ phoneNumber: e.currentTarget.dataset.phone })
  },
})
