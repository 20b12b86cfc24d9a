const alerts = require('../../services/alerts')
const { page, messageOf } = require('../../utils/page')

// The page a job alert opens: it notes that the alert was opened and goes straight on to the gig.
page({
  data: { error: '' },

  async onLoad(query) {
    try {
      const res = await alerts.open((query && query.id) || '0')
      wx.redirectTo({ url: '/pages/gig/detail?id=' + res.gig_id })
    } catch (err) {
      this.setData({ error: messageOf(err) })
    }
  },

  nearby() {
    wx.switchTab({ url: '/pages/index/index' })
  },
})
