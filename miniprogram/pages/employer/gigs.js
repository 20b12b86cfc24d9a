const gigs = require('../../services/gigs')
const fmt = require('../../utils/format')
const { careMode, messageOf } = require('../../utils/page')

// 我发布的活: review status, spots, and the way to the applicants.
Page({
  data: { items: [], error: '', care: false },

  onShow() {
    this.setData({ care: careMode() })
    return this.load()
  },

  async load() {
    try {
      const list = await gigs.mine()
      this.setData({ items: list.map((g) => ({ ...g, statusText: fmt.reviewWords[g.status] || g.status, wageText: fmt.wage(g.wage_cents, g.wage_unit) })) })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  applicants(e) {
    wx.navigateTo({ url: '/pages/employer/applicants?gig=' + e.currentTarget.dataset.id })
  },

  async close(e) {
    try {
      await gigs.close(e.currentTarget.dataset.id)
      await this.load()
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },
})
