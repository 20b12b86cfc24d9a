const complaints = require('../../services/complaints')
const fmt = require('../../utils/format')
const { careMode, messageOf } = require('../../utils/page')

// My complaints and where each stands; a button to file a new one.
Page({
  data: { items: [], error: '', care: false },
  onShow() {
    this.setData({ care: careMode() })
    return this.load()
  },
  async load() {
    try {
      const list = await complaints.mine()
      this.setData({ items: list.map((c) => ({ ...c, statusText: fmt.complaintWords[c.status] })) })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },
  open(e) {
    wx.navigateTo({ url: '/pages/complaints/detail?id=' + e.currentTarget.dataset.id })
  },
  create() {
    wx.navigateTo({ url: '/pages/complaints/new' })
  },
})
