const staff = require('../../services/staff')
const fmt = require('../../utils/format')
const { page } = require('../../utils/page')
const { loader } = require('../../utils/list')

// Complaints of the staff member's area, overdue ones marked; each opens to be read and moved on.
page({
  data: { items: [], loading: true, loaded: false, error: '' },

  onPullDownRefresh() {
    return this.load().finally(() => wx.stopPullDownRefresh())
  },

  onLoad() {
    this.run = loader(this)
  },

  // On every show: a complaint moved on its own page comes back with its new status.
  onShow() {
    return this.load()
  },

  load() {
    return this.run(() => staff.complaints(), (list) => {
      this.setData({ items: list.map((c) => ({ ...c, statusText: fmt.complaintWords[c.status], kindText: fmt.complaintKinds[c.category] || '' })) })
    })
  },

  open(e) {
    wx.navigateTo({ url: '/pages/staff/complaint?id=' + e.currentTarget.dataset.id })
  },
})
